/**
 * Finds an event's own time in the date/time fields of a parsed line.
 *
 * Rule (stated once, applied everywhere):
 * - The values of the fields whose names mention a date or time (`Date`, `Time`, `Month`, `Day`,
 *   `Timestamp`, `Datetime`, ...) are joined with spaces in format order and read by the first shape below
 *   that matches: ISO-like `YYYY-MM-DD[ T-]hh:mm:ss[.,:frac]` (any of `-/.` between date parts, `:` or `.`
 *   between time parts), `YYYYMMDD-hh:mm:ss[:frac]`, `YYMMDD hhmmss` (HDFS), `YY/MM/DD hh:mm:ss` (Spark),
 *   `Mon DD hh:mm:ss [YYYY]` (syslog, Apache), `MM-DD hh:mm:ss[.frac]` (Android), `MM.DD hh:mm:ss`
 *   (Proxifier), and last a 10-digit (seconds) or 13-digit (milliseconds) Unix epoch.
 * - Zone-less times are taken as UTC (logs rarely say their zone; UTC is the only choice every process agrees
 *   on). An explicit `Z` or `±hh[:]mm` after the time is honoured.
 * - Year-less times take the year of the ingest time; if that puts the event more than one day after the
 *   ingest time, the previous year (a December line read in January). Two-digit years are 20YY.
 * - Anything else, or an impossible date, gives `undefined` and the caller uses the ingest time (flag
 *   `ts_from_ingest`).
 * @module
 */

