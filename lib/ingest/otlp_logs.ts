/**
 * An OTLP logs export request (`ExportLogsServiceRequest`, as decoded from its JSON encoding — or from protobuf
 * into the same shape) → {@link EventDraft}s.
 *
 * Mapping (OpenTelemetry logs data model → vigil):
 * - `timeUnixNano`, else `observedTimeUnixNano` → `ts` (neither: the ingest time, flag `ts_from_ingest`);
 * - `severityNumber` 1–4 trace, 5–8 debug, 9–12 info, 13–16 warn, 17–20 error, 21–24 fatal; without one,
 *   `severityText` by the producer's level words; without both, inferred from the body (`level_inferred`);
 * - `body` → content (a string as is; any other value as JSON);
 * - resource `service.name` → component, `host.name` → host; every other resource attribute →
 *   `fields["resource.<key>"]`; log attributes → `fields[<key>]`; scope name, `severityText`, `traceId`,
 *   `spanId`, `eventName` → fields of those names;
 * - attribute values that are not strings become JSON (arrays, maps) or their decimal text.
 *
 * A request whose shape is not OTLP (`resourceLogs` not a list, a record not an object) throws
 * {@link OtlpShapeError}: the receiver answers 400, which the specification makes non-retryable.
 *
 * @module
 */
import type { Level } from "../event/log_event.ts";
import { normaliseLevel } from "../parsing/log_level.ts";
import type { EventDraft } from "./ingest_event.ts";

/** The request is not an OTLP logs export request; the message says where. */
export class OtlpShapeError extends Error {
  override name = "OtlpShapeError";
}

/** Longest JSON rendering of one non-string value; longer ones are cut (the event is flagged `truncated`). */
const MAX_VALUE_JSON_CHARS = 65_536;
/** Deepest nesting of arrays / maps rendered; deeper values become `"…"`. */
const MAX_DEPTH = 16;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function list(value: unknown, where: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new OtlpShapeError(`${where} must be a list`);
  return value;
}

/** An `AnyValue` as a plain JS value (depth-limited). */
function plain(value: unknown, depth: number): unknown {
  if (!isObject(value)) return null;
  if (depth > MAX_DEPTH) return "…";
  if ("stringValue" in value) return String(value.stringValue ?? "");
  if ("boolValue" in value) return value.boolValue === true;
  if ("intValue" in value) return String(value.intValue ?? "0");
  if ("doubleValue" in value) return Number(value.doubleValue);
  if ("bytesValue" in value) return String(value.bytesValue ?? "");
  if ("arrayValue" in value) {
    const values = isObject(value.arrayValue) && Array.isArray(value.arrayValue.values)
      ? value.arrayValue.values
      : [];
    return values.map((v) => plain(v, depth + 1));
  }
  if ("kvlistValue" in value) {
    const out: Record<string, unknown> = {};
    const values = isObject(value.kvlistValue) && Array.isArray(value.kvlistValue.values)
      ? value.kvlistValue.values
      : [];
    for (const kv of values) if (isObject(kv)) out[String(kv.key ?? "")] = plain(kv.value, depth + 1);
    return out;
  }
  return null;
}

/** An `AnyValue` as text: strings as they are, everything else as JSON (cut at {@link MAX_VALUE_JSON_CHARS}). */
export function anyValueText(value: unknown): string {
  const p = plain(value, 0);
  if (typeof p === "string") return p;
  if (p === null) return "";
  const json = JSON.stringify(p);
  return json.length > MAX_VALUE_JSON_CHARS ? json.slice(0, MAX_VALUE_JSON_CHARS) : json;
}

function attributes(value: unknown, where: string): [string, string][] {
  const out: [string, string][] = [];
  for (const kv of list(value, where)) {
    if (!isObject(kv) || typeof kv.key !== "string") continue;
    out.push([kv.key, anyValueText(kv.value)]);
  }
  return out;
}

