/**
 * The Templates page's lists across both tiers. A window reaching before the hot window (the oldest day the hot
 * tier holds, `hotWindowStart` in `archive_part.ts`) adds the archive's (cold tier's) part before it: one histogram of the
 * archive's matching events by template id in the sparklines' buckets (`ArchiveReader.histogram`, with the
 * page's system / source filter) gives every archived template's count and trend. The parts are disjoint
 * (routing days), so counts and buckets add.
 *
 * - **Most frequent**: the hot tier's `size + 40` most frequent and every archived template, merged by
 *   `mergeTopCounts` (the archive's list is complete): exact, or a caveat gives the bound.
 * - **Newly seen / rarest**: from the all-time registry their counts already span history (only the sparklines
 *   add the archive); from the window's events (a system / source filter, or no registry) each listed
 *   template's count and trend add the archive, but which templates are listed is the hot tier's judgement.
 *
 * The archive keeps neither template text nor system per template: a template only in the archive shows its
 * id, no system and no last-seen time. Like the other pages, the archive part has a deadline and never fails
 * the page: without it the lists are the hot tier's and the status says why.
 *
 * @module
 */
import type { ArchiveHistogram } from "./archive_reader.ts";
import { isComplete, mergeTopCounts } from "./merge_top_counts.ts";
import type { ArchiveSettings, ArchiveStatus } from "./search_with_archive.ts";
import { archiveSpan, askArchive } from "./archive_part.ts";
import { bucketSeconds, type TimeWindow } from "./time_window.ts";
import type { HotTierQueries, SourceFilter, TemplateStat, TemplateStats } from "./web_deps.ts";

/** Extra entries asked of the hot tier per list when the archive is involved, for the exact merge. */
export const EXTRA = 40;
/** Sparkline buckets over the window (as the hot tier's `buildTemplateAggs` lays them out). */
const SPARK_BUCKETS = 24;

/** Template lists with the archive's part described (absent when the window lies inside the hot window). */
export interface TieredTemplateStats extends TemplateStats {
  archive?: ArchiveStatus;
}

const CAVEATS = [
  "a template found only in the archive shows its id, no system and no last-seen time (the archive keeps " +
  "neither template text nor systems)",
];

/**
 * Adds the archive's histogram (by template id, buckets of `stepMs`) to the hot tier's lists. Pure; exported
 * for its unit test.
 */
export function mergeTemplates(
  hot: TemplateStats,
  hotAsked: number,
  archived: ArchiveHistogram,
  window: TimeWindow,
  stepMs: number,
  size: number,
): { stats: TemplateStats; caveats: string[] } {
  const first = Math.floor(window.from.getTime() / stepMs);
  const length = Math.floor(window.to.getTime() / stepMs) - first + 1;
  const cold = new Map<string, { count: number; spark: number[] }>();
  for (const [start, byTemplate] of archived) {
    const i = Math.floor(start / stepMs) - first;
    for (const [id, n] of byTemplate) {
      let t = cold.get(id);
      if (t === undefined) cold.set(id, t = { count: 0, spark: new Array(length).fill(0) });
      t.count += n;
      if (i >= 0 && i < length) t.spark[i] += n;
    }
  }
  /** A hot entry with the archive's trend added (and its count, unless it is an all-time registry count). */
  const withArchive = (t: TemplateStat, addCount: boolean): TemplateStat => {
    const c = cold.get(t.templateId);
    if (c === undefined) return t;
    const spark = c.spark.map((n, i) => n + (t.spark[i] ?? 0));
    return { ...t, count: addCount ? t.count + c.count : t.count, spark };
  };
  const caveats: string[] = [];
  const top = mergeTopCounts([
    {
      items: hot.top.map((t) => ({ key: t.templateId, count: t.count })),
      complete: isComplete(hot.top, hotAsked),
    },
    { items: [...cold].map(([key, c]) => ({ key, count: c.count })), complete: true },
  ], size);
  if (!top.exact) {
    caveats.push(
      `the most frequent templates may be inexact: counts are flat past the hot tier's ${hotAsked} most ` +
        `frequent (a template left out counts at most ${top.missingBound})`,
    );
  }
  const hotById = new Map(hot.top.map((t) => [t.templateId, t]));
  const registry = hot.registry === true;
  if (!registry) {
    caveats.push("which templates are newest and rarest in the window is judged on the hot tier's part");
  }
  return {
    stats: {
      top: top.items.map((b) => {
        const held = hotById.get(b.key);
        const base: TemplateStat = held ??
          { templateId: b.key, template: "", count: 0, spark: [], systems: [] };
        return { ...withArchive(base, true), count: b.count };
      }),
      newest: hot.newest.slice(0, size).map((t) => withArchive(t, !registry)),
      rarest: hot.rarest.slice(0, size).map((t) => withArchive(t, !registry)),
      ...(hot.registry === undefined ? {} : { registry: hot.registry }),
    },
    caveats,
  };
}

/**
 * The Templates page's lists of `window`, from the hot tier and, before the hot window, the archive.
 *
 * @throws what `hot.templates` throws (an unavailable hot tier is the page's banner, as without an archive)
 */
export async function templatesWithArchive(
  hot: HotTierQueries,
  window: TimeWindow,
  size: number,
  filter: SourceFilter,
  now: Date,
  archive: ArchiveSettings | undefined,
): Promise<TieredTemplateStats> {
  const span = await archiveSpan(hot, window, now, archive);
  if (span === undefined) return await hot.templates(window, size, filter);
  const coldTo = span.to.getTime();
  const stepMs = bucketSeconds(window, SPARK_BUCKETS) * 1000;
  const timeoutMs = span.timeoutMs;
  const hotAsked = size + EXTRA;
  const started = performance.now();
  const base = span.base;
  const [hotStats, cold] = await Promise.all([
    hot.templates(window, hotAsked, filter),
    askArchive(
      span.reader.histogram(
        {
          from: window.from,
          to: new Date(coldTo),
          ...(filter.system ? { system: filter.system } : {}),
          ...(filter.source ? { source: filter.source } : {}),
        },
        { stepMs, splitBy: "templateId" },
        { timeoutMs },
      ),
      timeoutMs,
      started,
    ),
  ]);
  if ("error" in cold) {
    const hotOnly = mergeTemplates(hotStats, hotAsked, new Map(), window, stepMs, size).stats;
    return {
      ...hotOnly,
      archive: { ...base, state: "partial", reason: cold.error, caveats: [], tookMs: cold.tookMs },
    };
  }
  const merged = mergeTemplates(hotStats, hotAsked, cold.value, window, stepMs, size);
  let total = 0;
  for (const bucket of cold.value.values()) for (const n of bucket.values()) total += n;
  return {
    ...merged.stats,
    archive: {
      ...base,
      state: "answered",
      total,
      caveats: [...merged.caveats, ...CAVEATS],
      tookMs: cold.tookMs,
    },
  };
}
