/**
 * What the incident detectors exchange with the tracker: the facts of one event they judge
 * ({@link DetectorInput}) and a detector's verdict on it ({@link DetectorSignal}).
 *
 * @module
 */
import type { Level, MinedEvent } from "../event/log_event.ts";
import type { DetectorName, IncidentSeverity } from "./incident.ts";

/** One event as the detectors see it: the mined event plus facts computed once for all of them. */
export interface DetectorInput {
  event: MinedEvent;
  /** Event time, ms (the stream's watermark when the event's own time does not parse). */
  tsMs: number;
  level: Level;
  /** A failure-class lexicon group matched and no mitigation word did (`FeatureFacts.semantics`). */
  semantics: boolean;
  /** {@link semantics} with a severe group (failure, fatal, corrupt, lost, resource). */
  severeSemantics: boolean;
  /** The first failure word matched, for reasons ("" when none). */
  failureWord: string;
  /** The ONNX model's probability for the line, in [0, 1]. */
  modelScore: number;
}

/** A detector's verdict: this event belongs to an episode keyed by `scope` and `host`. */
export interface DetectorSignal {
  detector: DetectorName;
  severity: IncidentSeverity;
  /** `t:<templateId>` or `c:<system>/<component>` ({@link templateScope}, {@link componentScope}). */
  scope: string;
  /** One host, or `*` for every host. */
  host: string;
  /** Strength of the evidence in [0, 1] (the incident keeps the highest). */
  evidence: number;
  /** Why, most important first. */
  reasons: string[];
  /** For rate signals: the current bucket's count and what the baseline expected. */
  rate?: { count: number; baseline: number };
  /** For new-pattern signals: a failure signalled before that came back, not a first sighting. */
  returning?: boolean;
}

/** The scope string of a template. */
export const templateScope = (templateId: string): string => `t:${templateId}`;
/** The scope string of a component of a system. */
export const componentScope = (system: string, component: string): string => `c:${system}/${component}`;
