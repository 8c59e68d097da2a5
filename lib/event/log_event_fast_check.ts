/**
 * A hand-written check of {@link LogEventSchema} for the Kafka source's hot path: every message is one event,
 * and zod's `safeParse` (a generic walk that also copies the object) was the source's largest cost after
 * decoding. The check accepts a value only when zod certainly would, and would return an equal object (no key
 * beyond the schema's, so nothing to strip); anything else — invalid, unusual, or merely not covered here —
 * answers `undefined`, and the caller asks zod, which gives the exact result and the dead-letter reason. So
 * the check can only be stricter than the schema, never looser (its test holds it to that).
 *
 * @module
 */
import { EVENT_FLAGS, LEVELS, LOG_EVENT_SCHEMA_VERSION, type LogEvent } from "./log_event.ts";

/**
 * zod's `z.iso.datetime()` pattern (UTC `Z`, any fraction, real calendar dates): the test compares it with the
 * schema's own, so a zod upgrade that changes it fails there rather than here.
 */
export const ISO_DATETIME =
  /^(?:(?:\d\d[2468][048]|\d\d[13579][26]|\d\d0[48]|[02468][048]00|[13579][26]00)-02-29|\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\d|30)|(?:02)-(?:0[1-9]|1\d|2[0-8])))T(?:(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?(?:Z))$/;

const LEVEL_SET: ReadonlySet<unknown> = new Set(LEVELS);
const FLAG_SET: ReadonlySet<unknown> = new Set(EVENT_FLAGS);
/** Required keys of the schema (all but `parseError`). */
const REQUIRED = 14;
const KEYS: ReadonlySet<string> = new Set([
  "v",
  "id",
  "ts",
  "ingestTs",
  "host",
  "source",
  "system",
  "level",
  "component",
  "content",
  "fields",
  "lineNo",
  "raw",
  "flags",
  "parseError",
]);

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x) &&
    Object.getPrototypeOf(x) === Object.prototype;
}

function stringUpTo(x: unknown, max: number): boolean {
  return typeof x === "string" && x.length <= max;
}

function stringRecord(x: unknown): boolean {
  if (!isPlainObject(x)) return false;
  for (const k in x) {
    if (k === "__proto__" || typeof x[k] !== "string") return false;
  }
  return true;
}

function flags(x: unknown): boolean {
  if (!Array.isArray(x)) return false;
  for (const f of x) if (!FLAG_SET.has(f)) return false;
  return true;
}

/**
 * `value` as a {@link LogEvent} when it certainly is one with no extra keys (decoded JSON), else `undefined`
 * (then ask `LogEventSchema`; see the module doc).
 */
export function fastLogEvent(value: unknown): LogEvent | undefined {
  if (!isPlainObject(value)) return undefined;
  let keys = 0;
  for (const k in value) {
    if (!KEYS.has(k)) return undefined;
    keys++;
  }
  const e = value;
  const hasParseError = "parseError" in e;
  if (keys !== REQUIRED + (hasParseError ? 1 : 0)) return undefined;
  if (
    e.v !== LOG_EVENT_SCHEMA_VERSION ||
    typeof e.id !== "string" || e.id.length < 1 || e.id.length > 256 ||
    typeof e.ts !== "string" || !ISO_DATETIME.test(e.ts) ||
    typeof e.ingestTs !== "string" || !ISO_DATETIME.test(e.ingestTs) ||
    !stringUpTo(e.host, 512) ||
    !stringUpTo(e.source, 4096) ||
    !stringUpTo(e.system, 128) ||
    !LEVEL_SET.has(e.level) ||
    !stringUpTo(e.component, 1024) ||
    typeof e.content !== "string" ||
    !stringRecord(e.fields) ||
    typeof e.lineNo !== "number" || !Number.isSafeInteger(e.lineNo) || e.lineNo < 0 ||
    typeof e.raw !== "string" ||
    !flags(e.flags) ||
    (hasParseError && typeof e.parseError !== "string")
  ) return undefined;
  return e as unknown as LogEvent;
}
