/**
 * Splits a byte stream into lines and repairs hostile input without dropping anything: every line that
 * arrives becomes exactly one {@link RawLine}, with flags saying what was repaired and the bytes it took.
 *
 * The decoding (CRLF, final line without `\n`, lines over `maxLineBytes` cut at a UTF-8 boundary and flagged
 * `truncated`, invalid UTF-8 → U+FFFD flagged `invalid_utf8`, control bytes except TAB → U+FFFD flagged
 * `binary`) is vigil's one byte decoder, {@link LineSplitter}, so the producer and the parse CLI cut and flag
 * lines identically. This adapter adds what only the producer needs: each line's size in the input (progress
 * and throughput) and a first line number. Empty lines are kept (the format machinery decides what they become).
 *
 * @module
 */
import type { EventFlag } from "../event/log_event.ts";
import { LineSplitter } from "../parsing/line_decoder.ts";

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
  const splitter = new LineSplitter({ maxLineBytes: options.maxLineBytes });
  const shift = (options.firstLineNo ?? 1) - 1;
  // The splitter completes exactly one line per `\n`, in order, so sizes found by scanning the same chunk for
  // `\n` pair up with its lines; `carry` is the size so far of the line still open.
  let carry = 0;
  const sizes: number[] = [];
  const raw = (line: { lineNo: number; text: string; flags: EventFlag[] }, bytes: number): RawLine => ({
    lineNo: line.lineNo + shift,
    text: line.text,
    flags: line.flags,
    bytes,
  });
  for await (const chunk of stream) {
    sizes.length = 0;
    let start = 0;
    for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, start)) {
      sizes.push(carry + nl - start + 1);
      carry = 0;
      start = nl + 1;
    }
    carry += chunk.length - start;
    const lines = splitter.push(chunk);
    for (let i = 0; i < lines.length; i++) yield raw(lines[i], sizes[i]);
  }
  for (const line of splitter.end()) yield raw(line, carry);
}
