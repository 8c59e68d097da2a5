/**
 * A deadline on a promise the caller cannot cancel (the cold reader's S3 requests take no signal): the answer
 * stops waiting, the work finishes or fails on its own later.
 *
 * @module
 */

/**
 * Settles as `work` does, or rejects after `ms` with an error saying so; the timer is cleared once either
 * happens, so nothing stays scheduled.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { withDeadline } from "./with_deadline.ts";
 * assert.equal(await withDeadline(Promise.resolve(1), 10, "the archive"), 1);
 * await assert.rejects(withDeadline(new Promise(() => {}), 10, "the archive"), /within 10 ms/);
 * ```
 */
export function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
