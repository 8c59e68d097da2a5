/**
 * The cold query reader's local cache: byte ranges of S3 objects, bounded by their total size, least recently
 * used first out. Entries are keyed by object key, ETag and range, so a rewritten object (the sink merges into
 * an existing key; compaction rewrites one) is never served stale.
 *
 * @module
 */

/** A byte-bounded LRU of object byte ranges (see module doc). */
export class RangeCache {
  readonly maxBytes: number;
  readonly #entries = new Map<string, Uint8Array>();
  #bytes = 0;
  /** Entries dropped to stay within {@link RangeCache.maxBytes}. */
  evicted = 0;

  /** @throws {RangeError} when maxBytes is negative or not an integer (0 turns caching off) */
  constructor(maxBytes: number) {
    if (!Number.isInteger(maxBytes) || maxBytes < 0) {
      throw new RangeError(
        `Cannot create RangeCache as maxBytes must be an integer ≥ 0: current value is ${maxBytes}`,
      );
    }
    this.maxBytes = maxBytes;
  }

  /** The identity of one range of one version of an object. */
  static id(key: string, etag: string, start: number, end: number): string {
    return `${key}\u0000${etag}\u0000${start}\u0000${end}`;
  }

  /** The cached bytes of `id`, refreshed as most recently used. */
  get(id: string): Uint8Array | undefined {
    const hit = this.#entries.get(id);
    if (hit !== undefined) {
      this.#entries.delete(id);
      this.#entries.set(id, hit);
    }
    return hit;
  }

  /** Keeps `bytes` under `id` unless they alone exceed the bound; drops the least recently used to fit. */
  set(id: string, bytes: Uint8Array): void {
    if (bytes.byteLength > this.maxBytes) return;
    const old = this.#entries.get(id);
    if (old !== undefined) {
      this.#bytes -= old.byteLength;
      this.#entries.delete(id);
    }
    while (this.#bytes + bytes.byteLength > this.maxBytes) {
      const [oldest, value] = this.#entries.entries().next().value as [string, Uint8Array];
      this.#entries.delete(oldest);
      this.#bytes -= value.byteLength;
      this.evicted++;
    }
    this.#entries.set(id, bytes);
    this.#bytes += bytes.byteLength;
  }

  /** Bytes held. */
  get bytes(): number {
    return this.#bytes;
  }
}
