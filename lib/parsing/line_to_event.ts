/**
 * Turns one raw line into a {@link LogEvent} with a compiled {@link LogFormat}. Never throws on line content
 * and never drops a line: a line that does not match becomes an event with `parseError` set and `raw` kept.
 *
 * Field mapping:
 * - the roles of a preset's fields come from {@link PRESET_FIELD_ROLES} when the format is that preset (OpenSSH's
 *   `<Component>` is the host and its program the literal `sshd`; Linux's `<Level>` is the host); otherwise
 *   from the field names as below;
 * - `content` ← `<Content>`; `component` ← `<Component>` (else `<Program>`, `<Process>`);
 * - `level` ← `<Level>` (else `<Severity>`, `<Type>`) normalised by {@link normaliseLevel}; when the format has
 *   no such field or its value is not a severity word, the first severity keyword in the line (`ERROR`,
 *   `WARN`, `FATAL`, ...), else the level the message implies (`error:`, `POSSIBLE BREAK-IN ATTEMPT!`,
 *   `authentication failure`, ...: {@link keywordLevel}), else `info`; flagged `level_inferred`;
 * - `host` ← the line's host field (`<Host>`/`<Hostname>`, or the preset's) when it has one, else the context's;
 * - `ts` ← the line's date/time fields by the rule of {@link extractTimestamp} (UTC when zone-less, year from
 *   the ingest time when year-less); the ingest time with flag `ts_from_ingest` when there is none;
 * - `fields` ← every named field except `Content`, verbatim (so the raw level and component spellings stay);
 * - `id` ← `<16-hex hash of source>:<lineNo>` (`:<loop>` appended when `loop > 0`): stable across re-runs.
 * @module
 */
import { type EventFlag, type Level, LOG_EVENT_SCHEMA_VERSION, type LogEvent } from "../event/log_event.ts";
import type { LogFormat } from "./log_format.ts";
import { messageLevel, normaliseLevel } from "./log_level.ts";
import { PRESET_FIELD_ROLES } from "./preset_field_roles.ts";
import { isTimeField, timestampFromText } from "./event_timestamp.ts";
import { addFlag, DEFAULT_MAX_LINE_CHARS, sanitizeText } from "./sanitize_text.ts";
import { stableHash } from "./stable_hash.ts";
import { countEvictions } from "../../engine/eviction_tally.ts";

/** A line to parse; structurally the producer's `RawLine`. */
export interface RawLineInput {
  /** The line's text without its line ending (repairs already made are listed in `flags`). */
  text: string;
  /** 1-based line number in the source. */
  lineNo: number;
  /** Repairs already made by the byte decoder (`truncated`, `invalid_utf8`, `binary`). Default none. */
  flags?: readonly EventFlag[];
}

/** Where lines come from; shared by all lines of one source. */
export interface LineContext {
  /** A file path, `stdin`, or `synthetic:<name>`. */
  source: string;
  /** Host of the events unless the format has a `<Host>` field. */
  host: string;
  /** The system / preset name put in `system`. Default: the format's name. */
  system?: string;
  /** Loop number when a source is replayed several times (part of the id when > 0). Default 0. */
  loop?: number;
  /** Longest line kept, in UTF-16 code units. Default {@link DEFAULT_MAX_LINE_CHARS}. */
  maxLineChars?: number;
}

const LEVEL_FIELDS = ["Level", "level", "LEVEL", "Severity", "severity", "Type"];
const COMPONENT_FIELDS = ["Component", "component", "Program", "Process"];
const HOST_FIELDS = ["Host", "host", "Hostname", "hostname"];
const LEVEL_KEYWORD =
  /\b(FATAL|PANIC|EMERG|CRITICAL|CRIT|ALERT|FAILURE|SEVERE|ERROR|ERR|WARNING|WARN|NOTICE|INFO|DEBUG|TRACE)\b/;

let lastIsoMs = NaN;
let lastIso = "";
/** ISO string of a time; the ingest time repeats across a batch, so the last one is cached. */
function isoOf(ms: number): string {
  if (ms !== lastIsoMs) {
    lastIso = new Date(ms).toISOString();
    lastIsoMs = ms;
  }
  return lastIso;
}

let lastTsMs = NaN;
let lastTs = "";
function isoOfTs(ms: number): string {
  if (ms !== lastTsMs) {
    lastTs = new Date(ms).toISOString();
    lastTsMs = ms;
  }
  return lastTs;
}

/**
 * Most sources whose id prefix is cached. A source name comes from the input (a file path, a syslog app name,
 * an OTLP resource), so the cache is emptied when full — a miss costs one hash — and the entries dropped are
 * counted in `vigil_evictions_total{map="event_id_sources"}`.
 */
export const EVENT_ID_SOURCE_CACHE = 10_000;

/** Caches the per-source id prefix: hashing a long path for every line would be wasted work. */
const sourceHashes = new Map<string, string>();

/** The stable id of the event at `lineNo` of `source` (see module doc). */
export function eventId(source: string, lineNo: number, loop = 0): string {
  let h = sourceHashes.get(source);
  if (h === undefined) {
    h = stableHash(source);
    if (sourceHashes.size >= EVENT_ID_SOURCE_CACHE) {
      countEvictions("event_id_sources", sourceHashes.size);
      sourceHashes.clear();
    }
    sourceHashes.set(source, h);
  }
  return loop > 0 ? `${h}:${lineNo}:${loop}` : `${h}:${lineNo}`;
}

