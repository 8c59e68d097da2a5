/**
 * A Map bounded by entry count that forgets its least recently *written* entry first: detector state keyed by
 * templates, components and hosts must stay bounded however many distinct keys a hostile or huge stream has.
 *
 * Each eviction is counted on the instance ({@link BoundedLru.evicted}) and in the process-wide tally under the
 * map's name (`vigil_evictions_total{map}` on `/metrics`).
 *
 * @module
 */
import { countEvictions } from "../../engine/eviction_tally.ts";

/** A size-bounded map (see module doc). Evictions are counted. */
export class BoundedLru<K, V> {
  readonly capacity: number;
  /** The name evictions are counted under (`map` label of `vigil_evictions_total`). */
  readonly name: string;
  readonly #map = new Map<K, V>();
  /** Entries forgotten to stay within capacity. */
  evicted = 0;

  /**
   * @param capacity most entries held
   * @param name the stable snake_case name evictions are counted under
   * @throws {RangeError} when capacity is not a positive integer.
   */
  constructor(capacity: number, name: string) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(
        `Cannot create BoundedLru as capacity must be a positive integer: current value is ${capacity}`,
      );
    }
    this.capacity = capacity;
    this.name = name;
  }

  /** The value of `key` (does not refresh it). */
  get(key: K): V | undefined {
    return this.#map.get(key);
  }

  /** Whether `key` is held. */
  has(key: K): boolean {
    return this.#map.has(key);
  }

  /** Writes `key` as the most recent entry, forgetting the oldest when full. */
  set(key: K, value: V): void {
    if (this.#map.has(key)) this.#map.delete(key);
    else if (this.#map.size >= this.capacity) {
      this.#map.delete(this.#map.keys().next().value as K);
      this.evicted++;
      countEvictions(this.name);
    }
    this.#map.set(key, value);
  }

  /** Removes `key`. */
  delete(key: K): boolean {
    return this.#map.delete(key);
  }

  /** Entries, oldest first. */
  entries(): IterableIterator<[K, V]> {
    return this.#map.entries();
  }

  /** Entries held. */
  get size(): number {
    return this.#map.size;
  }
}

/**
 * Most systems any detector keeps per-system state for (clocks, novelty rates). A system name comes from the
 * events, so a hostile or misconfigured source could otherwise grow these maps without end.
 */
export const MAX_SYSTEMS = 10_000;

/** Most (system, component) pairs a detector keeps per-component state for (settledness), for the same reason. */
export const MAX_COMPONENTS = 100_000;
