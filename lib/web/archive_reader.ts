/**
 * The archive as the dashboard sees it: the newest events of a range and their count, read from the cold tier.
 * The web layer knows only this interface; the wiring (`cli/start.ts`, `cli/web.ts`) hands in the adapter over
 * the cold query reader (`actors/cold_query/cold_archive_reader.ts`), and tests can hand in the same adapter over
 * a real S3.
 *
 * @module
 */
import type { EventHit } from "./web_deps.ts";

/** The filters the archive can honour: all of the explorer's except `incidentId` and query operators. */
export interface ArchiveFilter {
  /** First instant (inclusive), on the event's `ts`. */
  from: Date;
  /** End of the range (exclusive). */
  to: Date;
  levels?: readonly string[];
  classifications?: readonly string[];
  component?: string;
  host?: string;
  system?: string;
  source?: string;
  templateId?: string;
  /** The message contains this text, case-insensitively (a substring, not the hot tier's word search). */
  text?: string;
}

/** What the archive answered. */
export interface ArchiveAnswer {
  /** The newest matching events, newest first, each with `tier: "archive"`. */
  events: EventHit[];
  /** All matching events in the range. */
  total: number;
  /** Matching events per bucket of the asked `stepMs` (start, epoch ms; aligned to the epoch); they sum to `total`. */
  histogram: Map<number, number>;
  /** Bytes read from S3 for this answer (the local cache served the rest). */
  s3Bytes: number;
}

/** Counts per time bucket (start, epoch ms) and per value of the split column. */
export type ArchiveHistogram = Map<number, Map<string, number>>;

/** A column the archive counts events by. */
export type ArchiveGroupColumn = "classification" | "level" | "component" | "templateId";

/** The most frequent values of one column, and how many values there are in all. */
export interface ArchiveGroups {
  /** Most frequent first (ties by value), at most the asked `limit`. */
  top: { key: string; count: number }[];
  /** Distinct values matching: when it is at most `limit`, `top` holds every value. */
  distinct: number;
}

/** What the archive counted. */
export interface ArchiveCounts {
  /** All matching events in the range. */
  total: number;
  /** Per asked column. */
  by: Partial<Record<ArchiveGroupColumn, ArchiveGroups>>;
  /** Bytes read from S3 for this answer. */
  s3Bytes: number;
}

/** Reads the cold tier for the explorer, the charts and the Overview's totals. */
export interface ArchiveReader {
  /**
   * The newest `limit` events matching `filter`, their count and their histogram (buckets of `stepMs`), within
   * `timeoutMs` of wall time.
   *
   * @throws {Error} when the archive cannot answer (S3 unreachable, over the query's byte or time budget)
   */
  search(
    filter: ArchiveFilter,
    limit: number,
    options: { timeoutMs: number; stepMs: number },
  ): Promise<ArchiveAnswer>;
  /**
   * Matching events counted per bucket of `stepMs` (aligned to the epoch, as the hot tier's date histogram)
   * and per value of `splitBy`, within `timeoutMs`.
   *
   * @throws {Error} when the archive cannot answer
   */
  histogram(
    filter: ArchiveFilter,
    split: { stepMs: number; splitBy: ArchiveGroupColumn },
    options: { timeoutMs: number },
  ): Promise<ArchiveHistogram>;
  /**
   * Matching events counted, in all and per value of each column of `by` (its `limit` most frequent values,
   * and how many there are), within `timeoutMs`.
   *
   * @throws {Error} when the archive cannot answer
   */
  counts(
    filter: ArchiveFilter,
    group: { by: readonly ArchiveGroupColumn[]; limit: number },
    options: { timeoutMs: number },
  ): Promise<ArchiveCounts>;
}

/**
 * The `limit` most frequent values of a count map (ties by value, so answers are deterministic), and the
 * number of values.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { topGroups } from "./archive_reader.ts";
 * assert.deepEqual(topGroups(new Map([["a", 1], ["b", 3], ["c", 3]]), 2), {
 *   top: [{ key: "b", count: 3 }, { key: "c", count: 3 }],
 *   distinct: 3,
 * });
 * ```
 */
export function topGroups(counts: ReadonlyMap<string, number>, limit: number): ArchiveGroups {
  const top = [...counts].map(([key, count]) => ({ key, count }))
    .sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .slice(0, limit);
  return { top, distinct: counts.size };
}