const MONTHS: Readonly<Record<string, number>> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};
const TIME_FIELD = /date|time|month|day|timestamp|when/i;
const ZONE = "\\s*(Z|[+-]\\d{2}:?\\d{2})?";
const ISO = new RegExp(
  `(\\d{4})[-/.](\\d{1,2})[-/.](\\d{1,2})[ T-](\\d{1,2})[:.](\\d{2})[:.](\\d{2})(?:[.,:](\\d{1,9}))?${ZONE}`,
);
const COMPACT = /(\d{4})(\d{2})(\d{2})-(\d{1,2}):(\d{2}):(\d{2})(?::(\d{1,9}))?/;
const HDFS = /\b(\d{2})(\d{2})(\d{2}) (\d{2})(\d{2})(\d{2})\b/;
const SPARK = /\b(\d{2})\/(\d{2})\/(\d{2}) (\d{1,2}):(\d{2}):(\d{2})\b/;
const SYSLOG =
  /\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\s+(\d{1,2})\s+(\d{1,2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?(?:\s+(\d{4}))?/i;
const MONTH_DAY = /\b(\d{2})[-.](\d{2}) (\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?\b/;
const EPOCH = /\b(\d{10}|\d{13})(?:\.(\d{1,9}))?\b/;

let lastText = "";
let lastIngestMs = 0;
let lastMs: number | undefined;
const timeFieldCache = new Map<string, boolean>();
function isTimeFieldCached(name: string): boolean {
  let r = timeFieldCache.get(name);
  if (r === undefined) {
    r = TIME_FIELD.test(name);
    if (timeFieldCache.size < 10_000) timeFieldCache.set(name, r);
  }
  return r;
}

/** The names of the format fields that may carry the event time. */
export function isTimeField(name: string): boolean {
  return TIME_FIELD.test(name);
}

/**
 * Reads the event time from a line's fields.
 * @param fields the line's fields by name (in format order).
 * @param ingestMs the ingest time in ms since the epoch (gives the year of year-less formats).
 * @returns ms since the epoch (UTC), or `undefined` when no field holds a usable time.
 */
export function extractTimestamp(fields: Record<string, string>, ingestMs: number): number | undefined {
  let text = "";
  for (const name in fields) {
    if (fields[name] !== "" && isTimeFieldCached(name)) {
      text = text === "" ? fields[name] : text + " " + fields[name];
    }
  }
  return timestampFromText(text, ingestMs);
}

/**
 * Reads the event time from the time fields' values already joined with spaces (see module doc); cached for
 * the common run of lines sharing one time text.
 * @returns ms since the epoch, or `undefined`.
 */
export function timestampFromText(text: string, ingestMs: number): number | undefined {
  if (text === "") return undefined;
  // Many lines share a second: the last text read is cached (year-less results depend on the ingest year too).
  if (text === lastText && Math.abs(ingestMs - lastIngestMs) < 3_600_000) return lastMs;
  lastMs = parseTimeText(text, ingestMs);
  lastText = text;
  lastIngestMs = ingestMs;
  return lastMs;
}

/**
 * Reads a time from free text by the shapes listed in the module doc.
 * @returns ms since the epoch, or `undefined`.
 */
export function parseTimeText(text: string, ingestMs: number): number | undefined {
  // Logs of one source keep one shape: try the shape that worked last time first.
  const first = SHAPES[lastShape](text, ingestMs);
  if (first !== NO_MATCH) return first;
  for (let i = 0; i < SHAPES.length; i++) {
    if (i === lastShape) continue;
    const r = SHAPES[i](text, ingestMs);
    if (r !== NO_MATCH) {
      lastShape = i;
      return r;
    }
  }
  return undefined;
}

const NO_MATCH = -1;
let lastShape = 0;
/** Each shape returns ms, `undefined` (matched but impossible) or {@link NO_MATCH}. */
const SHAPES: ((text: string, ingestMs: number) => number | undefined)[] = [
  (text) => {
    const m = ISO.exec(text);
    return m ? build(+m[1], +m[2], +m[3], +m[4], +m[5], +m[6], m[7], m[8]) : NO_MATCH;
  },
  (text) => {
    const m = COMPACT.exec(text);
    return m ? build(+m[1], +m[2], +m[3], +m[4], +m[5], +m[6], m[7]) : NO_MATCH;
  },
  (text) => {
    const m = HDFS.exec(text);
    return m ? build(2000 + +m[1], +m[2], +m[3], +m[4], +m[5], +m[6]) : NO_MATCH;
  },
  (text) => {
    const m = SPARK.exec(text);
    return m ? build(2000 + +m[1], +m[2], +m[3], +m[4], +m[5], +m[6]) : NO_MATCH;
  },
  (text, ingestMs) => {
    const m = SYSLOG.exec(text);
    if (!m) return NO_MATCH;
    const month = MONTHS[m[1].toLowerCase()];
    if (m[7]) return build(+m[7], month, +m[2], +m[3], +m[4], +m[5], m[6]);
    return yearless(month, +m[2], +m[3], +m[4], +m[5], m[6], ingestMs);
  },
  (text, ingestMs) => {
    const m = MONTH_DAY.exec(text);
    return m ? yearless(+m[1], +m[2], +m[3], +m[4], +m[5], m[6], ingestMs) : NO_MATCH;
  },
  (text) => {
    const m = EPOCH.exec(text);
    if (!m) return NO_MATCH;
    const ms = m[1].length === 13 ? +m[1] : +m[1] * 1000 + fraction(m[2]);
    return ms > 0 && ms < 32503680000000 ? ms : undefined;
  },
];

function yearless(
  month: number,
  day: number,
  h: number,
  mi: number,
  s: number,
  frac: string | undefined,
  ingestMs: number,
): number | undefined {
  const year = new Date(ingestMs).getUTCFullYear();
  const ms = build(year, month, day, h, mi, s, frac);
  if (ms !== undefined && ms > ingestMs + 86_400_000) return build(year - 1, month, day, h, mi, s, frac);
  return ms;
}

/** Milliseconds of a fraction of a second given by its digits (`"675872"` → 675). */
function fraction(frac: string | undefined): number {
  if (!frac) return 0;
  const ms = frac.length >= 3 ? frac.slice(0, 3) : (frac + "00").slice(0, 3);
  return +ms;
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function build(
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  s: number,
  frac?: string,
  zone?: string,
): number | undefined {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 24 || mi > 59 || s > 60 || y < 1970 || y > 2999) {
    return undefined;
  }
  if (
    d > DAYS_IN_MONTH[mo - 1] || (mo === 2 && d === 29 && !(y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)))
  ) {
    return undefined; // e.g. 31 Feb
  }
  let ms = Date.UTC(y, mo - 1, d, h, mi, s, fraction(frac));
  if (zone && zone !== "Z") {
    const sign = zone[0] === "-" ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    ms -= sign * (+digits.slice(0, 2) * 60 + +digits.slice(2)) * 60_000;
  }
  return Number.isFinite(ms) ? ms : undefined;
}
