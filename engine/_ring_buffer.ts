/**
 * A fixed-capacity FIFO ring buffer: the storage behind {@link BoundedMailbox} and its waiting senders.
 * Private to `engine/`. It never grows: `push` on a full buffer is a programming error the caller prevents.
 *
 * @module
 */

/** Fixed-capacity FIFO queue over a preallocated array (no per-item allocation, O(1) push/shift). */
export class RingBuffer<T> {
  #items: (T | undefined)[];
  #head = 0;
  #size = 0;
  readonly capacity: number;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.#items = new Array(capacity);
  }

  /** Number of items held. */
  get size(): number {
    return this.#size;
  }

  /** True when `size === capacity`. */
  get full(): boolean {
    return this.#size === this.capacity;
  }

  /** Appends at the tail; the caller checks `full` first. */
  push(item: T): void {
    let i = this.#head + this.#size;
    if (i >= this.capacity) i -= this.capacity;
    this.#items[i] = item;
    this.#size++;
  }

  /** Removes and returns the head, or `undefined` when empty. */
  shift(): T | undefined {
    if (this.#size === 0) return undefined;
    const item = this.#items[this.#head];
    this.#items[this.#head] = undefined; // let the GC reclaim it
    this.#head = this.#head + 1 === this.capacity ? 0 : this.#head + 1;
    this.#size--;
    return item;
  }

  /** Returns the head without removing it. */
  peek(): T | undefined {
    return this.#size === 0 ? undefined : this.#items[this.#head];
  }

  /** Returns the tail without removing it. */
  last(): T | undefined {
    if (this.#size === 0) return undefined;
    let i = this.#head + this.#size - 1;
    if (i >= this.capacity) i -= this.capacity;
    return this.#items[i];
  }

  /** Removes up to `max` items from the head into a new array (oldest first). */
  take(max: number): T[] {
    const n = max < this.#size ? max : this.#size;
    // Built with push so the array is packed (a preallocated `new Array(n)` is holey: slower to iterate/map).
    const out: T[] = [];
    const items = this.#items;
    let h = this.#head;
    for (let k = 0; k < n; k++) {
      out.push(items[h] as T);
      items[h] = undefined;
      h = h + 1 === this.capacity ? 0 : h + 1;
    }
    this.#head = h;
    this.#size -= n;
    return out;
  }

  /** Removes every item, oldest first. */
  drain(): T[] {
    return this.take(this.#size);
  }
}
