/**
 * The error the local stack throws for conditions a user can fix (a missing tool, a port taken by another
 * program, a service that did not become healthy in time). `deno task stack` prints its message without a
 * stack trace.
 *
 * @module
 */

/** A stack problem with a message that says what to do about it. */
export class StackError extends Error {
  override name = "StackError";

  /**
   * @param message what went wrong and what to do
   * @param options the underlying error, if any
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
  }
}
