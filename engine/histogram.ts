/**
 * A fixed-bucket latency histogram (Prometheus-style cumulative buckets on export): O(buckets) memory,
 * no allocation per observation.
 *
 * @module
 */

/** Default bucket upper bounds in ms, log-spaced from 10 µs to 10 s. */
export const DEFAULT_BUCKETS_MS: readonly number[] = [
  0.01,
  0.025,
  0.05,
  0.1,
  0.25,
  0.5,
  1,
  2.5,
  5,
  10,
  25,
  50,
  100,
  250,
  500,
  1_000,
  2_500,
  5_000,
  10_000,
];

/** A read-only view of a histogram. */
export interface HistogramSnapshot {
  /** Observations. */
  count: number;
  /** Sum of observed values (ms). */
  sum: number;
  /** Largest observed value (ms). */
  max: number;
  /** Estimated quantiles (ms), by linear interpolation inside buckets. */
  p50: number;
  p90: number;
  p99: number;
  /** Cumulative counts per upper bound; the last bound is `Infinity`. */
  buckets: { le: number; count: number }[];
}

/**
 * Latency histogram in milliseconds.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Histogram } from "./histogram.ts";
 * const h = new Histogram();
 * h.observe(0.2);
 * h.observe(3, 4);           // four observations of 3 ms
 * assert.equal(h.snapshot().count, 5);
 * ```
 */
export class Histogram {
  readonly bounds: readonly number[];
  #counts: Float64Array;
  #count = 0;
  #sum = 0;
  #max = 0;

  /**
   * @param bounds increasing upper bounds (ms); an implicit +Inf bucket follows
   * @throws {RangeError} when bounds are empty or not strictly increasing
   */
  constructor(bounds: readonly number[] = DEFAULT_BUCKETS_MS) {
    if (bounds.length === 0 || bounds.some((b, i) => i > 0 && !(b > bounds[i - 1]))) {
      throw new RangeError(
        `Cannot create Histogram as bounds must be non-empty and strictly increasing: current value is [${bounds}]`,
      );
    }
    this.bounds = bounds;
    this.#counts = new Float64Array(bounds.length + 1);
  }

  /** Records `times` observations of `valueMs` (a batch's per-message average, for instance). */
  observe(valueMs: number, times = 1): void {
    const b = this.bounds;
    let i = 0;
    while (i < b.length && valueMs > b[i]) i++;
    this.#counts[i] += times;
    this.#count += times;
    this.#sum += valueMs * times;
    if (valueMs > this.#max) this.#max = valueMs;
  }

  /** Estimated value at quantile `q` in [0, 1]; 0 when empty. */
  quantile(q: number): number {
    if (this.#count === 0) return 0;
    const rank = q * this.#count;
    let cum = 0;
    for (let i = 0; i < this.#counts.length; i++) {
      const c = this.#counts[i];
      if (c > 0 && cum + c >= rank) {
        const lo = i === 0 ? 0 : this.bounds[i - 1];
        const hi = i < this.bounds.length ? Math.min(this.bounds[i], this.#max) : this.#max;
        return lo + (hi - lo) * Math.max(0, Math.min(1, (rank - cum) / c));
      }
      cum += c;
    }
    return this.#max;
  }

  /** A consistent copy for export. */
  snapshot(): HistogramSnapshot {
    const buckets: { le: number; count: number }[] = [];
    let cum = 0;
    for (let i = 0; i < this.#counts.length; i++) {
      cum += this.#counts[i];
      buckets.push({ le: i < this.bounds.length ? this.bounds[i] : Infinity, count: cum });
    }
    return {
      count: this.#count,
      sum: this.#sum,
      max: this.#max,
      p50: this.quantile(0.5),
      p90: this.quantile(0.9),
      p99: this.quantile(0.99),
      buckets,
    };
  }
}
