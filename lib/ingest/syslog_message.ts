/**
 * One syslog message (already framed and decoded) → an {@link EventDraft}: RFC 5424
 * (`<PRI>1 TIMESTAMP HOST APP PROCID MSGID [SD] MSG`) and RFC 3164 / BSD (`<PRI>Mmm dd hh:mm:ss HOST TAG[pid]: MSG`,
 * also with an ISO time as rsyslog's forward formats send it, and without a host as local senders do).
 *
 * Mapping: severity → level (emerg → fatal, alert and crit → critical, err → error, warning → warn, notice,
 * info, debug); facility and severity names, app name, proc id and msg id → `fields`; each structured-data
 * parameter → `fields["<SD-ID>.<name>"]`; APP-NAME / TAG → component; HOSTNAME → host.
 *
 * Never throws and reads each character at most a constant number of times (no backtracking regex): a message
 * that does not follow either RFC is kept whole as the content with `parseError` set, as the producer keeps a
 * line that does not match its format.
 *
 * @module
 */
import type { EventFlag, Level } from "../event/log_event.ts";
import { parseTimeText } from "../parsing/event_timestamp.ts";
import type { EventDraft } from "./ingest_event.ts";

/** Syslog severities 0–7 → vigil levels. */
export const SEVERITY_LEVELS: readonly Level[] = [
  "fatal",
  "critical",
  "critical",
  "error",
  "warn",
  "notice",
  "info",
  "debug",
];
const SEVERITY_NAMES = ["emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"];
const FACILITY_NAMES = [
  "kern",
  "user",
  "mail",
  "daemon",
  "auth",
  "syslog",
  "lpr",
  "news",
  "uucp",
  "cron",
  "authpriv",
  "ftp",
  "ntp",
  "security",
  "console",
  "solaris-cron",
  "local0",
  "local1",
  "local2",
  "local3",
  "local4",
  "local5",
  "local6",
  "local7",
];

/** Most structured-data parameters kept per message (the rest are skipped; `fields` is capped later anyway). */
const MAX_SD_PARAMS = 64;

interface Pri {
  facility: number;
  severity: number;
  /** Index just after `>`. */
  end: number;
}

/** `<PRI>` at the start: 1–3 digits, no leading zero, at most 191. */
function readPri(text: string): Pri | undefined {
  if (text.charCodeAt(0) !== 60) return undefined; // <
  let i = 1;
  let value = 0;
  while (i < text.length && i <= 4) {
    const c = text.charCodeAt(i);
    if (c === 62) break; // >
    if (c < 48 || c > 57) return undefined;
    if (i === 2 && text.charCodeAt(1) === 48) return undefined; // leading zero
    value = value * 10 + (c - 48);
    i++;
  }
  if (i === 1 || i > 4 || text.charCodeAt(i) !== 62 || value > 191) return undefined;
  return { facility: value >> 3, severity: value & 7, end: i + 1 };
}

/** The token from `at` to the next space (or the end), and where the next token starts. */
function token(text: string, at: number): { value: string; next: number } {
  let end = text.indexOf(" ", at);
  if (end === -1) end = text.length;
  return { value: text.slice(at, end), next: Math.min(end + 1, text.length) };
}

/**
 * Parses one syslog message.
 *
 * @param text the decoded message (frame) without its framing
 * @param flags repairs already made while decoding its bytes
 * @param receivedMs when it was received (the year of RFC 3164 times)
 */
export function parseSyslog(text: string, flags: EventFlag[], receivedMs: number): EventDraft {
  const pri = readPri(text);
  if (pri === undefined) {
    return {
      content: text,
      fields: {},
      raw: text,
      flags,
      parseError: "syslog message does not start with <PRI> (0–191)",
    };
  }
  const fields: Record<string, string> = {
    facility: FACILITY_NAMES[pri.facility] ?? String(pri.facility),
    severity: SEVERITY_NAMES[pri.severity],
  };
  const level = SEVERITY_LEVELS[pri.severity];
  if (text.startsWith("1 ", pri.end)) return parse5424(text, pri.end + 2, fields, level, flags, receivedMs);
  return parse3164(text, pri.end, fields, level, flags, receivedMs);
}

function nil(value: string): string {
  return value === "-" ? "" : value;
}

function parse5424(
  text: string,
  at: number,
  fields: Record<string, string>,
  level: Level,
  flags: EventFlag[],
  receivedMs: number,
): EventDraft {
  const ts = token(text, at);
  const host = token(text, ts.next);
  const app = token(text, host.next);
  const proc = token(text, app.next);
  const msgId = token(text, proc.next);
  let i = msgId.next;
  if ([ts, host, app, proc, msgId].some((t) => t.value === "")) {
    return {
      level,
      content: text.slice(at),
      fields,
      raw: text,
      flags,
      parseError: "RFC 5424 header is incomplete (TIMESTAMP HOSTNAME APP-NAME PROCID MSGID expected)",
    };
  }
  if (nil(app.value)) fields.appName = app.value;
  if (nil(proc.value)) fields.procId = proc.value;
  if (nil(msgId.value)) fields.msgId = msgId.value;
  let parseError: string | undefined;
  if (text.charCodeAt(i) === 45) { // - : no structured data
    i++;
  } else if (text.charCodeAt(i) === 91) { // [
    const sd = readStructuredData(text, i, fields);
    i = sd.end;
    parseError = sd.error;
  }
  if (text.charCodeAt(i) === 32) i++;
  let content = text.slice(i);
  if (content.charCodeAt(0) === 0xfeff) content = content.slice(1); // the BOM RFC 5424 puts before UTF-8 text
  let tsMs: number | undefined;
  if (nil(ts.value)) {
    tsMs = parseTimeText(ts.value, receivedMs);
    if (tsMs === undefined) fields.timestamp = ts.value;
  }
  return {
    tsMs,
    host: nil(host.value),
    component: nil(app.value),
    level,
    content,
    fields,
    raw: text,
    flags,
    ...(parseError === undefined ? {} : { parseError }),
  };
}

