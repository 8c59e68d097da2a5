/**
 * The one backoff function: exponential growth from `initialMs`, capped at `maxMs`, with a share of it random.
 * Retries of every adapter ({@link retry}) and the engine's restart-with-backoff both take their delays here.
 *
 * @module
 */

/** Options of {@link backoffDelay}. */
export interface BackoffDelayOptions {
  /** Delay of attempt 0 before jitter, ms (≥ 0). */
  initialMs: number;
  /** Cap on the delay before jitter, ms (≥ 0). */
  maxMs: number;
  /** Growth per attempt (≥ 1). Default 2. */
  multiplier?: number;
  /**
   * Share of the delay that is random, in [0, 1]: the delay is uniform in `[(1 − jitter)·d, d]`, so 1 is "full
   * jitter" (uniform in [0, d]: retries of many clients spread out) and 0 is none. Default 1.
   */
  jitter?: number;
  /** Uniform random source in [0, 1) (inject for tests). Default `Math.random`. */
  random?: () => number;
}

/**
 * Delay before retry `attempt` (0-based): `d = min(maxMs, initialMs · multiplier^attempt)`, then jittered to
 * `floor(d · (1 − jitter + jitter · random()))`.
 *
 * @param attempt 0 for the delay after the first failure
 * @param options growth, cap and jitter
 * @returns whole milliseconds in `[floor((1 − jitter)·d), d]`
 *
 * @example
 * ```ts
 * import { backoffDelay } from "./backoff_delay.ts";
 * console.log(backoffDelay(3, { initialMs: 100, maxMs: 1_000, jitter: 0 })); // 800
 * console.log(backoffDelay(4, { initialMs: 100, maxMs: 1_000, jitter: 0 })); // 1000
 * ```
 */
export function backoffDelay(attempt: number, options: BackoffDelayOptions): number {
  const { initialMs, maxMs, multiplier = 2, jitter = 1, random = Math.random } = options;
  // The exponent is capped so a long outage's attempt count cannot overflow to Infinity · 0 = NaN.
  const d = Math.min(maxMs, initialMs * multiplier ** Math.min(Math.max(attempt, 0), 52));
  return Math.floor(d * (1 - jitter + jitter * random()));
}
