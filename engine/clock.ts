/**
 * The time source the engine reads for supervision (restart windows, backoff) and scheduling. Injectable, so
 * tests run supervision on fake time ({@link FakeClock}).
 *
 * @module
 */

/** Opaque handle of a scheduled timer. */
export type TimerHandle = unknown;

/** A clock with timers. */
export interface Clock {
  /** Current time in ms (epoch for the system clock). */
  now(): number;
  /** Runs `fn` after `ms`; returns a handle for {@link Clock.clearTimeout}. */
  setTimeout(fn: () => void, ms: number): TimerHandle;
  /** Cancels a timer; unknown or fired handles are ignored. */
  clearTimeout(handle: TimerHandle): void;
}

/**
 * The real clock: `Date.now` and the global timers.
 *
 * @example
 * ```ts
 * import { systemClock } from "./clock.ts";
 * const h = systemClock.setTimeout(() => console.log("later"), 10);
 * systemClock.clearTimeout(h);
 * ```
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as number),
};
