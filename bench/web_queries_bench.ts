/**
 * Dashboard query latency on the real hot tier (`deno task stack up`): explorer and overview queries over
 * VIGIL_BENCH_EVENTS events (default 1,000,000) spread over one day, against a baseline `size: 0` count on
 * the same indices measured in the same run. Target (issue 7): p95 ≤ 300 ms for explorer and overview queries.
 *
 * The corpus is seeded under the run's own bench namespace (`testing/test_namespace.ts`) and removed when the
 * run ends (a killed run's corpus goes with the next `deno task test` sweep): each run seeds it again.
 *
 * Run: `deno bench -A bench/web_queries_bench.ts`
 *
 * @module
 */
import { testNamespace } from "../testing/test_namespace.ts";
import { dropOnExit } from "../testing/drop_test_namespace.ts";
import { indexTemplates } from "../actors/hot_sink/index_templates.ts";
import { CLASSIFICATIONS, LEVELS } from "../lib/event/log_event.ts";
import { parseEventQuery } from "../lib/web/event_query.ts";
import { dailyIndex } from "../lib/web/hot_tier_indices.ts";
import { OpenSearchQueryService, openSearchTransport } from "../lib/web/opensearch_query_service.ts";
import type { TimeWindow } from "../lib/web/time_window.ts";

const URL_ = Deno.env.get("VIGIL_HOT_URL") ?? "http://127.0.0.1:9200";
const EVENTS = Number(Deno.env.get("VIGIL_BENCH_EVENTS") ?? 1_000_000);
const NAMESPACE = testNamespace("queries", "bench");
dropOnExit(NAMESPACE);
const PREFIX = NAMESPACE.indexPrefix;
const DAY_START = Date.UTC(2026, 10, 28);
const DAY_MS = 86_400_000;

async function call(method: string, path: string, body?: string, type = "application/json") {
  const res = await fetch(URL_ + path, { method, body, headers: { "content-type": type } });
  const text = await res.text();
  if (!res.ok && res.status !== 404) {
    throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
  }
  return res.status === 404 ? {} : JSON.parse(text);
}

