/**
 * What an actor is (its behaviour and lifecycle hooks) and how to make one (`Props`).
 *
 * An actor handles one message at a time (`receive`) or up to `batchSize` queued messages at once
 * (`receiveBatch`, preferred for throughput). Either may return a promise: the actor takes nothing else until it
 * settles, so per-key (indeed total) order is preserved. A handler that throws (or rejects) is a failure handled
 * by the actor's supervisor strategy.
 *
 * @module
 */
import type { ActorContext } from "./actor_context.ts";
import type { MailboxOptions } from "./bounded_mailbox.ts";
import type { SupervisorStrategy } from "./supervisor_strategy.ts";

/** An actor's behaviour. Implement `receive` or `receiveBatch` (if both, `receiveBatch` is used). */
export interface Actor<In> {
  /** Called before the first message, and on each fresh instance after a restart. A throw is a failure. */
  preStart?(): void | Promise<void>;
  /** Handles one message. */
  receive?(msg: In): void | Promise<void>;
  /**
   * Handles up to `batchSize` messages, oldest first. The array is the actor's to keep. If it throws, the
   * messages are re-delivered one at a time (to `receiveBatch` with a one-element array) to isolate the culprit:
   * handlers must tolerate re-delivery of messages of a failed batch (at-least-once).
   */
  receiveBatch?(msgs: In[]): void | Promise<void>;
  /**
   * Called on the failed instance before it is replaced. Default: `postStop` (so buffers are flushed).
   *
   * @param error what it threw
   */
  preRestart?(error: unknown): void | Promise<void>;
  /** Called once when the actor stops (after draining, for a graceful stop): flush and release here. */
  postStop?(): void | Promise<void>;
}

/** How to create and run an actor. */
export interface Props<In> {
  /** Name, unique among its siblings; no "/". */
  name: string;
  /** Creates a fresh instance (at start and at every restart: state resets). */
  create: (ctx: ActorContext<In>) => Actor<In>;
  /** Mailbox settings. Default `{ capacity: 1024, whenFull: "block" }`. */
  mailbox?: MailboxOptions;
  /** Most messages per `receiveBatch` call; a positive integer. Default 256. */
  batchSize?: number;
  /** Supervisor strategy. Default `oneForOne()` (restart, at most 10 within 60 s, then stop). */
  supervisor?: SupervisorStrategy;
  /** Attempts at one message under `restart` before it goes to dead letters as poison (≥ 1). Default 3. */
  maxAttempts?: number;
  /** Messages handled before yielding to the event loop (timers, I/O); a positive integer. Default 8192. */
  throughput?: number;
}
