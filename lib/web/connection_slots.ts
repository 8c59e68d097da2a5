/**
 * A fixed number of slots for long-lived connections (SSE clients): each stream holds one from its start to its
 * end, and a connection that finds none free is refused at once, so open streams — each with its queue, timers
 * and socket — cannot grow without limit.
 *
 * @module
 */

/** Counts held slots against a capacity; refusals are counted. */
export class ConnectionSlots {
  readonly capacity: number;
  #open = 0;
  #refused = 0;

  /** @throws {RangeError} when capacity is not a positive integer */
  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(
        `Cannot create connection slots as capacity must be a positive integer: current value is ${capacity}`,
      );
    }
    this.capacity = capacity;
  }

  /** Slots held now. */
  get open(): number {
    return this.#open;
  }

  /** Connections refused because every slot was held. */
  get refused(): number {
    return this.#refused;
  }

  /** Takes a slot; false (counted) when all are held. */
  tryAcquire(): boolean {
    if (this.#open >= this.capacity) {
      this.#refused++;
      return false;
    }
    this.#open++;
    return true;
  }

  /** Gives a slot back (once per successful {@link tryAcquire}). */
  release(): void {
    if (this.#open > 0) this.#open--;
  }
}
