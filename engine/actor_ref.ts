/**
 * Handles to send to: {@link Sender} (anything messages can be pushed into) and {@link ActorRef} (an actor).
 *
 * @module
 */
import type { ActorState } from "./engine_snapshot.ts";

/**
 * Something that accepts messages with backpressure: an actor, a fan-out, a test probe.
 *
 * Hot loops use the sync fast path and fall back to waiting only when full:
 * `if (!out.trySend(msg)) await out.send(msg);`
 */
export interface Sender<In> {
  /**
   * Sends a message. Resolves when it is in the mailbox — at once (a shared resolved promise, no allocation)
   * unless the mailbox is full under `block`, in which case it waits for room: that wait is the backpressure.
   *
   * @throws {MailboxClosedError} (rejection) when the target is stopped or draining; carries the message
   * @throws {MailboxFullError} (rejection) when too many senders are already waiting (sends not awaited)
   */
  send(msg: In): Promise<void>;
  /**
   * Sends without waiting.
   *
   * @returns false when full under `block` (nothing sent); true otherwise (queued, or dropped and counted)
   * @throws {MailboxClosedError} when the target is stopped or draining
   */
  trySend(msg: In): boolean;
  /**
   * Sends `msgs[from..]` without waiting, as many as fit. When all fit, the array itself may be queued
   * (zero-copy): the caller gives it up and must not modify it afterwards. Optional: {@link sendAll} falls back
   * to `trySend` per message.
   *
   * @returns the index of the first message not sent (`msgs.length` when all were)
   * @throws {MailboxClosedError} when the target is stopped or draining
   */
  trySendMany?(msgs: In[], from?: number): number;
}

/** A reference to a running (or stopped) actor. */
export interface ActorRef<In> extends Sender<In> {
  trySendMany(msgs: In[], from?: number): number;
  /** Local name. */
  readonly name: string;
  /** Path from the system root, e.g. `/parser` or `/classifier/worker-1`. */
  readonly path: string;
  /** Current lifecycle state. */
  readonly state: ActorState;
  /** Resolves when the actor has fully stopped (after `postStop`). */
  readonly stopped: Promise<void>;
}
