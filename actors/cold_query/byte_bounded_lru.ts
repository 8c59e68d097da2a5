/**
 * The cold query reader's local caches: values (fetched byte ranges, decoded columns) bounded by their total
 * size, least recently used first out. Callers key entries by object key and ETag, so a rewritten object (the
 * sink merges into an existing key; compaction rewrites one) is never served stale.
 *
 * Evictions are counted on the instance and in the process-wide tally under the cache's name
 * (`vigil_evictions_total{map}`).
 *
 * @module
 */
import { countEvictions } from "../../engine/eviction_tally.ts";

/** A size-bounded LRU (see module doc); each entry's size is given when it is stored. */
export class ByteBoundedLru<V> {
  readonly maxBytes: number;
  /** The name evictions are counted under. */
  readonly name: string;
  readonly #entries = new Map<string, { value: V; bytes: number }>();
  #bytes = 0;
  /** Entries dropped to stay within {@link ByteBoundedLru.maxBytes}. */
  evicted = 0;

  /**
   * @param maxBytes most bytes held (0 turns caching off)
   * @param name the stable snake_case name evictions are counted under (default "byte_lru")
   * @throws {RangeError} when maxBytes is negative or not an integer
   */
  constructor(maxBytes: number, name = "byte_lru") {
    if (!Number.isInteger(maxBytes) || maxBytes < 0) {
      throw new RangeError(
        `Cannot create ByteBoundedLru as maxBytes must be an integer ≥ 0: current value is ${maxBytes}`,
      );
    }
    this.maxBytes = maxBytes;
    this.name = name;
  }

  /** The value of `id`, refreshed as most recently used. */
  get(id: string): V | undefined {
    const hit = this.#entries.get(id);
    if (hit === undefined) return undefined;
    this.#entries.delete(id);
    this.#entries.set(id, hit);
    return hit.value;
  }

  /** Keeps `value` (of size `bytes`) under `id` unless it alone exceeds the bound; drops the least recent to fit. */
  set(id: string, value: V, bytes: number): void {
    if (bytes > this.maxBytes) return;
    const old = this.#entries.get(id);
    if (old !== undefined) {
      this.#bytes -= old.bytes;
      this.#entries.delete(id);
    }
    while (this.#bytes + bytes > this.maxBytes) {
      const [oldest, entry] = this.#entries.entries().next().value as [string, { bytes: number }];
      this.#entries.delete(oldest);
      this.#bytes -= entry.bytes;
      this.evicted++;
      countEvictions(this.name);
    }
    this.#entries.set(id, { value, bytes });
    this.#bytes += bytes;
  }

  /** Total size of the entries held. */
  get bytes(): number {
    return this.#bytes;
  }
}
