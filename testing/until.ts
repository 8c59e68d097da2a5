/**
 * The one way tests wait: for a condition, with a deadline, failing with what they waited for — never a
 * fixed sleep (too short on a busy machine, too long everywhere else), never a loop without an end.
 *
 * @module
 */

/** Options of {@link until}. */
export interface UntilOptions {
  /**
   * What the test waits for, named in the error when the deadline passes; a function is called then, so the
   * error can tell the state it ended in (counts reached, a child's output).
   */
  what: string | (() => string);
  /** How long to wait at most, ms. Default 10 000. */
  deadlineMs?: number;
  /** Pause between two checks, ms. Default 10. */
  pollMs?: number;
}

/**
 * Resolves once `condition()` is true (checked at once, then every `pollMs`).
 *
 * @throws {Error} `timed out after <deadlineMs> ms waiting for <what>` when the deadline passes first
 *
 * @example
 * ```ts
 * import { until } from "./until.ts";
 * let ready = false;
 * setTimeout(() => ready = true, 20);
 * await until(() => ready, { what: "ready", deadlineMs: 5_000 });
 * ```
 */
export async function until(
  condition: () => boolean | Promise<boolean>,
  options: UntilOptions,
): Promise<void> {
  const { what, deadlineMs = 10_000, pollMs = 10 } = options;
  const end = Date.now() + deadlineMs;
  while (!await condition()) {
    if (Date.now() > end) {
      throw new Error(
        `timed out after ${deadlineMs} ms waiting for ${typeof what === "function" ? what() : what}`,
      );
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
