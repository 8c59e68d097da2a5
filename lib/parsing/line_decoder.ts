/**
 * Bytes → lines, flagging what had to be repaired: `\n` ends a line and a `\r` before it is removed (CRLF); a
 * last line without `\n` is still a line; lines longer than `maxLineBytes` (line ending excluded, so a CRLF line
 * of exactly the limit is whole) are cut at a UTF-8 character boundary and flagged `truncated` (the rest is
 * skipped, so memory stays bounded); invalid UTF-8 is replaced with U+FFFD and flagged `invalid_utf8` (detected
 * with a strict decoder, so a genuine U+FFFD in valid input is not mistaken for damage); NUL and other control
 * bytes except TAB are replaced and flagged `binary`.
 *
 * This is vigil's one byte decoder: the parse CLI and benches use {@link LineSplitter} directly, the producer
 * through `lib/producer/line_reader.ts`, which adds byte counts for progress.
 * @module
 */
import type { EventFlag } from "../event/log_event.ts";
import type { RawLineInput } from "./line_to_event.ts";

/** Options of {@link decodeLines}. */
export interface DecodeLinesOptions {
  /** Longest line kept, in bytes. Default 65536. */
  maxLineBytes?: number;
}

/** A decoded line with its repairs. */
export interface DecodedLine extends RawLineInput {
  flags: EventFlag[];
}

const strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const lenient = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });
const encoder = new TextEncoder();
// deno-lint-ignore no-control-regex -- matching control bytes is the point
const CONTROL = /[\x00-\x08\x0B-\x1F\x7F]/;
// deno-lint-ignore no-control-regex -- matching control bytes is the point
const CONTROL_GLOBAL = /[\x00-\x08\x0B-\x1F\x7F]/g;

/**
 * Decodes bytes whose line ending is already gone: strict first, lenient (and flagged `invalid_utf8`) only when
 * invalid; control bytes other than TAB are replaced (flag `binary`). Also used for frames that are not lines
 * (syslog's octet-counted frames, datagrams).
 *
 * @param truncated whether the bytes were already cut (adds flag `truncated`)
 */
export function decodeLineBytes(bytes: Uint8Array, truncated: boolean): { text: string; flags: EventFlag[] } {
  const flags: EventFlag[] = truncated ? ["truncated"] : [];
  let text: string;
  try {
    text = strict.decode(bytes);
  } catch {
    text = lenient.decode(bytes);
    flags.push("invalid_utf8");
  }
  if (CONTROL.test(text)) {
    text = text.replace(CONTROL_GLOBAL, "\uFFFD");
    flags.push("binary");
  }
  return { text, flags };
}

/** The largest cut ≤ `limit` that does not split a UTF-8 sequence (backs off over at most 3 continuation bytes). */
function charBoundary(bytes: Uint8Array, limit: number): number {
  let cut = limit;
  for (let i = 0; i < 3 && cut > 0 && (bytes[cut] & 0xc0) === 0x80; i++) cut--;
  return cut;
}

/**
 * Synchronous, incremental bytes → lines splitter (the engine of {@link decodeLines}; use it directly in hot
 * loops: it returns whole batches and costs no promise per line). Valid UTF-8 regions are decoded in one call
 * and split as strings; a region with invalid bytes falls back to per-line decoding so only the bad lines are
 * flagged.
 */
export class LineSplitter {
  readonly #max: number;
  #lineNo = 0;
  #parts: Uint8Array[] = [];
  #size = 0;
  #cut = false;

  /**
   * @param options the line length limit.
   * @throws {RangeError} when `maxLineBytes` is not a positive integer.
   */
  constructor(options: DecodeLinesOptions = {}) {
    const max = options.maxLineBytes ?? 65_536;
    if (!Number.isInteger(max) || max <= 0) {
      throw new RangeError(
        `Cannot decode lines as maxLineBytes must be a positive integer: current value is ${max}`,
      );
    }
    this.#max = max;
  }

  /** Lines completed so far. */
  get lineCount(): number {
    return this.#lineNo;
  }

