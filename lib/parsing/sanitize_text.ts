/**
 * Repairs of hostile text that every line goes through before it becomes an event, for text that arrives
 * already decoded (the byte path, {@link ./line_decoder.ts}, does the same on bytes).
 * @module
 */
import type { EventFlag } from "../event/log_event.ts";

// deno-lint-ignore no-control-regex -- matching control bytes is the point
const CONTROL = /[\x00-\x08\x0B-\x1F\x7F]/;
// deno-lint-ignore no-control-regex -- matching control bytes is the point
const CONTROL_GLOBAL = /[\x00-\x08\x0B-\x1F\x7F]/g;

/** Default longest line kept, in UTF-16 code units (matches the producer's 64 KiB byte limit for ASCII). */
export const DEFAULT_MAX_LINE_CHARS = 65_536;

/**
 * Repairs a decoded line: strips a trailing `\r` (CRLF), cuts it at `maxChars` (flag `truncated`, never
 * splitting a surrogate pair), replaces lone surrogates with U+FFFD (flag `invalid_utf8`) and NUL / C0 controls
 * other than TAB, and DEL, with U+FFFD (flag `binary`).
 * @param text the line, without its `\n`.
 * @param flags flags to add to (mutated; duplicates are not added).
 * @param maxChars the longest line kept.
 * @returns the repaired text.
 */
export function sanitizeText(text: string, flags: EventFlag[], maxChars = DEFAULT_MAX_LINE_CHARS): string {
  if (text.length > 0 && text.charCodeAt(text.length - 1) === 13) text = text.slice(0, -1);
  if (text.length > maxChars) {
    let cut = maxChars;
    const c = text.charCodeAt(cut - 1);
    if (c >= 0xd800 && c <= 0xdbff) cut--; // do not leave half a surrogate pair
    text = text.slice(0, cut);
    addFlag(flags, "truncated");
  }
  if (!needsRepair(text)) return text; // one cheap pass for the common, clean line
  if (!text.isWellFormed()) {
    text = text.toWellFormed();
    addFlag(flags, "invalid_utf8");
  }
  if (CONTROL.test(text)) {
    text = text.replace(CONTROL_GLOBAL, "\uFFFD");
    addFlag(flags, "binary");
  }
  return text;
}

/** Whether the text holds a control character (other than TAB) or a surrogate (possibly lone). */
function needsRepair(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 32 && c !== 9) || c === 127 || (c >= 0xd800 && c <= 0xdfff)) return true;
  }
  return false;
}

/** Adds a flag unless present. */
export function addFlag(flags: EventFlag[], flag: EventFlag): void {
  if (!flags.includes(flag)) flags.push(flag);
}
