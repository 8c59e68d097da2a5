import assert from "node:assert/strict";
import { buildEventSearch, buildNeighbours } from "./build_event_search.ts";
import { buildOverviewAggs, buildTemplateAggs, buildTimeSeries } from "./build_aggregations.ts";
import { parseEventQuery, toSearchParams } from "./event_query.ts";
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
            fields: ["content", "content.parts", "raw", "template"],
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

Deno.test("buildNeighbours looks strictly one way in (ts, lineNo) on the same host and source, one row per line", () => {
  const anchor = {
    host: "h1",
    source: "/logs/a.log",
    ts: "2026-11-29T03:30:00Z",
    lineNo: 7,
    id: "e7",
    docId: "d1",
  };
  assert.deepEqual(buildNeighbours(anchor, "before", 5), {
    query: {
      bool: {
        filter: [
          { term: { host: "h1" } },
          { term: { source: "/logs/a.log" } },
          {
            bool: {
              should: [
                { range: { ts: { lt: "2026-11-29T03:30:00Z" } } },
                {
                  bool: {
                    filter: [{ term: { ts: "2026-11-29T03:30:00Z" } }, { range: { lineNo: { lt: 7 } } }],
                  },
                },
              ],
              minimum_should_match: 1,
            },
          },
        ],
        must_not: [{ ids: { values: ["d1"] } }, { term: { id: "e7" } }],
      },
    },
    collapse: { field: "id" },
    sort: [{ ts: { order: "desc" } }, { lineNo: { order: "desc" } }],
    size: 5,
  });
  const after = JSON.stringify(buildNeighbours(anchor, "after", 5));
  assert.ok(after.includes('{"range":{"ts":{"gt":"2026-11-29T03:30:00Z"}}}'));
  assert.ok(after.includes('{"range":{"lineNo":{"gt":7}}}'));
});

Deno.test("buildEventSearch filters by system and source", () => {
  const q = parseEventQuery(new URLSearchParams("system=openssh&source=%2Flogs%2FOpenSSH_2k.log"));
  const filter = (buildEventSearch(q, window).query as { bool: { filter: unknown[] } }).bool.filter;
  assert.deepEqual(filter.slice(1), [
    { term: { system: "openssh" } },
    { term: { source: "/logs/OpenSSH_2k.log" } },
  ]);
  assert.equal(toSearchParams(q).toString(), "system=openssh&source=%2Flogs%2FOpenSSH_2k.log");
});

Deno.test("buildTemplateAggs narrows to a system / source and asks each template's systems", () => {
  const body = buildTemplateAggs(window, 15, 24, { system: "linux", source: "s1" }) as {
    query: { bool: { filter: unknown[] } };
    aggs: { top: { aggs: Record<string, unknown> } };
  };
  assert.deepEqual(body.query.bool.filter.slice(1), [
    { term: { system: "linux" } },
    { term: { source: "s1" } },
  ]);
  assert.deepEqual(body.aggs.top.aggs.systems, { terms: { field: "system", size: 3 } });
  assert.equal((buildTemplateAggs(window, 15) as typeof body).query.bool.filter.length, 1);
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
