/**
 * The charts across both tiers. A window reaching before the hot window (the oldest day the hot tier holds,
 * `hotWindowStart` in `archive_part.ts`) adds the archive's (cold tier's) counts for the part before it to the hot tier's: both
 * tiers file an event under the same routing day, so the parts are disjoint and each bucket is their sum — a
 * replayed archive whose event times are years old is charted from the hot tier while it holds it.
 *
 * Like the explorer, the archive part has a deadline and never fails the chart: without it every bucket comes
 * from the hot tier (what it still holds) and the status says why the archive part is missing.
 *
 * @module
 */
import type { ArchiveSettings, ArchiveStatus } from "./search_with_archive.ts";
import { archiveSpan, askArchive } from "./archive_part.ts";
import { bucketSeconds, type TimeWindow } from "./time_window.ts";
import type { HotTierQueries, TimeSeries } from "./web_deps.ts";

/** A chart's series with the archive's part described (absent when the window lies inside the hot window). */
export interface TieredTimeSeries extends TimeSeries {
  archive?: ArchiveStatus;
}

/**
 * One chart of `window` split by `splitBy`, from the hot tier and, before the hot window, the archive.
 *
 * @throws what `hot.timeSeries` throws (an unavailable hot tier is the page's banner, as without an archive)
 */
export async function timeSeriesWithArchive(
  hot: HotTierQueries,
  window: TimeWindow,
  splitBy: "classification" | "level",
  now: Date,
  archive: ArchiveSettings | undefined,
): Promise<TieredTimeSeries> {
  const stepMs = bucketSeconds(window) * 1000;
  const span = await archiveSpan(hot, window, now, archive);
  if (span === undefined) return await hot.timeSeries(window, splitBy);
  const coldTo = span.to.getTime();
  const timeoutMs = span.timeoutMs;
  const started = performance.now();
  const base = {
    ...span.base,
    caveats: [],
  };
  const [hotSeries, cold] = await Promise.all([
    hot.timeSeries(window, splitBy),
    askArchive(
      span.reader.histogram({ from: window.from, to: new Date(coldTo) }, { stepMs, splitBy }, {
        timeoutMs,
      }),
      timeoutMs,
      started,
    ),
  ]);
  if ("error" in cold) {
    return { ...hotSeries, archive: { ...base, state: "partial", reason: cold.error, tookMs: cold.tookMs } };
  }
  // The buckets of the whole window, as the hot tier's date histogram lays them out (epoch-aligned).
  const t: number[] = [];
  for (let s = Math.floor(window.from.getTime() / stepMs) * stepMs; s <= window.to.getTime(); s += stepMs) {
    t.push(s / 1000);
  }
  const hotAt = new Map(hotSeries.t.map((sec, i) => [sec, i]));
  const keys = new Set(Object.keys(hotSeries.series));
  for (const bucket of cold.value.values()) for (const key of bucket.keys()) keys.add(key);
  const series: Record<string, number[]> = {};
  let total = 0;
  for (const key of keys) {
    series[key] = t.map((sec) => {
      const n = cold.value.get(sec * 1000)?.get(key) ?? 0;
      total += n;
      const i = hotAt.get(sec);
      return n + (i === undefined ? 0 : hotSeries.series[key]?.[i] ?? 0);
    });
  }
  return {
    t,
    series,
    stepSec: stepMs / 1000,
    archive: { ...base, state: "answered", total, tookMs: cold.tookMs },
  };
}
