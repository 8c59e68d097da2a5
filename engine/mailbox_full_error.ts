/**
 * Raised by `send` under `whenFull: "block"` when the mailbox is full AND its bounded queue of waiting senders is
 * also full: the producer is not awaiting its sends. Carries the message back; the cure is to `await` each send.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { MailboxFullError } from "./mailbox_full_error.ts";
 * const err = new MailboxFullError("parser", "a line", 16);
 * assert.equal(err.undelivered, "a line");
 * ```
 */
export class MailboxFullError<T = unknown> extends Error {
  override name = "MailboxFullError";
  /** The message that was not delivered. */
  readonly undelivered: T;
  /** Name of the actor (or mailbox) that refused it. */
  readonly target: string;

  /**
   * @param target name of the actor or mailbox
   * @param undelivered the message that could not be delivered
   * @param maxWaitingSenders the bound that was reached
   */
  constructor(target: string, undelivered: T, maxWaitingSenders: number) {
    super(
      `Cannot enqueue to ${target} as its mailbox is full and ${maxWaitingSenders} senders are already waiting ` +
        `(await each send)`,
    );
    this.target = target;
    this.undelivered = undelivered;
  }
}
