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

/** Reads the cold tier for the explorer and the charts. */
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
    split: { stepMs: number; splitBy: "classification" | "level" },
    options: { timeoutMs: number },
  ): Promise<ArchiveHistogram>;
}
