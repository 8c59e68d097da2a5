/** `/anomalies` — the incident feed: one card per incident, live, with the operator's actions. */
import type { JSX } from "preact";
import { HotTierBanner, withHotTier } from "../lib/web/components/hot_tier_banner.tsx";
import { NewestDataHint } from "../lib/web/components/newest_data_hint.tsx";
import { RangePicker } from "../lib/web/components/range_picker.tsx";
import { Island } from "../lib/web/island.tsx";
import { toIncidentFrame } from "../lib/web/live_aggregator.ts";
import type { RouteContext } from "../lib/web/route_module.ts";
import type { TimeWindow } from "../lib/web/time_window.ts";
import { parseWindowQuery } from "../lib/web/window_query.ts";
import { compareIncidents, type Incident } from "../lib/incidents/incident.ts";
import IncidentFeed from "../islands/IncidentFeed.tsx";
import { type IncidentSuppression, suppressionsByIncident } from "../lib/web/incident_suppressions.ts";

interface Data {
  window: TimeWindow;
  incidents: Incident[];
  canAct: boolean;
  /** The engine's suppressions in force, by incident id (for "muted until …"). */
  suppressions: Record<string, IncidentSuppression>;
  /** Newest event time in the hot tier, looked up only when the window has no incident. */
  newestTs?: string;
  hotError?: string;
}

/** Page title. */
export const title = "Incidents";

/**
 * Merges the hot tier's incidents with those the engine holds (an action's result or a change not yet
 * refreshed in the hot tier): per id the higher version wins.
 */
export function mergeIncidents(stored: Incident[], held: Incident[]): Incident[] {
  const byId = new Map(stored.map((i) => [i.id, i]));
  for (const i of held) {
    const s = byId.get(i.id);
    if (!s || i.version > s.version) byId.set(i.id, i);
  }
  return [...byId.values()];
}

/** Seeds the feed from the hot tier and the engine's in-memory incidents. */
export async function load(ctx: RouteContext): Promise<Data> {
  const { window } = parseWindowQuery(ctx.url.searchParams, ctx.deps.now(), "24h");
  const control = ctx.deps.incidentControl;
  const result = await withHotTier(() => ctx.deps.hot.incidents(window, { size: 200 }));
  const held = (control?.incidents() ?? []).filter((i) =>
    Date.parse(i.firstTs) <= window.to.getTime() && Date.parse(i.lastTs) >= window.from.getTime()
  );
  // Samples clipped like live frames: island props are sent to the browser whole.
  const incidents = mergeIncidents(result.value ?? [], held)
    .sort(compareIncidents)
    .map((i) => toIncidentFrame(i).incident);
  const newestTs = result.value && incidents.length === 0
    ? (await withHotTier(() => ctx.deps.hot.newestEventTs())).value
    : undefined;
  const suppressions = control
    ? suppressionsByIncident(control.suppressions(), ctx.deps.now().getTime())
    : {};
  return {
    window,
    incidents,
    canAct: control !== undefined,
    suppressions,
    newestTs,
    hotError: result.error,
  };
}

/** The page. */
export default function Anomalies({ data, url }: { data: Data; url: URL }): JSX.Element {
  return (
    <>
      <div class="page-head">
        <h1>Incidents</h1>
        <a class="more" href="/suppressions">suppressions →</a>
        <RangePicker
          url={url}
          current={data.window.range}
          presets={["1h", "6h", "24h", "7d", "30d"]}
          window={data.window}
        />
      </div>
      <HotTierBanner error={data.hotError} />
      <NewestDataHint url={url} window={data.window} newestTs={data.newestTs} />
      <Island
        name="IncidentFeed"
        component={IncidentFeed}
        props={{ initial: data.incidents, canAct: data.canAct, suppressions: data.suppressions }}
      />
    </>
  );
}