  /** Adds a chunk; returns the lines it completes. */
  push(chunk: Uint8Array): DecodedLine[] {
    const out: DecodedLine[] = [];
    let start = 0;
    if (this.#size > 0 || this.#cut) {
      const nl = chunk.indexOf(10);
      if (nl === -1) {
        this.#keep(chunk);
        return out;
      }
      this.#keep(chunk.subarray(0, nl));
      out.push(this.#finish());
      start = nl + 1;
    }
    const last = chunk.lastIndexOf(10);
    if (last >= start) {
      this.#region(chunk.subarray(start, last), out);
      start = last + 1;
    }
    if (start < chunk.length) this.#keep(chunk.subarray(start));
    return out;
  }

  /** Ends the input; returns the last line when it had no `\n`. */
  end(): DecodedLine[] {
    return this.#size > 0 || this.#cut ? [this.#finish()] : [];
  }

  /** Complete lines, `\n`-separated, no trailing `\n`. */
  #region(bytes: Uint8Array, out: DecodedLine[]): void {
    let text: string | undefined;
    try {
      text = strict.decode(bytes);
    } catch {
      text = undefined;
    }
    if (text === undefined) {
      let s = 0;
      while (s <= bytes.length) {
        let nl = bytes.indexOf(10, s);
        if (nl === -1) nl = bytes.length;
        this.#keep(bytes.subarray(s, nl));
        out.push(this.#finish());
        s = nl + 1;
      }
      return;
    }
    const lines = text.split("\n");
    const safe = Math.floor(this.#max / 3); // a string this short cannot exceed the byte limit
    for (let line of lines) {
      if (line.length > safe) {
        const bytes = encoder.encode(line);
        const cr = bytes.length > 0 && bytes[bytes.length - 1] === 13 ? 1 : 0;
        if (bytes.length - cr > this.#max) {
          this.#keep(bytes);
          out.push(this.#finish());
          continue;
        }
      }
      const flags: EventFlag[] = [];
      if (line.length > 0 && line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1);
      if (CONTROL.test(line)) {
        line = line.replace(CONTROL_GLOBAL, "\uFFFD");
        flags.push("binary");
      }
      out.push({ text: line, lineNo: ++this.#lineNo, flags });
    }
  }

  /**
   * Keeps at most `max + 1` bytes of the current line (the extra byte is room for the `\r` of a CRLF line of
   * exactly the limit); `#cut` records that more bytes were skipped.
   */
  #keep(piece: Uint8Array): void {
    if (this.#cut) return;
    const room = this.#max + 1 - this.#size;
    if (piece.length > room) {
      piece = piece.subarray(0, room);
      this.#cut = true;
    }
    if (piece.length > 0) {
      this.#parts.push(piece.slice());
      this.#size += piece.length;
    }
  }

  #finish(): DecodedLine {
    let bytes: Uint8Array;
    if (this.#parts.length === 1) bytes = this.#parts[0];
    else {
      bytes = new Uint8Array(this.#size);
      let o = 0;
      for (const p of this.#parts) {
        bytes.set(p, o);
        o += p.length;
      }
    }
    let truncated = this.#cut;
    let end = bytes.length;
    // A CR is the line ending only when the line was not cut (a cut line's last kept byte is mid-line).
    if (!truncated && end > 0 && bytes[end - 1] === 13) end--;
    if (end > this.#max) {
      end = charBoundary(bytes, this.#max);
      truncated = true;
    }
    const { text, flags } = decodeLineBytes(bytes.subarray(0, end), truncated);
    this.#parts = [];
    this.#size = 0;
    this.#cut = false;
    return { text, lineNo: ++this.#lineNo, flags };
  }
}

/**
 * Splits a stream of byte chunks into lines, in batches (one array per chunk; cheapest for hot loops).
 * @throws {RangeError} when `maxLineBytes` is not a positive integer.
 */
export async function* decodeLineBatches(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: DecodeLinesOptions = {},
): AsyncGenerator<DecodedLine[]> {
  const splitter = new LineSplitter(options);
  for await (const chunk of chunks) {
    const lines = splitter.push(chunk);
    if (lines.length > 0) yield lines;
  }
  const last = splitter.end();
  if (last.length > 0) yield last;
}

/**
 * Splits a stream of byte chunks into lines.
 * @param chunks the bytes, in any chunking.
 * @param options the line length limit.
 * @throws {RangeError} when `maxLineBytes` is not a positive integer.
 */
export async function* decodeLines(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: DecodeLinesOptions = {},
): AsyncGenerator<DecodedLine> {
  for await (const batch of decodeLineBatches(chunks, options)) yield* batch;
}
