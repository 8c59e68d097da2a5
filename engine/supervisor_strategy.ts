/**
 * The contract between an actor's runtime and its supervisor: on failure, the runtime asks the strategy what to
 * do; the strategy applies its decider (error → {@link Directive}) and its limits (restart counting, backoff).
 *
 * @module
 */
import type { Directive } from "./directive.ts";
import type { RestartStatistics } from "./restart_statistics.ts";

/** What a strategy decided for one failure. */
export interface SupervisorDecision {
  /** The directive to apply. */
  directive: Directive;
  /** For `restart`: how long to wait before the new instance starts (0 = at once). */
  delayMs: number;
  /** Why, for logs (e.g. "restart limit 10 within 60000 ms exceeded"). */
  reason?: string;
}

/** A supervisor strategy: decides, per failure, given the actor's restart statistics. */
export interface SupervisorStrategy {
  /**
   * Decides what to do with a failure. A strategy that returns `restart` records it in `stats`.
   *
   * @param error what the actor threw
   * @param stats the actor's restart history (mutated: failure and restart recorded)
   * @param now current time of the system clock (ms)
   */
  decide(error: unknown, stats: RestartStatistics, now: number): SupervisorDecision;
}
