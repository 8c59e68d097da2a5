/**
 * What every ingest receiver (syslog, OTLP) produces before it becomes a {@link LogEvent}: an {@link EventDraft}
 * holding the protocol's values as they came, and {@link draftToEvent}, the one place that applies the
 * producer's rules to them — hostile text repaired and flagged by {@link sanitizeText}, lengths capped to the
 * schema's limits (flag `truncated`), a time outside what the schema can hold replaced with the ingest time
 * (flag `ts_from_ingest`), a missing level read from the words (flag `level_inferred`, {@link keywordLevel}).
 * So a receiver never builds an event the engine would dead-letter for its shape.
 *
 * @module
 */
import { type EventFlag, type Level, LOG_EVENT_SCHEMA_VERSION, type LogEvent } from "../event/log_event.ts";
import { keywordLevel } from "../parsing/line_to_event.ts";
import { addFlag, sanitizeText } from "../parsing/sanitize_text.ts";
import { stableHash } from "../parsing/stable_hash.ts";

/** An event as a receiver read it, before the producer's rules are applied. */
export interface EventDraft {
  /** Event time, ms since the epoch; `undefined` when the message has none. */
  tsMs?: number;
  /** Host named by the message; the receiver's peer is used when empty. */
  host?: string;
  component?: string;
  /** Level mapped from the protocol's severity; `undefined` to infer it from the content. */
  level?: Level;
  content: string;
  fields: Record<string, string>;
  /** The message as received (decoded text). */
  raw: string;
  /** Repairs already made while decoding bytes (`truncated`, `invalid_utf8`, `binary`). */
  flags: EventFlag[];
  /** Set when the message did not follow its protocol: what went wrong (the event is kept, flagged). */
  parseError?: string;
}

/** Where the drafts of one receiver come from. */
export interface IngestContext {
  /** e.g. `syslog-tcp:10.0.0.7` or `otlp-http:10.0.0.7`. */
  source: string;
  /** `syslog` or `otlp`: put in `system`. */
  system: string;
  /** Host when the draft names none (the peer address). */
  peerHost: string;
  /** Longest content / raw kept, in UTF-16 code units (config `ingest.maxFrameBytes`). */
  maxChars: number;
}

/** Most named fields kept per event; the rest are dropped and counted in `fields.droppedFields`. */
export const MAX_FIELDS = 128;
/** Longest field value kept, characters. */
export const MAX_FIELD_CHARS = 8192;
const MAX_FIELD_NAME_CHARS = 256;
const MAX_HOST_CHARS = 512;
const MAX_COMPONENT_CHARS = 1024;
/** The latest time `z.iso.datetime()` accepts (a four-digit year). */
const MAX_TS_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

// One random instance id per process: ids stay unique across restarts without any state on disk.
const INSTANCE = crypto.randomUUID();
let sequence = 0;

/**
 * Applies the producer's rules to a draft (see module doc).
 *
 * @param draft the receiver's reading of one message
 * @param ctx where it came from
 * @param ingestMs when it was received. Default now.
 */
export function draftToEvent(draft: EventDraft, ctx: IngestContext, ingestMs: number = Date.now()): LogEvent {
  const flags = [...draft.flags];
  const raw = sanitizeText(draft.raw, flags, ctx.maxChars);
  const content = sanitizeText(draft.content, flags, ctx.maxChars);
  const ingestTs = new Date(ingestMs).toISOString();
  const tsMs = draft.tsMs;
  const timeOk = tsMs !== undefined && Number.isFinite(tsMs) && tsMs >= 0 && tsMs <= MAX_TS_MS;
  if (!timeOk) addFlag(flags, "ts_from_ingest");
  let level = draft.level;
  if (level === undefined) {
    level = keywordLevel(content);
    addFlag(flags, "level_inferred");
  }
  const fields: Record<string, string> = {};
  let kept = 0;
  let dropped = 0;
  for (const [name, value] of Object.entries(draft.fields)) {
    if (kept >= MAX_FIELDS) {
      dropped++;
      continue;
    }
    const key = sanitizeText(name, flags, MAX_FIELD_NAME_CHARS);
    if (key === "" || key === "__proto__") continue;
    fields[key] = sanitizeText(value, flags, MAX_FIELD_CHARS);
    kept++;
  }
  if (dropped > 0) {
    fields.droppedFields = String(dropped);
    addFlag(flags, "truncated");
  }
  const host = sanitizeText(draft.host || ctx.peerHost, flags, MAX_HOST_CHARS);
  const event: LogEvent = {
    v: LOG_EVENT_SCHEMA_VERSION,
    id: `${stableHash(INSTANCE)}:${++sequence}`,
    ts: timeOk ? new Date(tsMs).toISOString() : ingestTs,
    ingestTs,
    host,
    source: ctx.source.slice(0, 4096),
    system: ctx.system.slice(0, 128),
    level,
    component: sanitizeText(draft.component ?? "", flags, MAX_COMPONENT_CHARS),
    content,
    fields,
    lineNo: sequence,
    raw,
    flags,
  };
  if (draft.parseError !== undefined) {
    addFlag(flags, "parse_error");
    event.parseError = draft.parseError;
  }
  return event;
}
