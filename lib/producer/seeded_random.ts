/**
 * A small, fast, seedable pseudo-random generator (sfc32) with the draws the synthetic log sources need.
 * The same seed gives the same sequence on every platform, which makes synthetic logs and their label files
 * reproducible. Not for cryptography.
 *
 * @module
 */

/** Deterministic pseudo-random numbers from a 32-bit seed. */
export class SeededRandom {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  /**
   * @param seed any integer; equal seeds give equal sequences
   * @throws {TypeError} when seed is not a finite integer
   */
  constructor(seed: number) {
    if (!Number.isSafeInteger(seed)) {
      throw new TypeError(`Cannot create SeededRandom as seed must be an integer: current value is ${seed}`);
    }
    this.#a = 0x9e3779b9;
    this.#b = 0x243f6a88;
    this.#c = 0xb7e15162;
    this.#d = (seed ^ 0xdeadbeef) >>> 0;
    // Warm up so that nearby seeds diverge.
    for (let i = 0; i < 15; i++) this.nextUint32();
  }

  /** Returns the next unsigned 32-bit integer. */
  nextUint32(): number {
    const t = (((this.#a + this.#b) | 0) + this.#d) | 0;
    this.#d = (this.#d + 1) | 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) | 0;
    this.#c = (this.#c << 21) | (this.#c >>> 11);
    this.#c = (this.#c + t) | 0;
    return t >>> 0;
  }

  /** Returns a float in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Returns an integer in [lo, hi] (both inclusive). */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** Returns true with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** Returns one element of a non-empty array, uniformly. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** Returns `digits` lowercase hex digits. */
  hex(digits: number): string {
    let s = "";
    while (s.length < digits) s += this.nextUint32().toString(16).padStart(8, "0");
    return s.slice(0, digits);
  }

  /** Returns a random GUID in registry form, lowercase, without braces. */
  guid(): string {
    const h = this.hex(32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  /** Returns an exponentially distributed value with the given mean (Poisson inter-arrival times). */
  exponential(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }
}

/**
 * Draws indices with Zipf-like (or any) weights in O(log n) by binary search over cumulative weights.
 */
export class WeightedPicker {
  readonly #cumulative: Float64Array;
  readonly #total: number;

  /**
   * @param weights non-negative weights, at least one positive
   * @throws {RangeError} when no weight is positive or one is negative/not finite
   */
  constructor(weights: readonly number[]) {
    this.#cumulative = new Float64Array(weights.length);
    let sum = 0;
    for (let i = 0; i < weights.length; i++) {
      const w = weights[i];
      if (!(w >= 0) || !Number.isFinite(w)) {
        throw new RangeError(
          `Cannot create WeightedPicker as weight ${i} must be >= 0: current value is ${w}`,
        );
      }
      sum += w;
      this.#cumulative[i] = sum;
    }
    if (sum <= 0) throw new RangeError("Cannot create WeightedPicker as no weight is positive");
    this.#total = sum;
  }

  /** Returns an index drawn with probability proportional to its weight. */
  pick(random: SeededRandom): number {
    const x = random.next() * this.#total;
    let lo = 0;
    let hi = this.#cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#cumulative[mid] > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

/** Zipf weights 1/rank^s for ranks 1..n. */
export function zipfWeights(n: number, s = 1.1): number[] {
  return Array.from({ length: n }, (_, i) => 1 / Math.pow(i + 1, s));
}
