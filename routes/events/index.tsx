/** `/events` — Events explorer: filters (in the URL), full-text search, sortable paged results. */
import type { JSX } from "preact";
import { HistogramBars } from "../../lib/web/components/histogram_bars.tsx";
import { EventTable } from "../../lib/web/components/event_table.tsx";
import { formatCount } from "../../lib/web/components/format.ts";
import { HotTierBanner, withHotTier } from "../../lib/web/components/hot_tier_banner.tsx";
import { NewestDataHint } from "../../lib/web/components/newest_data_hint.tsx";
import { resolveTimeWindow, type TimeWindow } from "../../lib/web/time_window.ts";
import { type EventQuery, parseEventQuery, toSearchParams } from "../../lib/web/event_query.ts";
import { Island } from "../../lib/web/island.tsx";
import type { RouteContext } from "../../lib/web/route_module.ts";
import { searchEventsWithArchive, type TieredEventPage } from "../../lib/web/search_with_archive.ts";
import { ArchiveNote } from "../../lib/web/components/archive_note.tsx";
import EventFilters from "../../islands/EventFilters.tsx";

interface Data {
  query: EventQuery;
  page: TieredEventPage;
  window: TimeWindow;
  /** Newest event time in the hot tier, looked up only when nothing matched. */
  newestTs?: string;
  hotError?: string;
}

/** Page title. */
export const title = "Events";

/** Validates the URL's filters (400 on bad input) and runs the search. */
export async function load(ctx: RouteContext): Promise<Data> {
  const query = parseEventQuery(ctx.url.searchParams);
  const now = ctx.deps.now();
  const result = await withHotTier(() => searchEventsWithArchive(ctx.deps.hot, query, now, ctx.deps.archive));
  const window = resolveTimeWindow(query.range, now, {
    from: query.from ? new Date(query.from) : undefined,
    to: query.to ? new Date(query.to) : undefined,
  });
  const newestTs = result.value?.total === 0
    ? (await withHotTier(() => ctx.deps.hot.newestEventTs())).value
    : undefined;
  return {
    query,
    page: result.value ?? { total: 0, hits: [], tookMs: 0 },
    window,
    newestTs,
    hotError: result.error,
  };
}

function link(query: EventQuery, overrides: Partial<EventQuery>): string {
  const qs = toSearchParams(query, overrides).toString();
  return "/events" + (qs ? "?" + qs : "");
}

/** The page. */
export default function Events({ data, url }: { data: Data; url: URL }): JSX.Element {
  const { query, page } = data;
  const first = page.total === 0 ? 0 : (query.page - 1) * query.size + 1;
  const last = (query.page - 1) * query.size + page.hits.length;
  const lastPage = Math.max(1, Math.min(Math.ceil(page.total / query.size), Math.floor(10_000 / query.size)));
  return (
    <>
      <div class="page-head">
        <h1>Events</h1>
        <span class="muted" data-total={page.total}>
          {formatCount(page.total)} matching · {page.tookMs} ms
        </span>
      </div>
      <HotTierBanner error={data.hotError} />
      <ArchiveNote status={page.archive} />
      <NewestDataHint url={url} window={data.window} newestTs={data.newestTs} />
      <Island name="EventFilters" component={EventFilters} props={{ query }} />
      <section class="panel">
        <header class="panel-head">
          <span class="muted">{first}–{last} of {formatCount(page.total)}</span>
          <span class="sorts">
            sort:{" "}
            <a
              href={link(query, { sort: "time", page: 1 })}
              class={query.sort === "time" ? "active" : undefined}
            >
              time
            </a>
            {" · "}
            <a
              href={link(query, { sort: "score", page: 1 })}
              class={query.sort === "score" ? "active" : undefined}
            >
              score
            </a>
            {" · "}
            <a href={link(query, { order: query.order === "desc" ? "asc" : "desc", page: 1 })}>
              {query.order === "desc" ? "↓ desc" : "↑ asc"}
            </a>
          </span>
        </header>
        {page.histogram
          ? (
            <HistogramBars
              {...page.histogram}
              href={(from, to) =>
                link(query, {
                  range: "custom",
                  from: new Date(from * 1000).toISOString(),
                  to: new Date(to * 1000).toISOString(),
                  page: 1,
                })}
            />
          )
          : null}
        <EventTable events={page.hits} empty="No events match these filters in this time range." />
        <nav class="pager" aria-label="Pages">
          {query.page > 1 ? <a href={link(query, { page: query.page - 1 })} rel="prev">← newer</a> : <span />}
          <span class="muted">page {query.page} of {lastPage}</span>
          {query.page < lastPage
            ? <a href={link(query, { page: query.page + 1 })} rel="next">older →</a>
            : <span />}
        </nav>
      </section>
    </>
  );
}
