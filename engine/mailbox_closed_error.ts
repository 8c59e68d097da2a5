/**
 * Raised when a message cannot be delivered because the mailbox is closed (its actor stopped or is draining).
 * Carries the message back so the caller can retry elsewhere, dead-letter it or nack it: nothing is lost.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { MailboxClosedError } from "./mailbox_closed_error.ts";
 * const err = new MailboxClosedError("parser", { line: 1 });
 * assert.deepEqual(err.undelivered, { line: 1 });
 * ```
 */
export class MailboxClosedError<T = unknown> extends Error {
  override name = "MailboxClosedError";
  /** The message that was not delivered. */
  readonly undelivered: T;
  /** Name of the actor (or mailbox) that refused it. */
  readonly target: string;

  /**
   * @param target name of the actor or mailbox that is closed
   * @param undelivered the message that could not be delivered
   * @param options `cause`: why it is closed (e.g. an {@link ActorStoppedError})
   */
  constructor(target: string, undelivered: T, options?: ErrorOptions) {
    super(`Cannot deliver to ${target} as its mailbox is closed`, options);
    this.target = target;
    this.undelivered = undelivered;
  }
}
