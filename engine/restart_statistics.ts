/**
 * Restart counting for one actor, kept apart from the strategies that read it (as in Akka's
 * `ChildRestartStats`). Holds at most `maxTracked` timestamps, so its memory is bounded.
 *
 * @module
 */

/**
 * Failure and restart history of one actor.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { RestartStatistics } from "./restart_statistics.ts";
 * const stats = new RestartStatistics(8);
 * stats.recordRestart(1_000);
 * stats.recordRestart(5_000);
 * assert.equal(stats.restartsWithin(2_000, 6_000), 1);
 * ```
 */
export class RestartStatistics {
  /** Restarts since the actor was created (never reset). */
  totalRestarts = 0;
  /** Failures since the actor was created (never reset). */
  totalFailures = 0;
  /** Restarts since the last {@link reset} (what backoff grows with). */
  consecutiveRestarts = 0;
  /** Time of the last failure, or `undefined`. */
  lastFailureAt: number | undefined;
  /** Time of the last restart, or `undefined`. */
  lastRestartAt: number | undefined;
  readonly maxTracked: number;
  #times: number[] = [];

  /**
   * @param maxTracked how many recent restart times to keep (≥ 1); windows can count at most this many
   * @throws {RangeError} when maxTracked is not a positive integer
   */
  constructor(maxTracked = 64) {
    if (!Number.isSafeInteger(maxTracked) || maxTracked < 1) {
      throw new RangeError(
        `Cannot create RestartStatistics as maxTracked must be a positive integer: current value is ${maxTracked}`,
      );
    }
    this.maxTracked = maxTracked;
  }

  /** Records a failure at `now`. */
  recordFailure(now: number): void {
    this.totalFailures++;
    this.lastFailureAt = now;
  }

  /** Records a restart at `now`. */
  recordRestart(now: number): void {
    this.totalRestarts++;
    this.consecutiveRestarts++;
    this.lastRestartAt = now;
    this.#times.push(now);
    if (this.#times.length > this.maxTracked) this.#times.shift();
  }

  /** Number of restarts in the window `(now - withinMs, now]`. */
  restartsWithin(withinMs: number, now: number): number {
    const from = now - withinMs;
    let n = 0;
    for (let i = this.#times.length - 1; i >= 0 && this.#times[i] > from; i--) n++;
    return n;
  }

  /** Forgets the consecutive-restart count and the window (after a quiet period). */
  reset(): void {
    this.consecutiveRestarts = 0;
    this.#times.length = 0;
  }
}
