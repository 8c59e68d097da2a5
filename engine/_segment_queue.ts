/**
 * The FIFO storage of a mailbox: a queue of array segments. Single messages are appended to a segment the
 * queue owns (up to `SEGMENT` long); a whole array handed over by `pushChunk` becomes a segment as it is, and
 * `take(n)` hands a whole head segment back without copying when it fits. So a batch that goes from one actor
 * to the next is usually never copied, and a long-lived buffer never holds short-lived messages (no old→young
 * write-barrier cost). Private to `engine/`; the bound is enforced by the mailbox, not here.
 *
 * @module
 */
import { RingBuffer } from "./_ring_buffer.ts";

/** Longest segment built from single messages. */
const SEGMENT = 256;

/** FIFO of messages stored as array segments. */
export class SegmentQueue<T> {
  #segments: RingBuffer<T[]>;
  /** Index of the next message in the head segment. */
  #offset = 0;
  /** The tail segment if it was built here and may be appended to; undefined otherwise. */
  #tail: T[] | undefined;
  #size = 0;

  /** @param maxMessages the most messages ever held (bounds the number of segments) */
  constructor(maxMessages: number) {
    this.#segments = new RingBuffer(maxMessages);
  }

  /** Messages held. */
  get size(): number {
    return this.#size;
  }

  /** Appends one message. */
  push(msg: T): void {
    const tail = this.#tail;
    if (tail !== undefined && tail.length < SEGMENT) {
      tail.push(msg);
    } else {
      const seg = [msg];
      this.#segments.push(seg);
      this.#tail = seg;
    }
    this.#size++;
  }

  /** Appends `chunk` as a segment, without copying: the caller gives up the array. Empty chunks are ignored. */
  pushChunk(chunk: T[]): void {
    if (chunk.length === 0) return;
    this.#segments.push(chunk);
    this.#tail = undefined;
    this.#size += chunk.length;
  }

  /** Removes and returns the oldest message, or undefined. */
  shift(): T | undefined {
    if (this.#size === 0) return undefined;
    const segs = this.#segments;
    const head = segs.peek()!;
    const msg = head[this.#offset++];
    this.#size--;
    if (this.#offset === head.length) this.#dropHead();
    return msg;
  }

  /**
   * Removes up to `max` oldest messages (at least one when not empty). A whole head segment that fits is
   * returned as is, even if more messages follow: batches follow the segments they arrived in.
   */
  take(max: number): T[] {
    const segs = this.#segments;
    if (this.#size === 0 || max <= 0) return [];
    const head = segs.peek()!;
    if (this.#offset === 0 && head.length <= max) {
      // Zero-copy: hand the head segment over.
      this.#size -= head.length;
      this.#dropHead();
      return head;
    }
    const n = max < this.#size ? max : this.#size;
    const out: T[] = [];
    while (out.length < n) {
      const seg = segs.peek()!;
      const want = n - out.length;
      const end = Math.min(seg.length, this.#offset + want);
      for (let i = this.#offset; i < end; i++) out.push(seg[i]);
      this.#size -= end - this.#offset;
      this.#offset = end;
      if (end === seg.length) this.#dropHead();
    }
    return out;
  }

  /** Removes everything, oldest first. */
  drain(): T[] {
    const out: T[] = [];
    while (this.#size > 0) {
      const part = this.take(this.#size);
      for (let i = 0; i < part.length; i++) out.push(part[i]);
    }
    return out;
  }

  #dropHead(): void {
    // A segment handed out by take() must not be appended to any more.
    if (this.#segments.shift() === this.#tail) this.#tail = undefined;
    this.#offset = 0;
  }
}
