/**
 * Turns a raw search hit into an {@link EventHit}. Documents in the hot tier may be older, partial or written
 * by something else, so every field is coerced to its type with a safe default instead of trusted.
 *
 * @module
 */
import { CLASSIFICATIONS, type ClassifiedEvent, LEVELS } from "../event/log_event.ts";
import type { EventHit } from "./web_deps.ts";

/** The part of a search hit we read. */
export interface RawHit {
  _id?: unknown;
  _index?: unknown;
  _source?: unknown;
}

const str = (v: unknown, fallback = ""): string => (typeof v === "string" ? v : fallback);
const num = (
  v: unknown,
  fallback = 0,
): number => (typeof v === "number" && Number.isFinite(v) ? v : fallback);
const strArray = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
const oneOf = <T extends string>(v: unknown, allowed: readonly T[], fallback: T): T =>
  typeof v === "string" && (allowed as readonly string[]).includes(v) ? (v as T) : fallback;

function stringRecord(v: unknown): Record<string, string> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return {};
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) out[k] = typeof x === "string" ? x : JSON.stringify(x);
  return out;
}

/**
 * Coerces a search hit to an event.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { toEventHit } from "./event_hit.ts";
 * const e = toEventHit({ _id: "t-0-1", _index: "vigil-events-2026.01.01", _source: { level: "bogus" } });
 * assert.deepEqual([e.docId, e.level, e.classification], ["t-0-1", "info", "NORMAL"]);
 * ```
 */
export function toEventHit(hit: RawHit): EventHit {
  const s = (typeof hit._source === "object" && hit._source !== null ? hit._source : {}) as Record<
    string,
    unknown
  >;
  const kafka = s.kafka as Record<string, unknown> | undefined;
  const event: ClassifiedEvent = {
    v: 1,
    id: str(s.id),
    ts: str(s.ts),
    ingestTs: str(s.ingestTs, str(s.ts)),
    host: str(s.host),
    source: str(s.source),
    system: str(s.system),
    level: oneOf(s.level, LEVELS, "info"),
    component: str(s.component),
    content: str(s.content),
    fields: stringRecord(s.fields),
    lineNo: num(s.lineNo),
    raw: str(s.raw),
    flags: strArray(s.flags) as ClassifiedEvent["flags"],
    parseError: typeof s.parseError === "string" ? s.parseError : undefined,
    templateId: str(s.templateId),
    template: str(s.template),
    params: strArray(s.params),
    classification: oneOf(s.classification, CLASSIFICATIONS, "NORMAL"),
    score: num(s.score),
    reasons: strArray(s.reasons),
    modelVersion: str(s.modelVersion),
  };
  return {
    ...event,
    docId: str(hit._id),
    index: str(hit._index),
    kafka: kafka && typeof kafka === "object"
      ? { topic: str(kafka.topic), partition: num(kafka.partition), offset: String(kafka.offset ?? "") }
      : undefined,
  };
}
