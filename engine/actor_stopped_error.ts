/**
 * Raised when an operation needs a running actor (or system) that has stopped. Also the `cause` of the
 * {@link MailboxClosedError} a send to a stopped actor rejects with.
 *
 * @example
 * ```ts
 * import { ActorStoppedError } from "./actor_stopped_error.ts";
 * const err = new ActorStoppedError("hot-sink", "stopped by supervisor after 10 restarts");
 * console.log(err.message);
 * ```
 */
export class ActorStoppedError extends Error {
  override name = "ActorStoppedError";
  /** Name of the stopped actor. */
  readonly actor: string;

  /**
   * @param actor name of the stopped actor (or "actor system")
   * @param reason why it stopped, for the message
   * @param options `cause`: the error that stopped it, if any
   */
  constructor(actor: string, reason = "stopped", options?: ErrorOptions) {
    super(`Actor ${actor} has stopped: ${reason}`, options);
    this.actor = actor;
  }
}
