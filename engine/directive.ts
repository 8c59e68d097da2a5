/**
 * What a supervisor does with an actor that failed, in Akka Typed / Proto.Actor vocabulary.
 *
 * - `resume`: keep the actor and its state; the message that failed goes to dead letters (a batch that failed is
 *   first re-delivered one message at a time to find the culprit).
 * - `restart`: replace the actor with a fresh instance (state reset) and retry the message that failed, up to the
 *   poison limit (`maxAttempts`), after which it goes to dead letters.
 * - `stop`: stop the actor; what it had queued goes to dead letters.
 * - `escalate`: stop the actor and fail its parent with the error (the system's `onEscalation` at the top).
 *
 * @module
 */

/** A supervisor's decision about a failed actor. */
export type Directive = "resume" | "restart" | "stop" | "escalate";

/** Maps an error thrown by an actor to a {@link Directive}. */
export type Decider = (error: unknown) => Directive;

/**
 * The default decider: restart on any error.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { restartAlways } from "./directive.ts";
 * assert.equal(restartAlways(new Error("boom")), "restart");
 * ```
 */
export const restartAlways: Decider = () => "restart";
