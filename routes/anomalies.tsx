/** `/anomalies` — live feed of flagged events with acknowledge / mute / label, plus active mutes. */
import type { JSX } from "preact";
import { HotTierBanner, withHotTier } from "../lib/web/components/hot_tier_banner.tsx";
import { formatTime } from "../lib/web/components/format.ts";
import { RangePicker } from "../lib/web/components/range_picker.tsx";
import { Island } from "../lib/web/island.tsx";
import type { RouteContext } from "../lib/web/route_module.ts";
import type { TimeWindow } from "../lib/web/time_window.ts";
import { parseWindowQuery } from "../lib/web/window_query.ts";
import AlertFeed, { type AlertItem } from "../islands/AlertFeed.tsx";

interface Data {
  window: TimeWindow;
  alerts: AlertItem[];
  mutes: { templateId: string; until: string }[];
  hotError?: string;
}

/** Page title. */
export const title = "Anomalies";

/** Seeds the feed with recent flagged events from the hot tier (muted templates left out). */
export async function load(ctx: RouteContext): Promise<Data> {
  const { window } = parseWindowQuery(ctx.url.searchParams, ctx.deps.now(), "24h");
  const { alerts } = ctx.deps;
  const result = await withHotTier(() => ctx.deps.hot.recentAlerts(window, 100));
  const items: AlertItem[] = (result.value ?? [])
    .filter((e) => !alerts.isMuted(e.templateId))
    .map((e) => ({
      eventId: e.id,
      docId: e.docId,
      ts: e.ts,
      host: e.host,
      component: e.component,
      level: e.level,
      classification: e.classification === "CRITICAL_ANOMALY" ? "CRITICAL_ANOMALY" : "ANOMALY",
      score: e.score,
      reasons: e.reasons,
      content: e.content.length > 2000 ? e.content.slice(0, 2000) + "…" : e.content,
      templateId: e.templateId,
      template: e.template,
      modelVersion: e.modelVersion,
      acknowledged: alerts.isAcknowledged(e.id),
    }));
  return { window, alerts: items, mutes: alerts.mutes(), hotError: result.error };
}

/** The page. */
export default function Anomalies({ data, url }: { data: Data; url: URL }): JSX.Element {
  return (
    <>
      <div class="page-head">
        <h1>Anomalies &amp; alerts</h1>
        <RangePicker url={url} current={data.window.range} presets={["1h", "6h", "24h", "7d", "30d"]} />
      </div>
      <HotTierBanner error={data.hotError} />
      {data.mutes.length > 0
        ? (
          <section class="panel mutes">
            <header class="panel-head">
              <h2>Muted templates</h2>
            </header>
            <ul>
              {data.mutes.map((m) => (
                <li class="mono">
                  <a href={`/events?templateId=${encodeURIComponent(m.templateId)}`}>{m.templateId}</a>{" "}
                  <span class="muted">until {formatTime(m.until)} UTC</span>
                </li>
              ))}
            </ul>
          </section>
        )
        : null}
      <Island name="AlertFeed" component={AlertFeed} props={{ initial: data.alerts }} />
    </>
  );
}
