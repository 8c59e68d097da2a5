/**
 * Splits a byte stream into lines and repairs hostile input without dropping anything: every line that
 * arrives becomes exactly one {@link RawLine}, with flags saying what was repaired.
 *
 * - `\n` ends a line; a `\r` right before it (CRLF) is removed; a final line without `\n` is still a line;
 *   empty lines are kept (the format machinery decides what they become).
 * - Lines longer than `maxLineBytes` are cut at a UTF-8 character boundary (flag `truncated`); the rest of
 *   the line is skipped, so one huge line costs no more memory than the limit.
 * - Invalid UTF-8 is replaced with U+FFFD (flag `invalid_utf8`).
 * - NUL and other C0 control characters except TAB, and DEL, are replaced with U+FFFD (flag `binary`), so
 *   downstream JSON, terminals and search engines never see raw control bytes.
 *
 * @module
 */
import type { EventFlag } from "../event/log_event.ts";

/** One line of input with what was repaired. */
export interface RawLine {
  /** 1-based line number in the stream. */
  lineNo: number;
  /** The line's text without its line ending, repaired as `flags` say. */
  text: string;
  /** Repairs made: `truncated`, `invalid_utf8`, `binary` (empty when the line was clean). */
  flags: EventFlag[];
  /** Bytes the line occupied in the input, line ending included (for progress and throughput). */
  bytes: number;
}

/** Options of {@link readLines}. */
export interface ReadLinesOptions {
  /** Longest line kept, in bytes; longer lines are cut and flagged. Default 65536. */
  maxLineBytes?: number;
  /** Number of the first line (1-based). Default 1. */
  firstLineNo?: number;
}

// deno-lint-ignore no-control-regex -- matching control bytes is the point
const CONTROL = /[\x00-\x08\x0B-\x1F\x7F]/;
// deno-lint-ignore no-control-regex -- matching control bytes is the point
const CONTROL_GLOBAL = /[\x00-\x08\x0B-\x1F\x7F]/g;
const lenient = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });
const strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * Decodes one line's bytes (line ending already removed) and repairs it.
 *
 * @param bytes the line's bytes, at most the limit
 * @param truncated whether the line was cut
 */
export function decodeLine(bytes: Uint8Array, truncated: boolean): { text: string; flags: EventFlag[] } {
  const flags: EventFlag[] = truncated ? ["truncated"] : [];
  let text = lenient.decode(bytes);
  if (text.includes("\uFFFD")) {
    // U+FFFD may be genuine text; only a strict decode can tell.
    try {
      strict.decode(bytes);
    } catch {
      flags.push("invalid_utf8");
    }
  }
  if (CONTROL.test(text)) {
    text = text.replace(CONTROL_GLOBAL, "\uFFFD");
    flags.push("binary");
  }
  return { text, flags };
}

/** Returns the largest cut ≤ start + limit that does not split a UTF-8 sequence. */
function charBoundary(bytes: Uint8Array, start: number, limit: number): number {
  let cut = start + limit;
  // Back off over continuation bytes (10xxxxxx), at most 3 of them.
  for (let i = 0; i < 3 && cut > start && (bytes[cut] & 0xc0) === 0x80; i++) cut--;
  return cut;
}

/**
 * Reads lines from a byte stream.
 *
 * @param stream the input bytes (already decompressed)
 * @param options line limit and first line number
 * @throws {RangeError} when maxLineBytes is not a positive integer
 */
export async function* readLines(
  stream: ReadableStream<Uint8Array>,
  options: ReadLinesOptions = {},
): AsyncGenerator<RawLine> {
  const max = options.maxLineBytes ?? 65_536;
  if (!Number.isInteger(max) || max < 1) {
    throw new RangeError(
      `Cannot read lines as maxLineBytes must be a positive integer: current value is ${max}`,
    );
  }
  let lineNo = (options.firstLineNo ?? 1) - 1;
  // The current line's kept bytes (≤ max), plus how many bytes it really had.
  let pending: Uint8Array = new Uint8Array(0);
  let pendingBytes = 0;
  let truncated = false;

  // `body` holds at most max + 1 bytes (room for a CR); `overflow` says more bytes were skipped.
  const emit = (body: Uint8Array, total: number, overflow: boolean): RawLine => {
    let end = body.length;
    if (!overflow && end > 0 && body[end - 1] === 13) end--; // CRLF
    let cut = overflow;
    if (end > max) {
      end = charBoundary(body, 0, max);
      cut = true;
    }
    const { text, flags } = decodeLine(body.subarray(0, end), cut);
    return { lineNo: ++lineNo, text, flags, bytes: total };
  };

  const append = (chunk: Uint8Array, from: number, to: number) => {
    pendingBytes += to - from;
    if (truncated) return;
    const room = max + 1 - pending.length;
    if (to - from > room) {
      pending = concat(pending, chunk.subarray(from, from + room));
      truncated = true;
    } else {
      pending = concat(pending, chunk.subarray(from, to));
    }
  };

  for await (const chunk of stream) {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(10, start);
      if (nl < 0) break;
      if (pendingBytes === 0 && nl - start <= max + 1) {
        // Fast path: the whole line is inside this chunk.
        yield emit(chunk.subarray(start, nl), nl - start + 1, false);
      } else {
        append(chunk, start, nl);
        yield emit(pending, pendingBytes + 1, truncated);
        pending = new Uint8Array(0);
        pendingBytes = 0;
        truncated = false;
      }
      start = nl + 1;
    }
    if (start < chunk.length) append(chunk, start, chunk.length);
  }
  if (pendingBytes > 0) yield emit(pending, pendingBytes, truncated);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b.slice();
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
