/**
 * A small, system-agnostic list of failures that deserve a page whatever level the line was logged at — the
 * ones every operations handbook names: the kernel gave up, memory ran out and the killer chose a victim, a
 * filesystem went read-only or lost its journal, the hardware reported an uncorrectable error, a disk or an
 * array failed. Written from those handbooks (Linux kernel messages, systemd, storage controllers), not from
 * any log sample vigil is measured on; each entry says what it catches.
 *
 * @module
 */

/** One page-worthy failure: its name (shown in reasons) and the phrases that say it. */
export interface PageWorthyFailure {
  readonly name: string;
  readonly pattern: RegExp;
}

// Each pattern is a flat alternation of literal phrases with bounded gaps: linear to match, no nested
// quantifiers, so a hostile line cannot make it backtrack.
/** The list (see module doc). */
export const PAGE_WORTHY_FAILURES: readonly PageWorthyFailure[] = Object.freeze([
  { name: "kernel panic", pattern: /\bkernel panic\b|\bkernel bug at\b|\bbug: unable to handle kernel\b/i },
  {
    name: "out of memory",
    pattern: /\bout of memory\b|\boom-killer\b|\boom killer\b|\bkilled process \d+|\boutofmemoryerror\b/i,
  },
  {
    name: "filesystem read-only",
    pattern: /\bremounting filesystem read-only\b|\bread-only file ?system\b|\bjournal has aborted\b/i,
  },
  { name: "filesystem error", pattern: /\b(?:ext[234]|xfs|btrfs)-fs error\b|\bfilesystem corruption\b/i },
  {
    name: "hardware error",
    pattern: /\bmachine check exception\b|\buncorrectable (?:ecc )?error\b|\bhardware error\b/i,
  },
  {
    name: "disk failure",
    pattern: /\bdisk failure\b|\bdrive failure\b|\bi\/o error, dev\b|\bmedium error\b|\barray is degraded\b/i,
  },
  { name: "no space left", pattern: /\bno space left on device\b|\bdisk full\b/i },
  { name: "segmentation fault", pattern: /\bsegfault at\b|\bsegmentation fault\b|\bcore dumped\b/i },
]);

/** Longest text scanned (the failure is said at the head of a message). */
const SCAN_CHARS = 1024;

/**
 * The page-worthy failure a message reports, if any.
 * @param text the event's content.
 * @returns its name, or `undefined`.
 */
export function pageWorthyFailure(text: string): string | undefined {
  const t = text.length > SCAN_CHARS ? text.slice(0, SCAN_CHARS) : text;
  for (const f of PAGE_WORTHY_FAILURES) if (f.pattern.test(t)) return f.name;
  return undefined;
}
