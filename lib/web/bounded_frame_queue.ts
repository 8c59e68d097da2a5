/**
 * A per-client queue of bounded size: when full, the oldest item is dropped and counted, so a slow reader
 * loses old frames instead of making the writer buffer without limit or stall other readers.
 *
 * @module
 */

/** A single-consumer queue that drops its oldest item when full. */
export class BoundedFrameQueue<T> {
  readonly #items: T[] = [];
  readonly #capacity: number;
  #waiter: ((value: T | undefined) => void) | undefined;
  #closed = false;
  #dropped = 0;

  /**
   * @param capacity maximum queued items
   * @throws {RangeError} when capacity is not a positive integer
   */
  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(
        `Cannot create a frame queue as capacity must be a positive integer: current value is ${capacity}`,
      );
    }
    this.#capacity = capacity;
  }

  /** Items dropped because the queue was full. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Items waiting. */
  get size(): number {
    return this.#items.length;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Adds an item, dropping the oldest when full. Ignored once closed. */
  push(item: T): void {
    if (this.#closed) return;
    if (this.#waiter) {
      const w = this.#waiter;
      this.#waiter = undefined;
      w(item);
      return;
    }
    if (this.#items.length >= this.#capacity) {
      this.#items.shift();
      this.#dropped++;
    }
    this.#items.push(item);
  }

  /** Resolves with the next item, or `undefined` when closed or when `signal` aborts. */
  next(signal?: AbortSignal): Promise<T | undefined> {
    if (this.#items.length > 0) return Promise.resolve(this.#items.shift());
    if (this.#closed || signal?.aborted) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const onAbort = () => {
        if (this.#waiter === done) this.#waiter = undefined;
        resolve(undefined);
      };
      const done = (value: T | undefined) => {
        signal?.removeEventListener("abort", onAbort);
        resolve(value);
      };
      this.#waiter = done;
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** Closes the queue: a pending `next` resolves with `undefined`; queued items are discarded. */
  close(): void {
    this.#closed = true;
    this.#items.length = 0;
    const w = this.#waiter;
    this.#waiter = undefined;
    w?.(undefined);
  }
}
