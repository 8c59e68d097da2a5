/**
 * The Overview's totals and distributions across both tiers. A window reaching before the hot window (the
 * oldest day the hot tier holds, `hotWindowStart` in `archive_part.ts`) adds the archive's (cold tier's) counts for the part
 * before it: the KPI total, the count per classification, and the lists by level, by component and of top
 * templates. Both tiers file an event under the same routing day, so the parts are disjoint and counts add.
 *
 * Exact top N: levels and classifications are few (every value is asked of both tiers), so their lists are
 * exact. Components and templates may be many: each tier is asked for its {@link ASKED} most frequent, and the
 * lists are merged by `mergeTopCounts`, which proves the merged top {@link TOP_N} exact or, when counts are flat
 * across more values than that, says so in a caveat with the largest count a value left out could have.
 *
 * Like the explorer and the charts, the archive part has a deadline and never fails the page: without it the
 * numbers are the hot tier's and the status says why the archive part is missing.
 *
 * @module
 */
import type { ArchiveCounts, ArchiveGroups } from "./archive_reader.ts";
import { isComplete, mergeTopCounts } from "./merge_top_counts.ts";
import type { ArchiveSettings, ArchiveStatus } from "./search_with_archive.ts";
import { archiveSpan, askArchive } from "./archive_part.ts";
import type { TimeWindow } from "./time_window.ts";
import type { Bucket, HotTierQueries, OverviewStats } from "./web_deps.ts";
import { LEVELS } from "../event/log_event.ts";

/** Entries shown per list. */
export const TOP_N = 10;
/** Entries asked of each tier per component / template list when the archive is involved (TOP_N + 40). */
export const ASKED = TOP_N + 40;

/** Overview numbers with the archive's part described (absent when the window lies inside the hot window). */
export interface TieredOverviewStats extends OverviewStats {
  archive?: ArchiveStatus;
}

/** What the archive's part of the Overview cannot show the way the hot tier does. */
const CAVEATS = [
  "a template found only in the archive is shown by its id (the archive keeps no template text)",
  "events per second is the hot tier's last minute",
];

/**
 * Adds the archive's counts to the hot tier's numbers. Pure; exported for its unit test.
 *
 * @returns the merged numbers and the caveats of inexact lists
 */
export function mergeOverview(
  hot: OverviewStats,
  hotAsked: number,
  cold: ArchiveCounts,
  coldAsked: number,
): { stats: OverviewStats; caveats: string[] } {
  const caveats: string[] = [];
  const coldPart = (g: ArchiveGroups | undefined) => ({
    items: g?.top ?? [],
    complete: g === undefined || g.distinct <= coldAsked,
  });
  const list = (
    name: string,
    hotItems: Bucket[],
    hotComplete: boolean,
    groups: ArchiveGroups | undefined,
    n: number,
  ) => {
    const merged = mergeTopCounts([{ items: hotItems, complete: hotComplete }, coldPart(groups)], n);
    if (!merged.exact) {
      caveats.push(
        `the ${name} may be inexact: counts are flat past the ${hotAsked} most frequent of each tier (a value ` +
          `left out counts at most ${merged.missingBound})`,
      );
    }
    return merged.items;
  };
  const byClassification = { ...hot.byClassification };
  for (const { key, count } of cold.by.classification?.top ?? []) {
    if (key in byClassification) byClassification[key as keyof typeof byClassification] += count;
  }
  return {
    stats: {
      total: hot.total + cold.total,
      byClassification,
      // Every level is asked of both tiers (8 values): both lists are complete.
      byLevel: list("levels", hot.byLevel, true, cold.by.level, LEVELS.length),
      byComponent: list(
        "components",
        hot.byComponent,
        isComplete(hot.byComponent, hotAsked),
        cold.by.component,
        TOP_N,
      ),
      topTemplates: list(
        "top templates",
        hot.topTemplates,
        isComplete(hot.topTemplates, hotAsked),
        cold.by.templateId,
        TOP_N,
      ),
      recentRate: hot.recentRate,
    },
    caveats,
  };
}

/**
 * The Overview's numbers of `window`, from the hot tier and, before the hot window, the archive.
 *
 * @throws what `hot.overview` throws (an unavailable hot tier is the page's banner, as without an archive)
 */
export async function overviewWithArchive(
  hot: HotTierQueries,
  window: TimeWindow,
  now: Date,
  archive: ArchiveSettings | undefined,
): Promise<TieredOverviewStats> {
  const span = await archiveSpan(hot, window, now, archive);
  if (span === undefined) return await hot.overview(window, TOP_N);
  const coldTo = span.to.getTime();
  const timeoutMs = span.timeoutMs;
  const started = performance.now();
  const base = span.base;
  const [hotStats, cold] = await Promise.all([
    hot.overview(window, ASKED),
    askArchive(
      span.reader.counts(
        { from: window.from, to: new Date(coldTo) },
        { by: ["classification", "level", "component", "templateId"], limit: ASKED },
        { timeoutMs },
      ),
      timeoutMs,
      started,
    ),
  ]);
  if ("error" in cold) {
    const hotOnly = mergeOverview(hotStats, ASKED, { total: 0, by: {}, s3Bytes: 0 }, ASKED).stats;
    return {
      ...hotOnly,
      archive: { ...base, state: "partial", reason: cold.error, caveats: [], tookMs: cold.tookMs },
    };
  }
  const merged = mergeOverview(hotStats, ASKED, cold.value, ASKED);
  return {
    ...merged.stats,
    archive: {
      ...base,
      state: "answered",
      total: cold.value.total,
      caveats: [...merged.caveats, ...CAVEATS],
      tookMs: cold.tookMs,
    },
  };
}
