/** `/templates` — top, newest and rarest templates in a window (default the last hour), with counts and sparklines. */
import type { JSX } from "preact";
import { formatCount, formatTime } from "../lib/web/components/format.ts";
import { HotTierBanner, withHotTier } from "../lib/web/components/hot_tier_banner.tsx";
import { RangePicker } from "../lib/web/components/range_picker.tsx";
import { Sparkline } from "../lib/web/components/sparkline.tsx";
import type { RouteContext } from "../lib/web/route_module.ts";
import type { TimeWindow } from "../lib/web/time_window.ts";
import type { TemplateStat, TemplateStats } from "../lib/web/web_deps.ts";
import { parseWindowQuery } from "../lib/web/window_query.ts";

interface Data {
  window: TimeWindow;
  stats: TemplateStats;
  hotError?: string;
}

/** Page title. */
export const title = "Templates";

/** Loads template aggregates. */
export async function load(ctx: RouteContext): Promise<Data> {
  const { window } = parseWindowQuery(ctx.url.searchParams, ctx.deps.now(), "1h");
  const result = await withHotTier(() => ctx.deps.hot.templates(window, 15));
  return { window, stats: result.value ?? { top: [], newest: [], rarest: [] }, hotError: result.error };
}

function TemplateTable(
  { items, range, showFirst }: { items: TemplateStat[]; range: string; showFirst?: boolean },
) {
  if (items.length === 0) return <p class="muted empty">No templates in this window.</p>;
  return (
    <div class="table-wrap">
      <table class="dense templates">
        <thead>
          <tr>
            <th scope="col" class="num">Count</th>
            <th scope="col">Trend</th>
            <th scope="col">{showFirst ? "First seen" : "Last seen"}</th>
            <th scope="col" class="msg-col">Template</th>
          </tr>
        </thead>
        <tbody>
          {items.map((t) => (
            <tr>
              <td class="num mono">{formatCount(t.count)}</td>
              <td>
                <Sparkline values={t.spark} />
              </td>
              <td class="mono nowrap muted">
                {formatTime((showFirst ? t.firstSeen : t.lastSeen) ?? "").slice(5, 19)}
              </td>
              <td class="mono msg">
                <a
                  href={`/events?range=${range}&templateId=${encodeURIComponent(t.templateId)}`}
                  title={t.templateId}
                >
                  {t.template || t.templateId}
                </a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The page. */
export default function Templates({ data, url }: { data: Data; url: URL }): JSX.Element {
  const range = data.window.range === "custom" ? "24h" : data.window.range;
  return (
    <>
      <div class="page-head">
        <h1>Templates</h1>
        <RangePicker url={url} current={data.window.range} window={data.window} />
      </div>
      <HotTierBanner error={data.hotError} />
      <section class="panel">
        <header class="panel-head">
          <h2>Most frequent</h2>
        </header>
        <TemplateTable items={data.stats.top} range={range} />
      </section>
      <div class="grid-2">
        <section class="panel">
          <header class="panel-head">
            <h2>Newly seen</h2>
          </header>
          <TemplateTable items={data.stats.newest} range={range} showFirst />
        </section>
        <section class="panel">
          <header class="panel-head">
            <h2>Rarest</h2>
          </header>
          <TemplateTable items={data.stats.rarest} range={range} />
        </section>
      </div>
    </>
  );
}