/**
 * Parses one line into an event.
 * @param line the line (text, line number, repairs already made).
 * @param format the compiled format.
 * @param ctx where the line comes from.
 * @param ingestMs when the line was read, ms since the epoch. Default now.
 * @returns the event; `parseError` is set when the line does not match the format.
 */
export function lineToEvent(
  line: RawLineInput,
  format: LogFormat,
  ctx: LineContext,
  ingestMs: number = Date.now(),
): LogEvent {
  const flags: EventFlag[] = line.flags ? [...line.flags] : [];
  const text = sanitizeText(line.text, flags, ctx.maxLineChars ?? DEFAULT_MAX_LINE_CHARS);
  const ingestTs = isoOf(ingestMs);
  const values = format.matchValues(text);
  const id = eventId(ctx.source, line.lineNo, ctx.loop ?? 0);
  const system = ctx.system ?? format.name;
  if (values === null) {
    flags.push("parse_error", "ts_from_ingest", "level_inferred");
    return {
      v: LOG_EVENT_SCHEMA_VERSION,
      id,
      ts: ingestTs,
      ingestTs,
      host: ctx.host,
      source: ctx.source,
      system,
      level: keywordLevel(text),
      component: "",
      content: text.trim(),
      fields: {},
      lineNo: line.lineNo,
      raw: text,
      flags,
      parseError: `line does not match format "${format.pattern}"`,
    };
  }
  const meta = metaOf(format);
  const fields: Record<string, string> = {};
  for (const i of meta.fieldIdx) fields[format.fields[i]] = values[i];
  let timeText = "";
  for (const i of meta.timeIdx) {
    if (values[i] !== "") {
      timeText = timeText === "" ? values[i] : timeText + " " + values[i];
    }
  }
  const tsMs = timestampFromText(timeText, ingestMs);
  if (tsMs === undefined) addFlag(flags, "ts_from_ingest");
  const fieldLevel = normaliseLevel(pick(values, meta.levelIdx));
  if (fieldLevel === undefined) addFlag(flags, "level_inferred");
  return {
    v: LOG_EVENT_SCHEMA_VERSION,
    id,
    ts: tsMs === undefined ? ingestTs : isoOfTs(tsMs),
    ingestTs,
    host: pick(values, meta.hostIdx) || ctx.host,
    source: ctx.source,
    system,
    level: fieldLevel ?? keywordLevel(text),
    component: meta.component ?? pick(values, meta.componentIdx),
    content: meta.contentIdx === -1 ? "" : values[meta.contentIdx],
    fields,
    lineNo: line.lineNo,
    raw: text,
    flags,
  };
}

/** Where each role's field sits in a format's values, computed once per format. */
interface FormatMeta {
  fieldIdx: number[];
  timeIdx: number[];
  levelIdx: number[];
  componentIdx: number[];
  hostIdx: number[];
  contentIdx: number;
  /** A fixed component (the format has the program as literal text, e.g. OpenSSH's `sshd`). */
  component?: string;
}
const metas = new WeakMap<LogFormat, FormatMeta>();
function metaOf(format: LogFormat): FormatMeta {
  let meta = metas.get(format);
  if (meta === undefined) {
    const f = format.fields;
    const idx = (names: readonly string[]) => names.map((n) => f.indexOf(n)).filter((i) => i !== -1);
    // A preset's roles when the format is that preset (Loghub's field names mislead), else the names decide.
    const roles = Object.hasOwn(PRESET_FIELD_ROLES, format.name) ? PRESET_FIELD_ROLES[format.name] : {};
    const role = (r: string | null | undefined, byName: readonly string[]) =>
      r === null ? [] : r === undefined ? idx(byName) : idx([r]);
    const component = typeof roles.component === "object" ? roles.component.literal : undefined;
    meta = {
      fieldIdx: f.map((_, i) => i).filter((i) => f[i] !== "Content"),
      timeIdx: f.map((_, i) => i).filter((i) => f[i] !== "Content" && isTimeField(f[i])),
      levelIdx: role(roles.level, LEVEL_FIELDS),
      componentIdx: typeof roles.component === "string" ? idx([roles.component]) : idx(COMPONENT_FIELDS),
      hostIdx: role(roles.host, HOST_FIELDS),
      contentIdx: f.indexOf("Content"),
      ...(component === undefined ? {} : { component }),
    };
    metas.set(format, meta);
  }
  return meta;
}

function pick(values: readonly string[], indexes: readonly number[]): string {
  for (const i of indexes) if (values[i]) return values[i];
  return "";
}

/**
 * The first severity keyword in the line (upper case only, to avoid prose like "no error"), else the level the
 * message implies ({@link messageLevel}: `error:`, `POSSIBLE BREAK-IN ATTEMPT!`, `authentication failure`, ...),
 * else `info`.
 */
export function keywordLevel(text: string): Level {
  const m = LEVEL_KEYWORD.exec(text.length > 512 ? text.slice(0, 512) : text);
  return (m && normaliseLevel(m[1])) ?? messageLevel(text) ?? "info";
}
