/**
 * An in-memory {@link ArchiveReader} for unit tests of the web layer's tier merge: it answers from a list, like
 * the cold reader (newest first, half-open ranges, epoch-aligned buckets), or never (`hang`). The real archive
 * is tested over the real S3 in `tests/web/history_from_cold_test.ts`.
 *
 * @module
 */
import {
  type ArchiveAnswer,
  type ArchiveCounts,
  type ArchiveFilter,
  type ArchiveGroupColumn,
  type ArchiveHistogram,
  type ArchiveReader,
  topGroups,
} from "../lib/web/archive_reader.ts";
import type { EventHit } from "../lib/web/web_deps.ts";

/** The filter's system and source (the ones the Templates page passes). */
const sourceMatches = (e: EventHit, filter: ArchiveFilter) =>
  (filter.system === undefined || e.system === filter.system) &&
  (filter.source === undefined || e.source === filter.source);

/** An archive holding `events` (it filters by time and level; the histogram and counts by system and source). */
export class ListArchive implements ArchiveReader {
  /** The filters it was asked, in order. */
  asked: ArchiveFilter[] = [];
  constructor(readonly events: EventHit[], readonly hang = false) {}
  search(filter: ArchiveFilter, limit: number, { stepMs }: { stepMs: number }): Promise<ArchiveAnswer> {
    this.asked.push(filter);
    if (this.hang) return new Promise(() => {});
    const inRange = this.events.filter((e) =>
      Date.parse(e.ts) >= filter.from.getTime() && Date.parse(e.ts) < filter.to.getTime() &&
      (filter.levels === undefined || filter.levels.includes(e.level))
    ).sort((a, b) => Date.parse(b.ts) - Date.parse(a.ts));
    const histogram = new Map<number, number>();
    for (const e of inRange) {
      const start = Math.floor(Date.parse(e.ts) / stepMs) * stepMs;
      histogram.set(start, (histogram.get(start) ?? 0) + 1);
    }
    return Promise.resolve({ events: inRange.slice(0, limit), total: inRange.length, histogram, s3Bytes: 0 });
  }
  histogram(
    filter: ArchiveFilter,
    { stepMs, splitBy }: { stepMs: number; splitBy: ArchiveGroupColumn },
  ): Promise<ArchiveHistogram> {
    this.asked.push(filter);
    if (this.hang) return new Promise(() => {});
    const out: ArchiveHistogram = new Map();
    for (const e of this.events) {
      const t = Date.parse(e.ts);
      if (t < filter.from.getTime() || t >= filter.to.getTime() || !sourceMatches(e, filter)) continue;
      const start = Math.floor(t / stepMs) * stepMs;
      const bucket = out.get(start) ?? new Map<string, number>();
      bucket.set(e[splitBy], (bucket.get(e[splitBy]) ?? 0) + 1);
      out.set(start, bucket);
    }
    return Promise.resolve(out);
  }
  counts(
    filter: ArchiveFilter,
    { by, limit }: { by: readonly ArchiveGroupColumn[]; limit: number },
  ): Promise<ArchiveCounts> {
    this.asked.push(filter);
    if (this.hang) return new Promise(() => {});
    const inRange = this.events.filter((e) =>
      Date.parse(e.ts) >= filter.from.getTime() && Date.parse(e.ts) < filter.to.getTime() &&
      sourceMatches(e, filter)
    );
    const out: ArchiveCounts["by"] = {};
    for (const column of by) {
      const counts = new Map<string, number>();
      for (const e of inRange) counts.set(e[column], (counts.get(e[column]) ?? 0) + 1);
      out[column] = topGroups(counts, limit);
    }
    return Promise.resolve({ total: inRange.length, by: out, s3Bytes: 0 });
  }
}
