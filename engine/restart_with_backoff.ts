/**
 * Restart with exponential backoff (Akka's `SupervisorStrategy.restartWithBackoff`): the n-th consecutive
 * restart waits `min(maxBackoffMs, minBackoffMs · 2^(n-1))` (the one {@link backoffDelay}), stretched by a random factor up to `randomFactor`.
 * After `resetAfterMs` without failure the count starts again. Messages keep queuing (bounded) meanwhile.
 *
 * @module
 */
import { backoffDelay } from "../lib/timing/backoff_delay.ts";
import { type Decider, restartAlways } from "./directive.ts";
import type { RestartStatistics } from "./restart_statistics.ts";
import type { SupervisorDecision, SupervisorStrategy } from "./supervisor_strategy.ts";

/** Options of {@link restartWithBackoff}. */
export interface BackoffOptions {
  /** Delay of the first restart, ms (> 0). Default 100. */
  minBackoffMs?: number;
  /** Cap on the delay, ms (≥ minBackoffMs). Default 30 000. */
  maxBackoffMs?: number;
  /** Jitter: the delay is multiplied by `1 + random·randomFactor`; in [0, 1]. Default 0.2. */
  randomFactor?: number;
  /** A failure after this long without one resets the backoff, ms (> 0). Default 60 000. */
  resetAfterMs?: number;
  /** Consecutive restarts allowed (since the last reset) before the actor is stopped. Default: unlimited. */
  maxRestarts?: number;
  /** Maps an error to a directive. Default: always restart. */
  decider?: Decider;
  /** Random source in [0, 1) for the jitter (inject for tests). Default `Math.random`. */
  random?: () => number;
}

/**
 * Creates a restart-with-backoff strategy.
 *
 * @throws {RangeError} on invalid options
 *
 * @example
 * ```ts
 * import { restartWithBackoff } from "./restart_with_backoff.ts";
 * import { RestartStatistics } from "./restart_statistics.ts";
 * const s = restartWithBackoff({ minBackoffMs: 100, maxBackoffMs: 1_000, randomFactor: 0 });
 * const stats = new RestartStatistics();
 * console.log(s.decide(new Error(), stats, 0).delayMs);  // 100
 * console.log(s.decide(new Error(), stats, 1).delayMs);  // 200
 * ```
 */
export function restartWithBackoff(options: BackoffOptions = {}): SupervisorStrategy {
  const {
    minBackoffMs = 100,
    maxBackoffMs = 30_000,
    randomFactor = 0.2,
    resetAfterMs = 60_000,
    maxRestarts = Infinity,
    decider = restartAlways,
    random = Math.random,
  } = options;
  const fail = (what: string, value: unknown) => {
    throw new RangeError(`Cannot create restartWithBackoff as ${what}: current value is ${value}`);
  };
  if (!(minBackoffMs > 0) || !Number.isFinite(minBackoffMs)) {
    fail("minBackoffMs must be a positive number", minBackoffMs);
  }
  if (!(maxBackoffMs >= minBackoffMs)) fail("maxBackoffMs must be ≥ minBackoffMs", maxBackoffMs);
  if (!(randomFactor >= 0 && randomFactor <= 1)) fail("randomFactor must be in [0, 1]", randomFactor);
  if (!(resetAfterMs > 0)) fail("resetAfterMs must be a positive number", resetAfterMs);
  if (!(maxRestarts >= 0)) fail("maxRestarts must be non-negative", maxRestarts);
  return {
    decide(error: unknown, stats: RestartStatistics, now: number): SupervisorDecision {
      const previous = stats.lastFailureAt;
      stats.recordFailure(now);
      const directive = decider(error);
      if (directive !== "restart") return { directive, delayMs: 0 };
      if (previous !== undefined && now - previous >= resetAfterMs) stats.reset();
      if (stats.consecutiveRestarts >= maxRestarts) {
        return { directive: "stop", delayMs: 0, reason: `${maxRestarts} consecutive restarts exceeded` };
      }
      stats.recordRestart(now);
      // Akka's jitter stretches the delay up (never below the minimum), so the backoff itself is jitter-free.
      const base = backoffDelay(stats.consecutiveRestarts - 1, {
        initialMs: minBackoffMs,
        maxMs: maxBackoffMs,
        jitter: 0,
      });
      return { directive, delayMs: Math.round(base * (1 + random() * randomFactor)) };
    },
  };
}
