/**
 * Builds the {@link ActorContext} an actor sees from the few operations its cell offers. Private to `engine/`.
 *
 * @module
 */
import type { Props } from "./actor.ts";
import type { ActorContext } from "./actor_context.ts";
import type { ActorMetrics } from "./actor_metrics.ts";
import type { ActorRef } from "./actor_ref.ts";
import type { CellTimers } from "./_cell_timers.ts";
import type { Clock } from "./clock.ts";
import type { DeadLetterReason } from "./dead_letters.ts";
import type { Logger } from "./logger.ts";

/** What a cell exposes to build its context. */
export interface ContextTarget<In> extends ActorRef<In> {
  readonly metrics: ActorMetrics;
  readonly timers: CellTimers;
  readonly log: Logger;
  readonly clock: Clock;
  spawnChild<T>(props: Props<T>): ActorRef<T>;
  stopChild(ref: ActorRef<never>): Promise<void>;
  stop(): Promise<void>;
  fail(error: unknown): void;
  deadLetter(message: unknown, reason: DeadLetterReason, error: unknown, attempts: number): void;
}

/** The context of the actor living in `cell`. */
export function makeCellContext<In>(cell: ContextTarget<In>): ActorContext<In> {
  // Timer messages go through trySend: a tick that finds the mailbox full is skipped (and counted), never
  // queued without bound.
  const tell = (msg: In) => {
    try {
      if (!cell.trySend(msg)) cell.metrics.count("timer_messages_skipped");
    } catch {
      // stopped meanwhile: nothing to deliver to
    }
  };
  return {
    self: cell,
    clock: cell.clock,
    metrics: cell.metrics,
    log: cell.log,
    spawn: <T>(props: Props<T>) => cell.spawnChild(props),
    stop: (ref?: ActorRef<never>) =>
      ref === undefined || ref === (cell as unknown) ? cell.stop() : cell.stopChild(ref),
    scheduleOnce: (delayMs: number, msg: In) => cell.timers.once(delayMs, () => tell(msg)),
    scheduleRepeatedly: (intervalMs: number, msg: In) => cell.timers.repeatedly(intervalMs, () => tell(msg)),
    fail: (error: unknown) => cell.fail(error),
    deadLetter: (message: unknown, reason: DeadLetterReason, error?: unknown) =>
      cell.deadLetter(message, reason, error, 1),
  };
}
