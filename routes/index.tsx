/** `/` — Overview: KPIs, live rate charts by classification and level, distributions, top templates. */
import type { JSX } from "preact";
import { BarList } from "../lib/web/components/bar_list.tsx";
import { RangePicker } from "../lib/web/components/range_picker.tsx";
import { HotTierBanner, withHotTier } from "../lib/web/components/hot_tier_banner.tsx";
import { NewestDataHint } from "../lib/web/components/newest_data_hint.tsx";
import { EventQuerySchema, toSearchParams } from "../lib/web/event_query.ts";
import { Island } from "../lib/web/island.tsx";
import type { RouteContext } from "../lib/web/route_module.ts";
import type { TimeWindow } from "../lib/web/time_window.ts";
import type { IncidentCounts, TimeSeries } from "../lib/web/web_deps.ts";
import { parseWindowQuery } from "../lib/web/window_query.ts";
import { type TieredTimeSeries, timeSeriesWithArchive } from "../lib/web/time_series_with_archive.ts";
import { overviewWithArchive, type TieredOverviewStats } from "../lib/web/overview_with_archive.ts";
import { ArchiveNote } from "../lib/web/components/archive_note.tsx";
import LiveKpis, { sinkHealthOf, totalLag } from "../islands/LiveKpis.tsx";
import RateChart from "../islands/RateChart.tsx";
import type { PipelineSnapshot } from "../lib/web/pipeline_snapshot.ts";

interface Data {
  window: TimeWindow;
  stats: TieredOverviewStats;
  byClass: TieredTimeSeries;
  byLevel: TieredTimeSeries;
  openIncidents: IncidentCounts;
  openIncidentIds: string[];
  /** Whether the window ends now, so live frames extend it. */
  live: boolean;
  /** Newest event time in the hot tier, looked up only when the window is empty. */
  newestTs?: string;
  pipeline: PipelineSnapshot;
  hotError?: string;
}

const EMPTY_STATS: TieredOverviewStats = {
  total: 0,
  byClassification: { NORMAL: 0, ANOMALY: 0, CRITICAL_ANOMALY: 0 },
  byLevel: [],
  byComponent: [],
  topTemplates: [],
  recentRate: 0,
};

/** Page title. */
export const title = "Overview";

/**
 * Loads aggregates from the hot tier and, before the hot window, the archive (degrading to empty when the hot
 * tier is down, to its part alone when the archive cannot answer) and the pipeline snapshot.
 */
export async function load(ctx: RouteContext): Promise<Data> {
  const now = ctx.deps.now();
  const { window } = parseWindowQuery(ctx.url.searchParams, now, "15m");
  const empty: TimeSeries = { t: [], series: {}, stepSec: 1 };
  const hot = ctx.deps.hot;
  const [result, pipeline] = await Promise.all([
    withHotTier(() =>
      Promise.all([
        // Before the hot window, the totals, distributions and charts add the archive's (cold tier's) part.
        overviewWithArchive(hot, window, now, ctx.deps.archive),
        timeSeriesWithArchive(hot, window, "classification", now, ctx.deps.archive),
        timeSeriesWithArchive(hot, window, "level", now, ctx.deps.archive),
        hot.incidentCounts(window),
        hot.incidents(window, { status: ["open"], size: 500 }),
      ])
    ),
    ctx.deps.pipeline.snapshot(),
  ]);
  const [stats, byClass, byLevel, openIncidents, open] = result.value ??
    [EMPTY_STATS, empty, empty, { ANOMALY: 0, CRITICAL_ANOMALY: 0 }, []];
  const newestTs = result.value && stats.total === 0
    ? (await withHotTier(() => hot.newestEventTs())).value
    : undefined;
  return {
    newestTs,
    window,
    stats,
    byClass,
    byLevel,
    openIncidents,
    openIncidentIds: open.map((i) => i.id),
    live: windowReachesNow(window, now),
    pipeline,
    hotError: result.error,
  };
}

/**
 * Whether live frames belong to the window: presets always end now; a custom window only when its end is no
 * more than a minute before now (a past window must not follow live ticks).
 */
export function windowReachesNow(window: TimeWindow, now: Date): boolean {
  return window.range !== "custom" || window.to.getTime() >= now.getTime() - 60_000;
}

function explore(window: TimeWindow, extra: Record<string, string | string[]>): string {
  const q = EventQuerySchema.parse({
    range: window.range === "custom" ? "custom" : window.range,
    ...extra,
    ...(window.range === "custom" ? { from: window.from.toISOString(), to: window.to.toISOString() } : {}),
  });
  return "/events?" + toSearchParams(q).toString();
}

/** The page. */
export default function Overview({ data, url }: { data: Data; url: URL }): JSX.Element {
  const { stats, window } = data;
  const windowLabel = window.range === "custom" ? "custom window" : `last ${window.range}`;
  return (
    <>
      <div class="page-head">
        <h1>Overview</h1>
        <RangePicker url={url} current={window.range} window={window} />
      </div>
      <HotTierBanner error={data.hotError} />
      <ArchiveNote status={data.stats.archive} counted="counted in the totals and lists" />
      {data.byClass.archive?.state === data.stats.archive?.state
        ? null
        : <ArchiveNote status={data.byClass.archive} counted="in the charts" />}
      <NewestDataHint url={url} window={window} newestTs={data.newestTs} />
      <Island
        name="LiveKpis"
        component={LiveKpis}
        props={{
          eventsPerSec: stats.recentRate,
          openIncidents: data.openIncidents,
          openIncidentIds: data.openIncidentIds,
          live: data.live,
          criticalCount: stats.byClassification.CRITICAL_ANOMALY,
          total: stats.total,
          consumerLag: totalLag(data.pipeline),
          sinkHealth: sinkHealthOf(data.pipeline),
          windowLabel,
        }}
      />
      <div class="grid-2">
        <Island
          name="RateChart"
          component={RateChart}
          props={{
            title: "Event rate by classification",
            splitBy: "classification" as const,
            ...data.byClass,
            live: data.live,
          }}
        />
        <Island
          name="RateChart"
          component={RateChart}
          props={{
            title: "Event rate by level",
            splitBy: "level" as const,
            ...data.byLevel,
            live: data.live,
          }}
        />
      </div>
      <div class="grid-3">
        <section class="panel">
          <header class="panel-head">
            <h2>By component</h2>
          </header>
          <BarList items={stats.byComponent} href={(b) => explore(window, { component: b.key })} />
        </section>
        <section class="panel">
          <header class="panel-head">
            <h2>By level</h2>
          </header>
          <BarList items={stats.byLevel} tone="levels" href={(b) => explore(window, { level: [b.key] })} />
        </section>
        <section class="panel">
          <header class="panel-head">
            <h2>Top templates</h2> <a class="more" href="/templates">all templates →</a>
          </header>
          <BarList items={stats.topTemplates} href={(b) => explore(window, { templateId: b.key })} />
        </section>
      </div>
    </>
  );
}