/**
 * `[id name="value" ...][id2 ...]` from `at`; values unescape `\"`, `\\` and `\]`. Stops at the first
 * malformed element, keeping what was read, and says so in `error`.
 */
function readStructuredData(
  text: string,
  at: number,
  fields: Record<string, string>,
): { end: number; error?: string } {
  let i = at;
  let params = 0;
  while (text.charCodeAt(i) === 91) {
    i++;
    const idEnd = scanName(text, i);
    if (idEnd === i) return { end: i, error: "structured data: element without an SD-ID" };
    const id = text.slice(i, idEnd);
    i = idEnd;
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 93) { // ]
        i++;
        break;
      }
      if (c !== 32) return { end: i, error: `structured data: element [${id} is not closed` };
      i++;
      const nameEnd = scanName(text, i);
      if (nameEnd === i || text.charCodeAt(nameEnd) !== 61 || text.charCodeAt(nameEnd + 1) !== 34) {
        return { end: i, error: `structured data: bad parameter in [${id}` };
      }
      const name = text.slice(i, nameEnd);
      i = nameEnd + 2;
      let value = "";
      let start = i;
      for (;;) {
        if (i >= text.length) return { end: i, error: `structured data: unterminated value in [${id}` };
        const v = text.charCodeAt(i);
        if (v === 92 && i + 1 < text.length) { // backslash escapes only " \ ]
          const n = text.charCodeAt(i + 1);
          if (n === 34 || n === 92 || n === 93) {
            value += text.slice(start, i);
            start = i + 1;
            i += 2;
            continue;
          }
        }
        if (v === 34) break;
        i++;
      }
      value += text.slice(start, i);
      i++;
      if (params++ < MAX_SD_PARAMS) fields[`${id}.${name}`] = value;
    }
  }
  return { end: i };
}

/** End of an SD-NAME: printable ASCII except space, `=`, `]`, `"` (at most 32 characters). */
function scanName(text: string, at: number): number {
  let i = at;
  while (i < text.length && i - at < 32) {
    const c = text.charCodeAt(i);
    if (c <= 32 || c >= 127 || c === 61 || c === 93 || c === 34) break;
    i++;
  }
  return i;
}

const MONTHS = new Set(["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]);

function parse3164(
  text: string,
  at: number,
  fields: Record<string, string>,
  level: Level,
  flags: EventFlag[],
  receivedMs: number,
): EventDraft {
  let i = at;
  let tsMs: number | undefined;
  if (MONTHS.has(text.slice(i, i + 3)) && text.charCodeAt(i + 3) === 32) {
    // Mmm dd hh:mm:ss — the day is space-padded, so the time is a fixed 15 characters.
    tsMs = parseTimeText(text.slice(i, i + 15), receivedMs);
    if (tsMs !== undefined) i += text.charCodeAt(i + 15) === 32 ? 16 : 15;
  } else if (/^\d{4}-\d\d-\d\dT/.test(text.slice(i, i + 11))) {
    const t = token(text, i);
    tsMs = parseTimeText(t.value, receivedMs);
    if (tsMs !== undefined) i = t.next;
  }
  // HOSTNAME, unless the next token is already the tag (`tag:` / `tag[pid]:`), as local senders omit it.
  let host = "";
  const first = token(text, i);
  if (tsMs !== undefined && !isTag(first.value) && first.next < text.length) {
    host = first.value;
    i = first.next;
  }
  // TAG[pid]: — the tag is at most 32 alphanumerics (RFC 3164 §4.1.3), but senders use `-`, `.`, `/`, `_`.
  let component = "";
  let tagEnd = i;
  while (tagEnd < text.length && tagEnd - i < 48) {
    const c = text.charCodeAt(tagEnd);
    if (c === 58 || c === 91 || c === 32) break; // : [ space
    tagEnd++;
  }
  let j = tagEnd;
  let pid = "";
  if (text.charCodeAt(j) === 91) {
    const close = text.indexOf("]", j);
    if (close !== -1 && close - j <= 16) {
      pid = text.slice(j + 1, close);
      j = close + 1;
    }
  }
  if (tagEnd > i && text.charCodeAt(j) === 58) {
    component = text.slice(i, tagEnd);
    if (pid !== "") fields.procId = pid;
    i = j + 1;
    if (text.charCodeAt(i) === 32) i++;
  }
  return {
    tsMs,
    host,
    component,
    level,
    content: text.slice(i),
    fields,
    raw: text,
    flags,
  };
}

function isTag(value: string): boolean {
  return value.endsWith(":") || /^[^\s[]+\[[^\]]*\]:?$/.test(value);
}
