/**
 * The archive (cold tier) part of a dashboard answer: asked under a deadline, it settles one way or the other and
 * never rejects, so a page or API answer always has its hot part (see `search_with_archive.ts`).
 *
 * @module
 */
import { withDeadline } from "./with_deadline.ts";

/** Longest reason kept from an archive error (it is shown on the page). */
export const MAX_REASON_CHARS = 300;

/** What the archive answered and how long it took, or why it did not answer. */
export type ArchivePart<T> = { value: T; tookMs: number } | { error: string; tookMs: number };

/**
 * Waits for `work` at most `timeoutMs` (the cold reader takes no signal: the work is left to finish on its own).
 *
 * @param started `performance.now()` when the archive part began (its time is reported from there)
 * @returns the answer or the reason, never a rejection
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { askArchive } from "./archive_part.ts";
 * const part = await askArchive(Promise.reject(new Error("S3 refused")), 50, performance.now());
 * assert.ok("error" in part && part.error === "S3 refused");
 * ```
 */
export function askArchive<T>(work: Promise<T>, timeoutMs: number, started: number): Promise<ArchivePart<T>> {
  const tookMs = () => Math.round(performance.now() - started);
  return withDeadline(work, timeoutMs, "the archive").then(
    (value) => ({ value, tookMs: tookMs() }),
    (err) => ({ error: String((err as Error)?.message ?? err).slice(0, MAX_REASON_CHARS), tookMs: tookMs() }),
  );
}