/** Deterministic PRNG (mulberry32), so every run seeds the same corpus. */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function seed(): Promise<void> {
  const count = (await call("GET", `/${PREFIX}-events-*/_count?ignore_unavailable=true`)).count ?? 0;
  if (count === EVENTS) return;
  await call("DELETE", `/${PREFIX}-*?ignore_unavailable=true`);
  for (const t of indexTemplates(PREFIX)) {
    await call("PUT", `/_index_template/${t.name}`, JSON.stringify(t.body));
  }
  const rand = prng(42);
  const words = [
    "block",
    "replica",
    "packet",
    "lease",
    "socket",
    "heartbeat",
    "checkpoint",
    "volume",
    "disk",
    "quota",
  ];
  const started = performance.now();
  const chunk = 10_000;
  for (let start = 0; start < EVENTS; start += chunk) {
    const lines: string[] = [];
    for (let i = start; i < Math.min(EVENTS, start + chunk); i++) {
      const r = rand();
      const classification = r < 0.002
        ? CLASSIFICATIONS[2]
        : r < 0.02
        ? CLASSIFICATIONS[1]
        : CLASSIFICATIONS[0];
      const template = Math.floor(Math.pow(rand(), 3) * 300); // Zipf-like: a few templates dominate
      const ts = new Date(DAY_START + Math.floor((i / EVENTS) * DAY_MS)).toISOString();
      const w = words[template % words.length];
      const content = `${w} blk_${Math.floor(rand() * 1e9)} from 10.0.${template % 256}.${
        i % 256
      } status ${template}`;
      const doc = {
        v: 1,
        id: `bench-${i}`,
        ts,
        ingestTs: ts,
        host: `node-${Math.floor(rand() * 50)}`,
        source: "synthetic:bench",
        system: "hdfs",
        level: classification === "NORMAL"
          ? LEVELS[2 + Math.floor(rand() * 3)]
          : LEVELS[5 + Math.floor(rand() * 2)],
        component: `dfs.Component${template % 30}`,
        content,
        fields: { Pid: String(i % 5000) },
        lineNo: i + 1,
        raw: `081109 ${ts} INFO ${content}`,
        flags: [],
        templateId: `tpl-${template}`,
        template: `${w} <*> from <*> status ${template}`,
        params: [],
        classification,
        score: classification === "NORMAL" ? rand() * 0.3 : 0.6 + rand() * 0.4,
        reasons: classification === "NORMAL" ? [] : ["rare template"],
        modelVersion: "bench",
        kafka: { topic: "vigil.events", partition: i % 4, offset: String(i) },
      };
      lines.push(
        JSON.stringify({
          index: { _index: dailyIndex(PREFIX, ts), _id: `vigil.events-${i % 4}-${i}` },
        }),
      );
      lines.push(JSON.stringify(doc));
    }
    const res = await call("POST", "/_bulk", lines.join("\n") + "\n", "application/x-ndjson");
    if (res.errors) throw new Error("bulk item errors while seeding");
  }
  await call("POST", `/${PREFIX}-events-*/_refresh`);
  await call("POST", `/${PREFIX}-events-*/_forcemerge?max_num_segments=1`);
  console.log(`seeded ${EVENTS} events in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

await seed();
const transport = openSearchTransport(URL_);
const hot = new OpenSearchQueryService({
  indexPrefix: PREFIX,
  transport,
  now: () => new Date(DAY_START + DAY_MS), // "now" is the end of the seeded day
});
const lastHour: TimeWindow = {
  from: new Date(DAY_START + DAY_MS - 3_600_000),
  to: new Date(DAY_START + DAY_MS),
  range: "1h",
};
const lastDay: TimeWindow = { from: new Date(DAY_START), to: new Date(DAY_START + DAY_MS), range: "24h" };
const q = (qs: string) => parseEventQuery(new URLSearchParams(qs));
const opts = { n: 60, warmup: 5 };

Deno.bench({
  name: "baseline: count in 24h (size 0)",
  group: "hot",
  baseline: true,
  ...opts,
  fn: async () => {
    await transport(`${PREFIX}-events-*`, {
      size: 0,
      query: { range: { ts: { gte: lastDay.from.toISOString() } } },
    });
  },
});
Deno.bench({
  name: "explorer: last 24h, newest 50",
  group: "hot",
  ...opts,
  fn: async () => {
    await hot.searchEvents(q("range=24h"));
  },
});
Deno.bench({
  name: "explorer: anomalies, level error, sort score",
  group: "hot",
  ...opts,
  fn: async () => {
    await hot.searchEvents(
      q("range=24h&classification=ANOMALY&classification=CRITICAL_ANOMALY&level=error&sort=score"),
    );
  },
});
Deno.bench({
  name: "explorer: full text 'disk -quota' + host, page 5",
  group: "hot",
  ...opts,
  fn: async () => {
    await hot.searchEvents(q("range=24h&q=disk%20-quota&host=node-7&page=5"));
  },
});
Deno.bench({
  name: "overview: KPIs + distributions (24h)",
  group: "hot",
  ...opts,
  fn: async () => {
    await hot.overview(lastDay);
  },
});
Deno.bench({
  name: "overview: rate by classification (24h, 5 min buckets)",
  group: "hot",
  ...opts,
  fn: async () => {
    await hot.timeSeries(lastDay, "classification");
  },
});
Deno.bench({
  name: "overview: rate by level (1h, 15 s buckets)",
  group: "hot",
  ...opts,
  fn: async () => {
    await hot.timeSeries(lastHour, "level");
  },
});
Deno.bench({
  name: "templates: top/newest/rarest + sparklines (24h)",
  group: "hot",
  ...opts,
  fn: async () => {
    await hot.templates(lastDay, 15);
  },
});
