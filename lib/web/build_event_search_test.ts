import assert from "node:assert/strict";
import { buildEventSearch, buildNeighbours } from "./build_event_search.ts";
import { buildOverviewAggs, buildTimeSeries } from "./build_aggregations.ts";
import { parseEventQuery } from "./event_query.ts";
import type { TimeWindow } from "./time_window.ts";

const window: TimeWindow = {
  from: new Date("2026-11-29T03:00:00Z"),
  to: new Date("2026-11-29T04:00:00Z"),
  range: "1h",
};

Deno.test("buildEventSearch builds structured filters, simple_query_string, sort and paging", () => {
  const q = parseEventQuery(
    new URLSearchParams(
      "classification=ANOMALY&level=error&component=dfs&host=h1&templateId=t9&q=disk -ok&page=2&size=20",
    ),
  );
  assert.deepEqual(buildEventSearch(q, window), {
    query: {
      bool: {
        filter: [
          {
            range: {
              ts: {
                gte: "2026-11-29T03:00:00.000Z",
                lte: "2026-11-29T04:00:00.000Z",
                format: "strict_date_optional_time",
              },
            },
          },
          { terms: { classification: ["ANOMALY"] } },
          { terms: { level: ["error"] } },
          { term: { component: "dfs" } },
          { term: { templateId: "t9" } },
          { term: { host: "h1" } },
        ],
        must: [{
          simple_query_string: {
            query: "disk -ok",
            fields: ["content", "raw", "template"],
            default_operator: "and",
            flags: "AND|OR|NOT|PHRASE|PREFIX|PRECEDENCE|WHITESPACE|ESCAPE",
            lenient: true,
          },
        }],
      },
    },
    sort: [{ ts: { order: "desc" } }, { lineNo: { order: "desc" } }],
    from: 20,
    size: 20,
    track_total_hits: true,
    aggs: {
      over_time: {
        date_histogram: {
          field: "ts",
          fixed_interval: "30s", // 3600 s / 30 s = 120 bars
          min_doc_count: 0,
          extended_bounds: { min: window.from.getTime(), max: window.to.getTime() },
        },
      },
    },
  });
});

Deno.test("user text never reaches query_string, whatever it contains", () => {
  const hostile = 'content:* OR _exists_:raw AND {"script": 1} </script> \u0000';
  const body = JSON.stringify(buildEventSearch(parseEventQuery(new URLSearchParams({ q: hostile })), window));
  assert.ok(!body.includes('"query_string"'));
  assert.ok(body.includes('"simple_query_string"'));
});

Deno.test("score sort breaks ties by time", () => {
  const q = parseEventQuery(new URLSearchParams("sort=score&order=asc"));
  assert.deepEqual(buildEventSearch(q, window).sort, [
    { score: { order: "asc" } },
    { ts: { order: "desc" } },
    { lineNo: { order: "desc" } },
  ]);
});

Deno.test("buildNeighbours looks one way in time on the same host and excludes the event itself", () => {
  assert.deepEqual(buildNeighbours("h1", "2026-11-29T03:30:00Z", "before", 5, "d1"), {
    query: {
      bool: {
        filter: [{ term: { host: "h1" } }, { range: { ts: { lte: "2026-11-29T03:30:00Z" } } }],
        must_not: [{ ids: { values: ["d1"] } }],
      },
    },
    sort: [{ ts: { order: "desc" } }, { lineNo: { order: "desc" } }],
    size: 5,
  });
});

Deno.test("time series picks a bucket that keeps ≤ 300 points and fills the window", () => {
  const agg =
    (buildTimeSeries(window, "level").aggs as Record<string, Record<string, Record<string, unknown>>>)
      .over_time.date_histogram;
  assert.equal(agg.fixed_interval, "15s"); // 3600 s / 15 s = 240 buckets
  assert.deepEqual(agg.extended_bounds, { min: window.from.getTime(), max: window.to.getTime() });
  const overview = buildOverviewAggs(window) as { size: number; aggs: Record<string, unknown> };
  assert.equal(overview.size, 0);
  assert.deepEqual(Object.keys(overview.aggs), [
    "by_classification",
    "by_level",
    "by_component",
    "top_templates",
    "last_minute",
  ]);
});
