/**
 * Incidents of a finite stream of mined events, offline: the engine's classifier and incident detection run
 * in event order with no services, and every incident is collected in its final version with the line numbers
 * of all its events. Used by `deno task incidents`, `deno task classify` and `deno task eval`.
 *
 * @module
 */
import type { Classifier } from "../classification/classifier.ts";
import type { BatchScorer } from "../classification/worker_scorer.ts";
import type { ClassifiedEvent, MinedEvent } from "../event/log_event.ts";
import { compareIncidents, type Incident } from "./incident.ts";
import { IncidentDetection, type IncidentDetectionOptions } from "./incident_detection.ts";
import { judgeEvents } from "./judge_events.ts";

/** An incident as `deno task incidents` writes it: the document plus every line of it. */
export interface OfflineIncident extends Incident {
  /** 1-based line numbers of every event of the incident, in order. */
  lineIds: number[];
}

/** What an offline run produces. */
export interface OfflineRun {
  /** Every event, labelled, in line order. */
  events: ClassifiedEvent[];
  /** Every incident in its last version, most urgent first. */
  incidents: OfflineIncident[];
}

/**
 * Runs detection over `events`.
 * @param options detection options (`tracker.keepLineIds` is forced on).
 */
export async function offlineIncidents(
  events: Iterable<MinedEvent>,
  classifier: Classifier,
  score: BatchScorer,
  options: IncidentDetectionOptions = {},
): Promise<OfflineRun> {
  const detection = new IncidentDetection({ ...options, tracker: { ...options.tracker, keepLineIds: true } });
  const latest = new Map<string, Incident>();
  const out: ClassifiedEvent[] = [];
  for await (const e of judgeEvents(events, classifier, score, detection)) {
    out.push(e);
    for (const i of detection.drainChanged()) latest.set(i.id, i);
  }
  for (const i of detection.drainChanged()) latest.set(i.id, i);
  const incidents = [...latest.values()].sort(compareIncidents).map((i) => ({
    ...i,
    lineIds: [...detection.tracker.lineIds(i.id)],
  }));
  return { events: out, incidents };
}
