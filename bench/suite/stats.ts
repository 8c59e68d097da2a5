/**
 * Small statistics for the bench suite: min/median/max over repeats, quantiles of latency samples, ratios.
 *
 * @module
 */

/** min / median / max of repeated measurements (NaN when there are none). */
export interface Spread {
  min: number;
  median: number;
  max: number;
  /** How many measurements. */
  n: number;
}

/** The value at quantile `q` (0..1) of `sorted` (ascending), nearest rank; NaN when empty. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i];
}

/** min / median / max of `xs` (NaN entries are ignored). */
export function spread(xs: readonly number[]): Spread {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  return { min: s[0] ?? NaN, median: quantile(s, 0.5), max: s.at(-1) ?? NaN, n: s.length };
}

/** p50 / p95 / p99 / max of latency samples, in the samples' unit; `n` is the sample count. */
export function latencySummary(samples: readonly number[]): {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  n: number;
} {
  const s = [...samples].sort((a, b) => a - b);
  return {
    p50: quantile(s, 0.5),
    p95: quantile(s, 0.95),
    p99: quantile(s, 0.99),
    max: s.at(-1) ?? NaN,
    n: s.length,
  };
}

/** Element-wise ratio of two spreads measured pairwise is not meaningful; this divides each by one baseline. */
export function ratioSpread(xs: Spread, baseline: number): Spread {
  return { min: xs.min / baseline, median: xs.median / baseline, max: xs.max / baseline, n: xs.n };
}

/** `1,234` style integer, or `—` for NaN. */
export function fmtInt(x: number): string {
  return Number.isFinite(x) ? Math.round(x).toLocaleString("en-US") : "—";
}

/** A ratio with two decimals, or `—` for NaN. */
export function fmtRatio(x: number): string {
  return Number.isFinite(x) ? x.toFixed(2) : "—";
}

/** `median (min–max)` of a spread, formatted by `f`. */
export function fmtSpread(s: Spread, f: (x: number) => string = fmtInt): string {
  if (s.n === 0) return "—";
  return s.n === 1 ? f(s.median) : `${f(s.median)} (${f(s.min)}–${f(s.max)})`;
}
