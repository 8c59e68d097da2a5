/**
 * The bounded FIFO queue in front of every actor. Nothing in the engine queues without a bound:
 *
 * - queued messages ≤ `capacity`;
 * - under `whenFull: "block"` a `put` on a full mailbox parks the sender (its promise resolves once its message
 *   is in the queue). Parked senders are themselves bounded by `maxWaitingSenders` (default: `capacity`); one
 *   more rejects with {@link MailboxFullError}. A producer that awaits each send parks at most one message, so
 *   the bound only bites a producer that fires sends without awaiting them. Worst case held in memory:
 *   `capacity + maxWaitingSenders` messages.
 * - `drop_newest` refuses the incoming message, `drop_oldest` evicts the head; both count in `dropped`.
 *
 * @module
 */
import { RingBuffer } from "./_ring_buffer.ts";
import { SegmentQueue } from "./_segment_queue.ts";
import { MailboxClosedError } from "./mailbox_closed_error.ts";
import { MailboxFullError } from "./mailbox_full_error.ts";

/** What a full mailbox does with one more message. */
export type WhenFull = "block" | "drop_newest" | "drop_oldest";

/** Options of a {@link BoundedMailbox}. */
export interface MailboxOptions {
  /** Maximum queued messages, a positive integer. Default 1024. */
  capacity?: number;
  /** Policy when full. Default `"block"` (backpressure). */
  whenFull?: WhenFull;
  /** Bound on senders parked by `put` under `block`; a non-negative integer. Default: `capacity`, at least 16. */
  maxWaitingSenders?: number;
  /** Name used in errors. Default `"mailbox"`. */
  name?: string;
}

const WHEN_FULL: readonly WhenFull[] = ["block", "drop_newest", "drop_oldest"];
const RESOLVED: Promise<void> = Promise.resolve();
/** Arrays shorter than this are copied into the queue rather than handed over whole. */
const MIN_CHUNK = 64;

interface Waiter<T> {
  msg: T;
  resolve: () => void;
  reject: (e: unknown) => void;
}

/**
 * Validates mailbox options and fills in defaults.
 *
 * @throws {RangeError} when capacity/maxWaitingSenders are not integers in range or whenFull is unknown
 */
export function resolveMailboxOptions(options: MailboxOptions = {}): Required<MailboxOptions> {
  const { capacity = 1024, whenFull = "block", name = "mailbox" } = options;
  if (!Number.isSafeInteger(capacity) || capacity < 1) {
    throw new RangeError(
      `Cannot create mailbox ${name} as capacity must be a positive integer: current value is ${capacity}`,
    );
  }
  if (!WHEN_FULL.includes(whenFull)) {
    throw new RangeError(
      `Cannot create mailbox ${name} as whenFull must be one of ${WHEN_FULL.join(", ")}: current value is ${
        String(whenFull)
      }`,
    );
  }
  const maxWaitingSenders = options.maxWaitingSenders ?? Math.max(capacity, 16);
  if (!Number.isSafeInteger(maxWaitingSenders) || maxWaitingSenders < 0) {
    throw new RangeError(
      `Cannot create mailbox ${name} as maxWaitingSenders must be a non-negative integer: current value is ${maxWaitingSenders}`,
    );
  }
  return { capacity, whenFull, maxWaitingSenders, name };
}

/**
 * A bounded FIFO mailbox with a full-policy, counters and a two-step close (drain vs now).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { BoundedMailbox } from "./bounded_mailbox.ts";
 * const box = new BoundedMailbox<number>({ capacity: 2 });
 * box.offer(1); box.offer(2);
 * assert.equal(box.offer(3), false); // full under "block"
 * const parked = box.put(3);  // resolves once 3 is queued
 * assert.deepEqual(box.take(10), [1, 2]); // 3 moves in, `parked` resolves
 * await parked;
 * assert.equal(box.size, 1);
 * ```
 */
export class BoundedMailbox<T> {
  readonly capacity: number;
  readonly whenFull: WhenFull;
  readonly maxWaitingSenders: number;
  readonly name: string;
  #queue: SegmentQueue<T>;
  #waiters: RingBuffer<Waiter<T>> | undefined;
  #closed = false;
  #closeCause: unknown;
  #enqueued = 0;
  #dropped = 0;

  /**
   * @param options capacity, policy and bounds; see {@link MailboxOptions}
   * @throws {RangeError} on invalid options
   */
  constructor(options: MailboxOptions = {}) {
    const o = resolveMailboxOptions(options);
    this.capacity = o.capacity;
    this.whenFull = o.whenFull;
    this.maxWaitingSenders = o.maxWaitingSenders;
    this.name = o.name;
    this.#queue = new SegmentQueue(o.capacity);
  }

  /** Messages queued now (never more than `capacity`). */
  get size(): number {
    return this.#queue.size;
  }

  /** Senders parked by `put`, waiting for room. */
  get waitingSenders(): number {
    return this.#waiters === undefined ? 0 : this.#waiters.size;
  }

  /** Messages accepted into the queue so far (parked senders count once admitted). */
  get enqueued(): number {
    return this.#enqueued;
  }

  /** Messages discarded by `drop_newest` / `drop_oldest`. */
  get dropped(): number {
    return this.#dropped;
  }

  /** True once `close` or `closeNow` was called: new messages are refused. */
  get closed(): boolean {
    return this.#closed;
  }

