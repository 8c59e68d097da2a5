/**
 * The archive (cold tier) part of a dashboard answer: asked under a deadline, it settles one way or the other and
 * never rejects, so a page or API answer always has its hot part (see `search_with_archive.ts`).
 *
 * @module
 */
import type { ArchiveReader } from "./archive_reader.ts";
import type { ArchiveSettings } from "./search_with_archive.ts";
import type { HotTierQueries } from "./web_deps.ts";
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

/** The part of a window the archive answers: `[from, to)`, before the hot window. */
export interface ArchiveSpan {
  from: Date;
  to: Date;
  /** The archive to ask (`ArchiveSettings.reader`). */
  reader: ArchiveReader;
  /** The archive part's deadline (`ArchiveSettings.timeoutMs`, default 5 s). */
  timeoutMs: number;
  /** The fields every {@link ArchiveStatus}-like answer starts from (ISO times). */
  base: { hotWindowStart: string; from: string; to: string };
}

/**
 * Start of the hot window: UTC midnight of the oldest day the hot tier holds an event index for, or `now` when
 * it holds none (everything is in the archive).
 *
 * @throws what the hot tier throws when it cannot answer
 */
export async function hotWindowStart(hot: HotTierQueries, now: Date): Promise<Date> {
  const day = await hot.oldestEventDay();
  return day === undefined ? now : new Date(day);
}

/**
 * What of `window` the archive is asked for: the part before the hot window, or `undefined` when the archive is
 * not asked (none configured, a hot tier that keeps everything, or a window inside the hot window).
 *
 * @throws what the hot tier throws when it cannot answer
 */
export async function archiveSpan(
  hot: HotTierQueries,
  window: { from: Date; to: Date },
  now: Date,
  archive: ArchiveSettings | undefined,
): Promise<ArchiveSpan | undefined> {
  if (archive === undefined || !(archive.hotWindowMs > 0)) return undefined;
  const start = await hotWindowStart(hot, now);
  if (window.from >= start) return undefined;
  const to = window.to < start ? window.to : start;
  return {
    from: window.from,
    to,
    reader: archive.reader,
    timeoutMs: archive.timeoutMs ?? 5_000,
    base: { hotWindowStart: start.toISOString(), from: window.from.toISOString(), to: to.toISOString() },
  };
}
