/**
 * A JSON log document (an Elasticsearch `_bulk` source: ECS as Filebeat, Winlogbeat, Fluent Bit, Vector and
 * Logstash send it, or any JSON) → an {@link EventDraft}, by a {@link JsonFieldMapping}: for each event field, the
 * document paths tried in order (a path matches a dotted key `"log.level"` as well as nested objects
 * `{"log": {"level": …}}`). The defaults read ECS, Winlogbeat included; `ingest.fieldMapping` in the
 * configuration puts other paths first for JSON inputs whose fields differ.
 *
 * Everything else in the document is flattened into `fields` under its dotted path (arrays and nested values
 * beyond {@link MAX_FLATTEN_DEPTH} as JSON), so Winlogbeat's `winlog.event_id`, `winlog.record_id`,
 * `winlog.channel` and `event.code` stay searchable beside the mapped ones.
 *
 * @module
 */
import { normaliseLevel } from "../parsing/log_level.ts";
import { parseTimeText } from "../parsing/event_timestamp.ts";
import type { EventDraft } from "./ingest_event.ts";

/** For each event field, the document paths tried in order. */
export interface JsonFieldMapping {
  timestamp: string[];
  message: string[];
  level: string[];
  host: string[];
  component: string[];
}

/** ECS (Filebeat, Winlogbeat, Elastic agents, Fluent Bit / Vector / Logstash Elasticsearch outputs). */
export const DEFAULT_JSON_FIELD_MAPPING: JsonFieldMapping = {
  timestamp: ["@timestamp", "timestamp", "time", "event.created"],
  message: ["message", "event.original", "msg", "log"],
  level: ["log.level", "level", "severity", "winlog.level"],
  host: ["host.name", "host.hostname", "winlog.computer_name", "agent.hostname", "hostname"],
  component: [
    "service.name",
    "winlog.provider_name",
    "winlog.channel",
    "process.name",
    "log.logger",
    "event.dataset",
  ],
};

/** Nesting flattened into dotted `fields`; deeper values are kept as JSON. */
export const MAX_FLATTEN_DEPTH = 6;
const MAX_JSON_VALUE_CHARS = 8192;

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The value at a dotted path: a literal dotted key first, then nested objects (also partly dotted). */
function valueAt(doc: Json, path: string): unknown {
  if (Object.hasOwn(doc, path)) return doc[path];
  const dot = path.indexOf(".");
  if (dot === -1) return undefined;
  // Try each split point: {"log": {"level": …}}, {"winlog": {"event_data": …}} …
  for (let i = dot; i !== -1; i = path.indexOf(".", i + 1)) {
    const head = path.slice(0, i);
    if (Object.hasOwn(doc, head) && isObject(doc[head])) {
      const found = valueAt(doc[head] as Json, path.slice(i + 1));
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

function text(v: unknown): string | undefined {
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return undefined;
}

function first(doc: Json, paths: readonly string[]): { path: string; value: string } | undefined {
  for (const p of paths) {
    const value = text(valueAt(doc, p));
    if (value !== undefined && value !== "") return { path: p, value };
  }
  return undefined;
}

function timeOf(value: unknown, receivedMs: number): number | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return value < 1e11 ? value * 1000 : value; // s or ms
  if (typeof value !== "string" || value === "") return undefined;
  const parsed = Date.parse(value);
  return Number.isFinite(parsed) ? parsed : parseTimeText(value, receivedMs);
}

function flatten(value: unknown, prefix: string, depth: number, out: Record<string, string>): void {
  if (isObject(value) && depth < MAX_FLATTEN_DEPTH) {
    for (const [k, v] of Object.entries(value)) {
      flatten(v, prefix === "" ? k : `${prefix}.${k}`, depth + 1, out);
    }
    return;
  }
  if (prefix === "") return;
  const t = text(value);
  if (t !== undefined) out[prefix] = t;
  else if (value !== null && value !== undefined) {
    const json = JSON.stringify(value);
    out[prefix] = json.length > MAX_JSON_VALUE_CHARS ? json.slice(0, MAX_JSON_VALUE_CHARS) : json;
  }
}

/**
 * Maps one document.
 *
 * @param doc the parsed JSON document (anything: a non-object is kept as its JSON text with `parseError`)
 * @param raw the document's text as received
 * @param mapping which paths feed which event field
 * @param receivedMs when it was received (year-less and zone-less times)
 */
export function jsonDocumentToDraft(
  doc: unknown,
  raw: string,
  mapping: JsonFieldMapping,
  receivedMs: number,
): EventDraft {
  if (!isObject(doc)) {
    return { content: raw, fields: {}, raw, flags: [], parseError: "the document is not a JSON object" };
  }
  const message = first(doc, mapping.message);
  const level = first(doc, mapping.level);
  const host = first(doc, mapping.host);
  const component = first(doc, mapping.component);
  let tsMs: number | undefined;
  let tsPath: string | undefined;
  for (const p of mapping.timestamp) {
    tsMs = timeOf(valueAt(doc, p), receivedMs);
    if (tsMs !== undefined) {
      tsPath = p;
      break;
    }
  }
  const fields: Record<string, string> = {};
  flatten(doc, "", 0, fields);
  // The mapped values are the event's own fields; repeating them in `fields` would only cost space.
  for (const used of [message?.path, tsPath]) if (used !== undefined) delete fields[used];
  return {
    tsMs,
    host: host?.value,
    component: component?.value,
    level: normaliseLevel(level?.value),
    content: message?.value ?? raw,
    fields,
    raw,
    flags: [],
  };
}

/**
 * The mapping with configured paths tried first (then the defaults, so ECS documents still map).
 *
 * @param configured per field, paths to try before the defaults (config `ingest.fieldMapping`)
 */
export function jsonFieldMapping(configured: Partial<JsonFieldMapping>): JsonFieldMapping {
  const out = { ...DEFAULT_JSON_FIELD_MAPPING };
  for (const key of Object.keys(out) as (keyof JsonFieldMapping)[]) {
    const first = configured[key] ?? [];
    out[key] = [...first, ...DEFAULT_JSON_FIELD_MAPPING[key].filter((p) => !first.includes(p))];
  }
  return out;
}
