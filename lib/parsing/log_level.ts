/**
 * Normalisation of the many ways logs spell severity into vigil's eight levels.
 * @module
 */
import type { Level } from "../event/log_event.ts";

// Why these mappings: syslog (emerg > alert > crit), Java (SEVERE is java.util.logging's highest, FINE* are
// debug/trace), Windows event levels (Information/Warning/Error), BGL (FAILURE/SEVERE/FATAL), Android (V/D/I/W/E/F).
const LEVEL_WORDS: Readonly<Record<string, Level>> = {
  trace: "trace",
  finest: "trace",
  finer: "trace",
  verbose: "trace",
  v: "trace",
  trc: "trace",
  debug: "debug",
  dbg: "debug",
  fine: "debug",
  d: "debug",
  config: "debug",
  info: "info",
  information: "info",
  informational: "info",
  i: "info",
  inf: "info",
  ok: "info",
  notice: "notice",
  note: "notice",
  n: "notice",
  warn: "warn",
  warning: "warn",
  w: "warn",
  wrn: "warn",
  error: "error",
  err: "error",
  e: "error",
  severe: "error",
  erro: "error",
  critical: "critical",
  crit: "critical",
  alert: "critical",
  failure: "critical",
  fail: "critical",
  c: "critical",
  fatal: "fatal",
  emerg: "fatal",
  emergency: "fatal",
  panic: "fatal",
  f: "fatal",
};

const LEVEL_CACHE = new Map<string, Level>();

/**
 * Maps a severity word (any case, surrounding spaces/brackets ignored) to a {@link Level}.
 * @returns the level, or `undefined` when the word is not a known severity (e.g. a host name in Linux logs).
 */
export function normaliseLevel(word: string | undefined): Level | undefined {
  if (word === undefined || word === "") return undefined;
  const direct = LEVEL_CACHE.get(word);
  if (direct !== undefined) return direct;
  const key = stripBrackets(word.trim()).toLowerCase();
  const level = Object.hasOwn(LEVEL_WORDS, key) ? LEVEL_WORDS[key] : undefined;
  if (level !== undefined && LEVEL_CACHE.size < 1000) LEVEL_CACHE.set(word, level);
  return level;
}

/**
 * Removes leading `[ ( <` and trailing `] ) > :` — what `replace(/^[[(<]+|[\])>:]+$/g, "")` did, in linear
 * time: that expression retried its trailing run at every position (0.7 s on 20k `)` then a letter).
 */
function stripBrackets(word: string): string {
  let start = 0, end = word.length;
  for (let c: number; start < end && ((c = word.charCodeAt(start)) === 91 || c === 40 || c === 60);) start++;
  for (
    let c: number;
    end > start && ((c = word.charCodeAt(end - 1)) === 93 || c === 41 || c === 62 || c === 58);
  ) {
    end--;
  }
  return word.slice(start, end);
}

// Daemons such as sshd log per-session failures without a severity field: `error:`/`fatal:` end a session (the
// daemon lives on), the rest are the security and failure signs an operator filters on.
const ERROR_PHRASE = /\b(?:error|fatal|panic):|\bsegfault\b|\bout of memory\b/i;
const WARN_PHRASE =
  /break-in attempt|authentication failure|\bfail(?:ed|ure|s)?\b|\binvalid user\b|\bdenied\b|\brefused\b|\btimed out\b/i;

/**
 * The level a message without a severity field implies: `error` for `error:`, `fatal:`, `panic:`, segfaults
 * and out-of-memory; `warn` for break-in attempts, authentication failures, failed/failure, invalid users,
 * denied, refused and timeouts (case-insensitive, first 512 characters).
 * @returns the level, or `undefined` when nothing in the message implies one.
 */
export function messageLevel(text: string): Level | undefined {
  const head = text.length > 512 ? text.slice(0, 512) : text;
  if (ERROR_PHRASE.test(head)) return "error";
  if (WARN_PHRASE.test(head)) return "warn";
  return undefined;
}
