/**
 * The error-semantics lexicon: groups of words that say something went wrong (or was put right), matched
 * case-insensitively on whole words of an event's text. General-purpose on purpose — written from what
 * operators mean by "failure", not from any one system's log lines — because the zero-shot model leans on it.
 *
 * @module
 */

/** A lexicon group: its feature name, how it reads in a reason, and its words (regex alternatives). */
export interface LexiconGroup {
  readonly name: string;
  /** Failure-class groups make an anomalous event severe (CRITICAL_ANOMALY). */
  readonly severe: boolean;
  readonly words: readonly string[];
}

/** The groups, in feature order. Changing them changes the feature spec (and so its hash). */
export const LEXICON_GROUPS: readonly LexiconGroup[] = Object.freeze([
  {
    name: "failure",
    severe: true,
    words: [
      "fail",
      "fails",
      "failed",
      "failing",
      "failure",
      "failures",
      "unable",
      "cannot",
      "can't",
      "could not",
      "couldn't",
    ],
  },
  { name: "error", severe: false, words: ["error", "errors", "err", "erroneous"] },
  {
    name: "fatal",
    severe: true,
    words: [
      "fatal",
      "panic",
      "crash",
      "crashed",
      "abort",
      "aborted",
      "aborting",
      "terminated",
      "killed",
      "segfault",
      "segmentation fault",
      "core dumped",
      "oops",
      "halted",
    ],
  },
  {
    name: "exception",
    severe: false,
    words: ["exception", "exceptions", "traceback", "stack trace", "assert", "assertion"],
  },
  {
    name: "corrupt",
    severe: true,
    words: ["corrupt", "corrupted", "corruption", "invalid", "malformed", "mismatch", "inconsistent", "bad"],
  },
  {
    name: "denied",
    severe: false,
    words: ["denied", "refused", "unauthorized", "forbidden", "not permitted", "permission", "illegal"],
  },
  {
    name: "timeout",
    severe: false,
    words: [
      "timeout",
      "timed out",
      "timedout",
      "expired",
      "deadline exceeded",
      "not responding",
      "unresponsive",
    ],
  },
  {
    name: "lost",
    severe: true,
    words: [
      "lost",
      "severed",
      "reset by peer",
      "broken pipe",
      "disconnected",
      "unreachable",
      "down",
      "dead",
      "lost connection",
    ],
  },
  {
    name: "resource",
    severe: true,
    words: ["out of memory", "oom", "no space", "disk full", "exhausted", "overflow", "too many", "leak"],
  },
  {
    name: "interrupt",
    severe: false,
    words: ["interrupt", "interrupted", "machine check", "parity", "ecc", "uncorrectable"],
  },
  {
    name: "warning",
    severe: false,
    words: ["warning", "warn", "deprecated", "retry", "retrying", "unexpected", "unknown"],
  },
  {
    name: "mitigation",
    severe: false,
    words: [
      "corrected",
      "recovered",
      "recovering",
      "success",
      "successful",
      "successfully",
      "succeeded",
      "completed",
      "resolved",
      "ok",
      "no error",
      "no errors",
      "0 errors",
    ],
  },
]);

/**
 * Per group (in `LEXICON_GROUPS` order), whether it says something failed: every group but the warning,
 * mitigation and interrupt ones. Read by the model's "semantics" feature and by the incident detectors.
 */
export const FAILURE_CLASS: readonly boolean[] = Object.freeze(
  LEXICON_GROUPS.map((g) => !["warning", "mitigation", "interrupt"].includes(g.name)),
);

const escape = (w: string) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/ /g, "\\s+");

/** One compiled regex per group, whole words, case-insensitive. */
const GROUP_REGEX: readonly RegExp[] = LEXICON_GROUPS.map((g) =>
  new RegExp(`(?<![A-Za-z0-9_])(?:${g.words.map(escape).join("|")})(?![A-Za-z0-9_])`, "i")
);

/** All groups at once: most lines match no group, and one scan is much cheaper than twelve. */
const ANY_REGEX = new RegExp(
  `(?<![A-Za-z0-9_])(?:${LEXICON_GROUPS.flatMap((g) => g.words).map(escape).join("|")})(?![A-Za-z0-9_])`,
  "i",
);

/** Longest text scanned: the lexicon looks at the head of a message, where its meaning is. */
export const LEXICON_SCAN_CHARS = 1024;

/**
 * Finds the lexicon groups present in a text.
 * @param text the message (only its first {@link LEXICON_SCAN_CHARS} characters are scanned).
 * @returns per group, the first matching word (lower case) or `undefined`.
 */
export function matchLexicon(text: string): (string | undefined)[] {
  const t = text.length > LEXICON_SCAN_CHARS ? text.slice(0, LEXICON_SCAN_CHARS) : text;
  const out: (string | undefined)[] = new Array(GROUP_REGEX.length);
  if (!ANY_REGEX.test(t)) return out;
  for (let i = 0; i < GROUP_REGEX.length; i++) {
    const m = GROUP_REGEX[i].exec(t);
    out[i] = m === null ? undefined : m[0].toLowerCase().replace(/\s+/g, " ");
  }
  return out;
}