/** Nanoseconds since the epoch (a decimal string or number, as the JSON encoding allows) → ms; 0/absent → undefined. */
function nanosToMs(value: unknown): number | undefined {
  if (typeof value === "number") return value > 0 ? value / 1e6 : undefined;
  if (typeof value !== "string" || !/^\d{1,20}$/.test(value)) return undefined;
  // Milliseconds from the leading digits: a Number cannot hold nanoseconds exactly.
  const ms = value.length > 6
    ? Number(value.slice(0, -6)) + Number(value.slice(-6)) / 1e6
    : Number(value) / 1e6;
  return ms > 0 ? ms : undefined;
}

/** `severityNumber` (1–24) → level. */
export function severityNumberLevel(n: unknown): Level | undefined {
  const v = typeof n === "string" ? Number(n) : n;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1 || v > 24) return undefined;
  return (["trace", "debug", "info", "warn", "error", "fatal"] as const)[Math.floor((v - 1) / 4)];
}

/**
 * Reads every log record of a request.
 *
 * @param request the decoded request body
 * @throws {OtlpShapeError} when it is not an OTLP logs export request
 */
export function otlpLogsToDrafts(request: unknown): EventDraft[] {
  if (!isObject(request)) throw new OtlpShapeError("the body must be an object with resourceLogs");
  const drafts: EventDraft[] = [];
  const resourceLogs = list(request.resourceLogs, "resourceLogs");
  for (let r = 0; r < resourceLogs.length; r++) {
    const rl = resourceLogs[r];
    if (!isObject(rl)) throw new OtlpShapeError(`resourceLogs[${r}] must be an object`);
    const resource = isObject(rl.resource) ? rl.resource : {};
    let host = "";
    let component = "";
    const resourceFields: [string, string][] = [];
    for (const [key, value] of attributes(resource.attributes, `resourceLogs[${r}].resource.attributes`)) {
      if (key === "host.name") host = value;
      else if (key === "service.name") component = value;
      else resourceFields.push([`resource.${key}`, value]);
    }
    const scopeLogs = list(rl.scopeLogs, `resourceLogs[${r}].scopeLogs`);
    for (let s = 0; s < scopeLogs.length; s++) {
      const sl = scopeLogs[s];
      if (!isObject(sl)) throw new OtlpShapeError(`resourceLogs[${r}].scopeLogs[${s}] must be an object`);
      const scopeName = isObject(sl.scope) && typeof sl.scope.name === "string" ? sl.scope.name : "";
      const records = list(sl.logRecords, `resourceLogs[${r}].scopeLogs[${s}].logRecords`);
      for (let i = 0; i < records.length; i++) {
        const rec = records[i];
        if (!isObject(rec)) {
          throw new OtlpShapeError(`resourceLogs[${r}].scopeLogs[${s}].logRecords[${i}] must be an object`);
        }
        drafts.push(recordDraft(rec, host, component, resourceFields, scopeName));
      }
    }
  }
  return drafts;
}

function recordDraft(
  rec: Json,
  host: string,
  component: string,
  resourceFields: readonly [string, string][],
  scopeName: string,
): EventDraft {
  const fields: Record<string, string> = {};
  for (const [k, v] of resourceFields) fields[k] = v;
  for (const [k, v] of attributes(rec.attributes, "attributes")) fields[k] = v;
  if (scopeName !== "") fields.scope = scopeName;
  const severityText = typeof rec.severityText === "string" ? rec.severityText : "";
  if (severityText !== "") fields.severityText = severityText;
  for (const name of ["traceId", "spanId", "eventName"] as const) {
    if (typeof rec[name] === "string" && rec[name] !== "") fields[name] = rec[name] as string;
  }
  const content = anyValueText(rec.body);
  return {
    tsMs: nanosToMs(rec.timeUnixNano) ?? nanosToMs(rec.observedTimeUnixNano),
    host,
    component,
    level: severityNumberLevel(rec.severityNumber) ?? normaliseLevel(severityText),
    content,
    fields,
    raw: content,
    flags: [],
  };
}
