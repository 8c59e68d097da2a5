/**
 * Builds {@link DetectorInput}s for the incident detectors' unit tests: one event of a given system, component,
 * host, template and time, with the facts the detectors read.
 *
 * @module
 */
import type { Level, MinedEvent } from "../event/log_event.ts";
import type { DetectorInput } from "./detector_signal.ts";

/** What a test event may set; everything has a default. */
export interface TestEventSpec {
  tsMs: number;
  templateId?: string;
  template?: string;
  content?: string;
  component?: string;
  host?: string;
  system?: string;
  level?: Level;
  semantics?: boolean;
  failureWord?: string;
  modelScore?: number;
  lineNo?: number;
  inferredLevel?: boolean;
}

let seq = 0;

/** A detector input for one test event. */
export function testInput(spec: TestEventSpec): DetectorInput {
  const lineNo = spec.lineNo ?? ++seq;
  const template = spec.template ?? `template ${spec.templateId ?? "t1"}`;
  const event: MinedEvent = {
    v: 1,
    id: `test-${lineNo}`,
    ts: new Date(spec.tsMs).toISOString(),
    ingestTs: new Date(spec.tsMs).toISOString(),
    host: spec.host ?? "host-a",
    source: "test",
    system: spec.system ?? "sys",
    level: spec.level ?? "info",
    component: spec.component ?? "comp",
    content: spec.content ?? template,
    fields: {},
    lineNo,
    raw: spec.content ?? template,
    flags: spec.inferredLevel ? ["level_inferred"] : [],
    templateId: spec.templateId ?? "t1",
    template,
    params: [],
  };
  return {
    event,
    tsMs: spec.tsMs,
    level: event.level,
    semantics: spec.semantics ?? false,
    severeSemantics: spec.semantics ?? false,
    failureWord: spec.failureWord ?? (spec.semantics ? "failed" : ""),
    modelScore: spec.modelScore ?? 0.1,
  };
}

/**
 * A steady stream: `perSecond` events of `templates` (round robin) on `component` from `fromMs` for
 * `seconds`, evenly spaced.
 */
export function steady(
  fromMs: number,
  seconds: number,
  perSecond: number,
  spec: Omit<TestEventSpec, "tsMs"> & { templates?: string[] } = {},
): DetectorInput[] {
  const out: DetectorInput[] = [];
  const templates = spec.templates ?? ["t-ordinary"];
  const n = Math.round(seconds * perSecond);
  for (let i = 0; i < n; i++) {
    const templateId = templates[i % templates.length];
    out.push(
      testInput({
        ...spec,
        templateId,
        template: `ordinary ${templateId}`,
        tsMs: fromMs + (i * 1000) / perSecond,
      }),
    );
  }
  return out;
}