  /** True when closed and nothing is queued or parked: the mailbox will never yield another message. */
  get drained(): boolean {
    return this.#closed && this.#queue.size === 0 && this.waitingSenders === 0;
  }

  /**
   * Offers a message without waiting.
   *
   * @returns `true` when the mailbox dealt with it (queued, or dropped and counted under a drop policy);
   *   `false` when full under `block` (nothing was queued: retry with `put`)
   * @throws {MailboxClosedError} when closed, carrying the message
   */
  offer(msg: T): boolean {
    if (this.#closed) throw this.#closedError(msg);
    const q = this.#queue;
    if (q.size < this.capacity) {
      // Parked senders go first so that FIFO holds across the fast and slow paths.
      if (this.#waiters !== undefined && this.#waiters.size > 0 && this.whenFull === "block") return false;
      q.push(msg);
      this.#enqueued++;
      return true;
    }
    switch (this.whenFull) {
      case "block":
        return false;
      case "drop_newest":
        this.#dropped++;
        return true;
      case "drop_oldest":
        q.shift();
        q.push(msg);
        this.#dropped++;
        this.#enqueued++;
        return true;
    }
  }

  /**
   * Offers `msgs[from..]` without waiting, as many as fit (all of them under a drop policy, which counts what
   * it drops). When all of `msgs` fits at once (and it has at least 64 messages) the array itself is queued
   * (zero-copy): the caller must not modify it afterwards.
   *
   * @returns the index of the first message not dealt with (`msgs.length` when all were)
   * @throws {MailboxClosedError} when closed, carrying `msgs[from]`
   */
  offerMany(msgs: T[], from = 0): number {
    const n = msgs.length;
    if (from >= n) return n;
    if (this.#closed) throw this.#closedError(msgs[from]);
    if (this.whenFull === "drop_oldest") {
      for (let i = from; i < n; i++) this.offer(msgs[i]);
      return n;
    }
    if (this.#waiters !== undefined && this.#waiters.size > 0) return from;
    const q = this.#queue;
    const room = this.capacity - q.size;
    const want = n - from;
    if (want <= room) {
      // Large arrays are queued as they are (zero-copy); small ones are copied so that batches stay large.
      if (from === 0 && want >= MIN_CHUNK) q.pushChunk(msgs);
      else for (let i = from; i < n; i++) q.push(msgs[i]);
      this.#enqueued += want;
      return n;
    }
    for (let i = from; i < from + room; i++) q.push(msgs[i]);
    this.#enqueued += room;
    if (this.whenFull === "drop_newest") {
      this.#dropped += want - room;
      return n;
    }
    return from + room;
  }

  /**
   * Queues a message, waiting for room under `block`. Resolves at once (with a shared promise, no allocation)
   * when there is room or a drop policy applies.
   *
   * @throws {MailboxClosedError} (rejection) when closed before the message got in; it carries the message
   * @throws {MailboxFullError} (rejection) when `maxWaitingSenders` senders are already parked
   */
  put(msg: T): Promise<void> {
    if (this.#closed) return Promise.reject(this.#closedError(msg));
    if (this.offer(msg)) return RESOLVED;
    const waiters = this.#waiters ??= new RingBuffer(Math.max(1, this.maxWaitingSenders));
    if (waiters.size >= this.maxWaitingSenders) {
      return Promise.reject(new MailboxFullError(this.name, msg, this.maxWaitingSenders));
    }
    return new Promise<void>((resolve, reject) => waiters.push({ msg, resolve, reject }));
  }

  /** Removes and returns the oldest message, or `undefined`. Admits a parked sender into the freed slot. */
  shift(): T | undefined {
    const msg = this.#queue.shift();
    if (this.#waiters !== undefined && this.#waiters.size > 0) this.#admitWaiters();
    return msg;
  }

  /**
   * Removes up to `max` oldest messages, in order — at least one when not empty, possibly fewer than are
   * queued (a batch that arrived whole is handed on whole, without copying). Admits parked senders into the
   * freed slots.
   */
  take(max: number): T[] {
    const out = this.#queue.take(max);
    if (this.#waiters !== undefined && this.#waiters.size > 0) this.#admitWaiters();
    return out;
  }

  /**
   * Closes for draining: new offers are refused; queued messages and parked senders (who sent before the
   * close) are still delivered.
   */
  close(cause?: unknown): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#closeCause = cause;
  }

  /**
   * Closes now: refuses new offers, rejects every parked sender with a {@link MailboxClosedError} carrying its
   * message, and returns the queued messages (the caller dead-letters them).
   */
  closeNow(cause?: unknown): T[] {
    this.close(cause);
    const waiters = this.#waiters;
    if (waiters !== undefined) {
      for (let w = waiters.shift(); w !== undefined; w = waiters.shift()) w.reject(this.#closedError(w.msg));
    }
    return this.#queue.drain();
  }

  #admitWaiters(): void {
    const q = this.#queue;
    const waiters = this.#waiters!;
    while (q.size < this.capacity && waiters.size > 0) {
      const w = waiters.shift()!;
      q.push(w.msg);
      this.#enqueued++;
      w.resolve();
    }
  }

  #closedError(msg: T): MailboxClosedError<T> {
    return new MailboxClosedError(
      this.name,
      msg,
      this.#closeCause === undefined ? undefined : {
        cause: this.#closeCause,
      },
    );
  }
}
