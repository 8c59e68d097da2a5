/**
 * One-for-one supervision: only the failing actor is affected; restarts are immediate and limited to
 * `maxRestarts` within `withinMs`, beyond which the actor is stopped.
 *
 * @module
 */
import { type Decider, restartAlways } from "./directive.ts";
import type { RestartStatistics } from "./restart_statistics.ts";
import type { SupervisorDecision, SupervisorStrategy } from "./supervisor_strategy.ts";

/** Options of {@link oneForOne}. */
export interface OneForOneOptions {
  /** Restarts allowed within `withinMs` before the actor is stopped; a non-negative integer. Default 10. */
  maxRestarts?: number;
  /** The window, in ms, a positive number. Default 60 000. */
  withinMs?: number;
  /** Maps an error to a directive. Default: always restart. */
  decider?: Decider;
  /** Directive when the limit is exceeded: `stop` (default) or `escalate`. */
  whenLimitExceeded?: "stop" | "escalate";
}

/**
 * Creates a one-for-one strategy.
 *
 * @throws {RangeError} on invalid options
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { oneForOne } from "./one_for_one.ts";
 * import { RestartStatistics } from "./restart_statistics.ts";
 * const strategy = oneForOne({ maxRestarts: 1, withinMs: 1_000 });
 * const stats = new RestartStatistics();
 * assert.equal(strategy.decide(new Error("a"), stats, 0).directive, "restart");
 * assert.equal(strategy.decide(new Error("b"), stats, 10).directive, "stop");
 * ```
 */
export function oneForOne(options: OneForOneOptions = {}): SupervisorStrategy {
  const { maxRestarts = 10, withinMs = 60_000, decider = restartAlways, whenLimitExceeded = "stop" } =
    options;
  if (!Number.isSafeInteger(maxRestarts) || maxRestarts < 0) {
    throw new RangeError(
      `Cannot create oneForOne as maxRestarts must be a non-negative integer: current value is ${maxRestarts}`,
    );
  }
  if (!(withinMs > 0)) {
    throw new RangeError(
      `Cannot create oneForOne as withinMs must be a positive number: current value is ${withinMs}`,
    );
  }
  return {
    decide(error: unknown, stats: RestartStatistics, now: number): SupervisorDecision {
      stats.recordFailure(now);
      const directive = decider(error);
      if (directive !== "restart") return { directive, delayMs: 0 };
      if (stats.restartsWithin(withinMs, now) >= maxRestarts) {
        return {
          directive: whenLimitExceeded,
          delayMs: 0,
          reason: `restart limit ${maxRestarts} within ${withinMs} ms exceeded`,
        };
      }
      stats.recordRestart(now);
      return { directive, delayMs: 0 };
    },
  };
}
