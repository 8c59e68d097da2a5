/**
 * Syslog over TCP (RFC 6587): a byte stream → messages. Both framings are read, decided per message by its
 * first byte as receivers such as rsyslog do: a digit starts octet counting (`LEN SP MSG`, the message is
 * exactly LEN bytes and may hold newlines), anything else is newline framing (the message ends at `\n`; a `\r`
 * before it is removed) through the producer's {@link LineSplitter}.
 *
 * Bounded memory: a message longer than `maxFrameBytes` keeps its first `maxFrameBytes` (flag `truncated`) and
 * the rest is skipped; an octet count of more than 10 digits is not a count (the bytes are read as a line).
 * Decoding repairs invalid UTF-8 and control bytes and flags them, as for file lines.
 *
 * @module
 */
import type { EventFlag } from "../event/log_event.ts";
import { decodeLineBytes, LineSplitter } from "../parsing/line_decoder.ts";

/** One decoded syslog message. */
export interface SyslogFrame {
  text: string;
  flags: EventFlag[];
}

const MAX_COUNT_DIGITS = 10;

/** Incremental splitter of one TCP connection's bytes (see module doc). */
export class SyslogFrameSplitter {
  readonly #max: number;
  readonly #lines: LineSplitter;
  /** Octet counting: the digits read so far of the current count, or `undefined` when not in a count. */
  #countDigits: string | undefined;
  /** Octet counting: bytes of the current message still to come (`-1`: not in an octet-counted message). */
  #remaining = -1;
  #parts: Uint8Array[] = [];
  #kept = 0;
  /** Newline framing: a line is in progress inside the line splitter. */
  #inLine = false;

  /**
   * @param maxFrameBytes the longest message kept whole
   * @throws {RangeError} when it is not a positive integer
   */
  constructor(maxFrameBytes: number) {
    this.#lines = new LineSplitter({ maxLineBytes: maxFrameBytes });
    this.#max = maxFrameBytes;
  }

  /** Adds bytes; returns the messages they complete. */
  push(chunk: Uint8Array): SyslogFrame[] {
    const out: SyslogFrame[] = [];
    let i = 0;
    while (i < chunk.length) {
      if (this.#remaining >= 0) {
        const take = Math.min(this.#remaining, chunk.length - i);
        this.#keep(chunk.subarray(i, i + take));
        this.#remaining -= take;
        i += take;
        if (this.#remaining === 0) out.push(this.#finishCounted());
        continue;
      }
      if (this.#countDigits !== undefined) {
        const c = chunk[i];
        if (c >= 48 && c <= 57 && this.#countDigits.length < MAX_COUNT_DIGITS) {
          this.#countDigits += String.fromCharCode(c);
          i++;
          continue;
        }
        const digits = this.#countDigits;
        this.#countDigits = undefined;
        if (c === 32 && Number(digits) > 0) {
          this.#remaining = Number(digits);
          this.#kept = 0;
          this.#parts = [];
          i++;
          continue;
        }
        // Not a count after all: the digits begin a newline-framed message.
        this.#inLine = true;
        for (const l of this.#lines.push(new TextEncoder().encode(digits))) out.push(l);
        continue;
      }
      if (!this.#inLine && chunk[i] >= 48 && chunk[i] <= 57) {
        this.#countDigits = "";
        continue;
      }
      if (!this.#inLine && chunk[i] === 10) { // an empty line between messages: nothing to keep
        i++;
        continue;
      }
      // Newline framing up to and including the next \n.
      const nl = chunk.indexOf(10, i);
      const end = nl === -1 ? chunk.length : nl + 1;
      for (const l of this.#lines.push(chunk.subarray(i, end))) out.push({ text: l.text, flags: l.flags });
      this.#inLine = nl === -1;
      i = end;
    }
    return out;
  }

  /** Ends the stream: a last newline-framed message without `\n` is returned; a partial counted one too (truncated). */
  end(): SyslogFrame[] {
    if (this.#remaining > 0) return [this.#finishCounted(true)];
    if (this.#countDigits !== undefined && this.#countDigits !== "") {
      const digits = this.#countDigits;
      this.#countDigits = undefined;
      return this.#lines.push(new TextEncoder().encode(digits)).concat(this.#lines.end());
    }
    return this.#lines.end().map((l) => ({ text: l.text, flags: l.flags }));
  }

  #keep(piece: Uint8Array): void {
    const room = this.#max - this.#kept;
    if (room <= 0 || piece.length === 0) {
      if (piece.length > 0) this.#kept = this.#max + 1; // marks the cut
      return;
    }
    const part = piece.length > room ? piece.subarray(0, room) : piece;
    this.#parts.push(part.slice());
    this.#kept += piece.length > room ? room + 1 : part.length;
  }

  #finishCounted(short = false): SyslogFrame {
    const size = Math.min(this.#kept, this.#max);
    const bytes = new Uint8Array(size);
    let at = 0;
    for (const p of this.#parts) {
      bytes.set(p, at);
      at += p.length;
    }
    let end = bytes.length;
    if (end > 0 && bytes[end - 1] === 10) end--; // some senders count the trailing newline too
    const truncated = this.#kept > this.#max || short;
    this.#parts = [];
    this.#kept = 0;
    this.#remaining = -1;
    return decodeLineBytes(bytes.subarray(0, end), truncated);
  }
}
