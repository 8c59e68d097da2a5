/**
 * What an actor sees of the system, assembled from small role interfaces (Proto.Actor style) so that code can
 * ask for just the roles it needs (`(ctx: SpawnRole & LoggerRole) => ...`).
 *
 * @module
 */
import type { Actor, Props } from "./actor.ts";
import type { ActorMetrics } from "./actor_metrics.ts";
import type { ActorRef } from "./actor_ref.ts";
import type { DeadLetterReason } from "./dead_letters.ts";
import type { Logger } from "./logger.ts";
import type { Clock } from "./clock.ts";

/** A scheduled task that can be cancelled. */
export interface Cancellable {
  /** Cancels it; idempotent. */
  cancel(): void;
}

/** The actor's own reference. */
export interface SelfRole<In> {
  readonly self: ActorRef<In>;
}

/** Spawning children (stopped with their parent). */
export interface SpawnRole {
  /**
   * Starts a child actor supervised by this one.
   *
   * @throws {TypeError} when the name is empty, has "/", or is taken by a sibling
   * @throws {ActorStoppedError} when this actor is stopping
   */
  spawn<T>(props: Props<T>): ActorRef<T>;
}

/** Stopping self or a child. */
export interface StopRole {
  /** Stops a child now (queued messages go to dead letters); without argument, stops this actor. */
  stop(ref?: ActorRef<never>): Promise<void>;
}

/** Timers that deliver a message to self (cancelled on stop and restart). */
export interface ScheduleRole<In> {
  /** Sends `msg` to self once after `delayMs` (via `trySend`; dropped and counted if the mailbox is full). */
  scheduleOnce(delayMs: number, msg: In): Cancellable;
  /** Sends `msg` to self every `intervalMs` (skipped while the mailbox is full). */
  scheduleRepeatedly(intervalMs: number, msg: In): Cancellable;
  /** The system clock (fake in tests). */
  readonly clock: Clock;
}

/** The actor's metrics (to add its own counters and gauges). */
export interface MetricsRole {
  readonly metrics: ActorMetrics;
}

/** Structured logging, bound to the actor's path. */
export interface LoggerRole {
  readonly log: Logger;
}

/** Giving up on a message explicitly (e.g. a sink's permanently rejected item). */
export interface DeadLetterRole {
  /** Publishes `message` to the system's dead letters. */
  deadLetter(message: unknown, reason: DeadLetterReason, error?: unknown): void;
}

/** Reporting a failure that happened outside a handler (a callback, a timer, a worker). */
export interface FailRole {
  /**
   * Hands `error` to the supervisor as if a handler had thrown it (no message is retried or dead-lettered).
   * If a handler is in flight, the failure is handled once it settles.
   */
  fail(error: unknown): void;
}

/** Everything an actor may use. */
export type ActorContext<In> =
  & SelfRole<In>
  & SpawnRole
  & StopRole
  & ScheduleRole<In>
  & MetricsRole
  & LoggerRole
  & DeadLetterRole
  & FailRole;

/** An actor factory, as in {@link Props.create}. */
export type ActorFactory<In> = (ctx: ActorContext<In>) => Actor<In>;
