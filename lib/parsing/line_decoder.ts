/**
 * Bytes → lines, flagging what had to be repaired: `\n` ends a line and a `\r` before it is removed (CRLF); a
 * last line without `\n` is still a line; lines longer than `maxLineBytes` are cut at a UTF-8 character
 * boundary and flagged `truncated` (the rest is skipped, so memory stays bounded); invalid UTF-8 is replaced
 * with U+FFFD and flagged `invalid_utf8` (detected with a strict decoder, so a genuine U+FFFD in valid input
 * is not mistaken for damage); NUL and other control bytes except TAB are replaced and flagged `binary`.
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
// deno-lint-ignore no-control-regex -- matching control bytes is the point
const CONTROL = /[\x00-\x08\x0B-\x1F\x7F]/;
// deno-lint-ignore no-control-regex -- matching control bytes is the point
const CONTROL_GLOBAL = /[\x00-\x08\x0B-\x1F\x7F]/g;

/**
 * Decodes one line's bytes (without `\n`), repairing as the module doc says.
 * @param bytes the line's bytes; a trailing `\r` is removed.
 * @param truncated whether the bytes were already cut (adds the flag).
 */
export function decodeLineBytes(bytes: Uint8Array, truncated = false): { text: string; flags: EventFlag[] } {
  const flags: EventFlag[] = truncated ? ["truncated"] : [];
  let end = bytes.length;
  if (end > 0 && bytes[end - 1] === 13) end--;
  const view = end === bytes.length ? bytes : bytes.subarray(0, end);
  let text: string;
  try {
    text = strict.decode(view);
  } catch {
    text = lenient.decode(view);
    flags.push("invalid_utf8");
  }
  if (CONTROL.test(text)) {
    text = text.replace(CONTROL_GLOBAL, "\uFFFD");
    flags.push("binary");
  }
  return { text, flags };
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
  const max = options.maxLineBytes ?? 65_536;
  if (!Number.isInteger(max) || max <= 0) {
    throw new RangeError(
      `Cannot decode lines as maxLineBytes must be a positive integer: current value is ${max}`,
    );
  }
  let lineNo = 0;
  let parts: Uint8Array[] = [];
  let size = 0;
  let cut = false;
  const finish = (): DecodedLine => {
    let bytes: Uint8Array;
    if (parts.length === 1) bytes = parts[0];
    else {
      bytes = new Uint8Array(size);
      let o = 0;
      for (const p of parts) {
        bytes.set(p, o);
        o += p.length;
      }
    }
    const { text, flags } = decodeLineBytes(bytes, cut);
    parts = [];
    size = 0;
    cut = false;
    return { text, lineNo: ++lineNo, flags };
  };
  const keep = (piece: Uint8Array) => {
    if (cut) return;
    if (size + piece.length > max) {
      let n = max - size;
      // back off to a character boundary: never keep half of a multi-byte UTF-8 sequence
      while (n > 0 && (piece[n] & 0xc0) === 0x80) n--;
      piece = piece.subarray(0, n);
      cut = true;
    }
    if (piece.length > 0) {
      parts.push(piece.slice());
      size += piece.length;
    }
  };
  for await (const chunk of chunks) {
    let start = 0;
    while (start < chunk.length) {
      const nl = chunk.indexOf(10, start);
      if (nl === -1) {
        keep(chunk.subarray(start));
        break;
      }
      keep(chunk.subarray(start, nl));
      yield finish();
      start = nl + 1;
    }
  }
  if (size > 0 || cut) yield finish();
}
