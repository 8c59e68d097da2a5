/**
 * `/templates` — top, newest and rarest templates in a window (default the last hour), with counts, sparklines and
 * the log systems they come from; `?system=` and `?source=` narrow every list to one system / file or stream.
 */
import type { JSX } from "preact";
import { z } from "zod";
import { formatCount, formatTime } from "../lib/web/components/format.ts";
import { HotTierBanner, withHotTier } from "../lib/web/components/hot_tier_banner.tsx";
import { RangePicker } from "../lib/web/components/range_picker.tsx";
import { Sparkline } from "../lib/web/components/sparkline.tsx";
import type { RouteContext } from "../lib/web/route_module.ts";
import type { TimeWindow } from "../lib/web/time_window.ts";
import type { SourceFilter, TemplateStat } from "../lib/web/web_deps.ts";
import { templatesWithArchive, type TieredTemplateStats } from "../lib/web/templates_with_archive.ts";
import { ArchiveNote } from "../lib/web/components/archive_note.tsx";
import { parseWindowQuery } from "../lib/web/window_query.ts";

interface Data {
  window: TimeWindow;
  filter: SourceFilter;
  stats: TieredTemplateStats;
  hotError?: string;
}

/** Page title. */
export const title = "Templates";

const optionalText = (max: number) =>
  z.string().trim().max(max, `must be at most ${max} characters`).optional().transform((s) => s || undefined);

/** Loads template aggregates, with the archive's (cold tier's) part before the hot window. */
export async function load(ctx: RouteContext): Promise<Data> {
  const now = ctx.deps.now();
  const { window, params } = parseWindowQuery(ctx.url.searchParams, now, "1h", {
    system: optionalText(128),
    source: optionalText(4096),
  });
  const filter: SourceFilter = { system: params.system, source: params.source };
  const result = await withHotTier(() =>
    templatesWithArchive(ctx.deps.hot, window, 15, filter, now, ctx.deps.archive)
  );
  return {
    window,
    filter,
    stats: result.value ?? { top: [], newest: [], rarest: [] },
    hotError: result.error,
  };
}

/** The explorer URL of one template's events, with the page's system / source filter. */
function eventsHref(templateId: string, range: string, filter: SourceFilter): string {
  const qs = new URLSearchParams({ range, templateId });
  if (filter.system) qs.set("system", filter.system);
  if (filter.source) qs.set("source", filter.source);
  return `/events?${qs}`;
}

function TemplateTable(
  { items, range, filter, showFirst }: {
    items: TemplateStat[];
    range: string;
    filter: SourceFilter;
    showFirst?: boolean;
  },
) {
  if (items.length === 0) return <p class="muted empty">No templates in this window.</p>;
  return (
    <div class="table-wrap">
      <table class="dense templates">
        <thead>
          <tr>
            <th scope="col" class="num">Count</th>
            <th scope="col">Trend</th>
            <th scope="col">System</th>
            <th scope="col">{showFirst ? "First seen (UTC)" : "Last seen (UTC)"}</th>
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
              <td class="mono nowrap">{t.systems?.length ? t.systems.join(", ") : "–"}</td>
              <td class="mono nowrap muted">
                {formatTime((showFirst ? t.firstSeen : t.lastSeen) ?? "").slice(0, 19)}
              </td>
              <td class="mono msg">
                <a href={eventsHref(t.templateId, range, filter)} title={t.templateId}>
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

/** The system / source filter: a GET form keeping the time range. */
function SourceFilterForm({ url, filter }: { url: URL; filter: SourceFilter }): JSX.Element {
  const kept = [...url.searchParams].filter(([k]) => ["range", "from", "to"].includes(k));
  return (
    <form class="filters panel" method="get" action="/templates" role="search">
      <div class="filter-row">
        {kept.map(([k, v], i) => <input key={i} type="hidden" name={k} value={v} />)}
        <input
          type="text"
          name="system"
          value={filter.system ?? ""}
          placeholder="system (e.g. openssh)"
          aria-label="System"
          maxLength={128}
        />
        <input
          type="text"
          name="source"
          value={filter.source ?? ""}
          placeholder="source (file or stream)"
          aria-label="Source"
          maxLength={4096}
        />
        <button type="submit" class="primary">Apply</button>
        <a class="reset" href="/templates">reset</a>
      </div>
    </form>
  );
}

/** The page. */
export default function Templates({ data, url }: { data: Data; url: URL }): JSX.Element {
  const range = data.window.range === "custom" ? "24h" : data.window.range;
  const { filter } = data;
  return (
    <>
      <div class="page-head">
        <h1>Templates</h1>
        <RangePicker url={url} current={data.window.range} window={data.window} />
      </div>
      <HotTierBanner error={data.hotError} />
      <ArchiveNote status={data.stats.archive} counted="counted in the lists" />
      <SourceFilterForm url={url} filter={filter} />
      <section class="panel">
        <header class="panel-head">
          <h2>Most frequent</h2>
        </header>
        <TemplateTable items={data.stats.top} range={range} filter={filter} />
      </section>
      <div class="grid-2">
        <section class="panel">
          <header class="panel-head">
            <h2>Newly seen</h2>
          </header>
          <TemplateTable items={data.stats.newest} range={range} filter={filter} showFirst />
        </section>
        <section class="panel">
          <header class="panel-head">
            <h2>Rarest</h2>
          </header>
          <TemplateTable items={data.stats.rarest} range={range} filter={filter} />
        </section>
      </div>
    </>
  );
}
