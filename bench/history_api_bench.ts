/**
 * The dashboard's history from the cold tier, timed through its API (issue 17): VIGIL_BENCH_EVENTS synthetic
 * events (default 1,000,000) over the 3 days before the hot window (10 to 7 days ago) are written into the cold
 * tier by the product's cold writer (`ColdSink.write`), and VIGIL_BENCH_HOT_EVENTS (default 20,000) over the last
 * 2 days into the hot tier by the hot writer (`HotSink.write`). Then, in the same run, through `/api/events` and
 * `/api/timeseries` of the real web app (real OpenSearch, real S3):
 *
 * - a range inside the hot window (the last day: hot only) vs one spanning both tiers (10 days), the spanning one with a new
 *   cold reader (empty local cache) and then warm (median of 5);
 * - unfiltered and filtered (one level, one component) explorer pages of 50, and the Overview chart.
 *
 * Everything lives under a bench namespace and is deleted at the end, also when the run fails.
 *
 * Run: `deno run -A bench/history_api_bench.ts` (VIGIL_BENCH_EVENTS=100000 for a quick look)
 *
 * @module
 */
import { ColdSink } from "../actors/cold_sink/sink.ts";
import { coldSinkOptionsFromConfig } from "../actors/cold_sink/config.ts";
import { S3ColdService } from "../actors/cold_sink/service.ts";
import { HotSink } from "../actors/hot_sink/sink.ts";
import { hotSinkOptionsFromConfig } from "../actors/hot_sink/config.ts";
import { ColdQueryReader } from "../actors/cold_query/cold_query.ts";
import { ColdArchiveReader } from "../actors/cold_query/cold_archive_reader.ts";
import type { DeliveryRecord } from "../actors/delivery_record.ts";
import { parseConfig } from "../lib/config/vigil_config.ts";
import type { Level } from "../lib/event/log_event.ts";
import { createWebApp } from "../lib/web/create_web_app.tsx";
import { LiveHub } from "../lib/web/live_hub.ts";
import { ROUTES } from "../routes/_manifest.ts";
import { OpenSearchQueryService } from "../lib/web/opensearch_query_service.ts";
import { classifiedEvent, CollectingDeadLetters } from "../testing/delivery_fixtures.ts";
import { dropTestNamespace, ensureTestBucket } from "../testing/drop_test_namespace.ts";
import { namespaceSettings, testNamespace } from "../testing/test_namespace.ts";
import { silentLogger } from "../engine/logger.ts";
import { SeededRandom } from "../lib/producer/seeded_random.ts";

const EVENTS = Number(Deno.env.get("VIGIL_BENCH_EVENTS") ?? 1_000_000);
const HOT_EVENTS = Number(Deno.env.get("VIGIL_BENCH_HOT_EVENTS") ?? 20_000);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = new Date(Math.floor(Date.now() / HOUR) * HOUR);
const COLD_HOURS = 72;
const COMPONENTS = Array.from({ length: 40 }, (_, i) => `svc-${String(i).padStart(2, "0")}`);
const LEVELS: Level[] = ["info", "info", "info", "info", "info", "info", "info", "warn", "error", "debug"];

/** `count` events spread over `[start, start + spanMs)`, offsets from `firstOffset`. */
function events(count: number, start: number, spanMs: number, firstOffset: number, seed: number) {
  const rng = new SeededRandom(seed);
  const random = () => rng.next();
  const out: DeliveryRecord[] = [];
  for (let i = 0; i < count; i++) {
    const ts = new Date(start + Math.floor((i / count) * spanMs)).toISOString();
    const level = LEVELS[Math.floor(random() * LEVELS.length)];
    const component = COMPONENTS[Math.floor(COMPONENTS.length * random() ** 2)];
    const offset = firstOffset + i;
    out.push({
      kafka: { topic: "vigil.bench", partition: 0, offset: String(offset) },
      event: classifiedEvent(offset, {
        id: `hb:${offset}`,
        ts,
        ingestTs: ts,
        level,
        component,
        host: `node-${offset % 50}`,
        content: `${level === "info" ? "request ok" : "request failed"} for id ${offset % 99_991}`,
        classification: level === "error" && random() < 0.3 ? "ANOMALY" : "NORMAL",
      }),
    });
  }
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const ns = testNamespace("historyapi", "bench");
const config = parseConfig({ ...namespaceSettings(ns) }, Deno.env.toObject());
try {
  await ensureTestBucket();
  const cold = new ColdSink({
    ...coldSinkOptionsFromConfig(config),
    offsetWindow: 1_000_000_000,
    logger: silentLogger,
  });
  const hot = new HotSink({ ...hotSinkOptionsFromConfig(config), deadLetters: new CollectingDeadLetters() });
  const written = performance.now();
  try {
    await cold.start();
    await hot.start();
    const coldStart = NOW.getTime() - 10 * DAY;
    const perHour = Math.ceil(EVENTS / COLD_HOURS);
    for (let h = 0; h < COLD_HOURS; h++) {
      const n = Math.min(perHour, EVENTS - h * perHour);
      if (n <= 0) break;
      await cold.write(events(n, coldStart + h * HOUR, HOUR, h * perHour, 1_000 + h));
    }
    const hotRecords = events(HOT_EVENTS, NOW.getTime() - 2 * DAY, 2 * DAY, 100_000_000, 7);
    for (let i = 0; i < hotRecords.length; i += 2_000) await hot.write(hotRecords.slice(i, i + 2_000));
    await fetch(`${config.hot.url}/${ns.indexPrefix}-events-*/_refresh`, { method: "POST" }).then((r) =>
      r.body?.cancel()
    );
  } finally {
    await cold.close();
    await hot.close();
  }
  console.log(
    `# History API bench (${
      new Date().toISOString().slice(0, 10)
    })\n\ncorpus: ${EVENTS} events in the cold tier ` +
      `(10 to 7 days ago, ColdSink.write), ${HOT_EVENTS} in the hot tier (last 2 days, HotSink.write), written in ` +
      `${((performance.now() - written) / 1000).toFixed(0)} s\n`,
  );

  const store = new S3ColdService({ ...cold.config });
  const dashboard = () =>
    createWebApp({
      routes: ROUTES,
      hot: new OpenSearchQueryService({ url: config.hot.url, indexPrefix: ns.indexPrefix, now: () => NOW }),
      archive: {
        reader: new ColdArchiveReader(new ColdQueryReader(store, { prefix: ns.s3Prefix })),
        hotWindowMs: 7 * DAY,
        timeoutMs: 60_000,
      },
      live: new LiveHub(),
      now: () => NOW,
    });
  const iso = (ms: number) => new Date(ms).toISOString();
  // Inside the hot window: it starts at the hot tier's oldest day (2 days ago, rounded down to midnight).
  const inside = `range=custom&from=${iso(NOW.getTime() - 1 * DAY)}&to=${iso(NOW.getTime())}`;
  const span = `range=custom&from=${iso(NOW.getTime() - 10 * DAY)}&to=${iso(NOW.getTime())}`;
  const queries: [string, string][] = [
    ["/api/events", "size=50"],
    ["/api/events", `size=50&level=error&component=${COMPONENTS[7]}`],
    ["/api/timeseries", "splitBy=classification"],
  ];
  console.log(
    "| query | hot window only (median of 5) | spanning, cold cache | spanning, warm (median of 5) | archive part |",
  );
  console.log("| --- | ---: | ---: | ---: | --- |");
  for (const [path, qs] of queries) {
    const web = dashboard(); // a new cold reader: empty local cache
    const time = async (range: string) => {
      const t = performance.now();
      const res = await web.fetch(new Request(`http://127.0.0.1${path}?${range}&${qs}`));
      const body = await res.json();
      if (res.status !== 200) throw new Error(`${path}?${qs}: ${res.status} ${JSON.stringify(body)}`);
      return { ms: performance.now() - t, body };
    };
    const hotOnly: number[] = [];
    for (let i = 0; i < 5; i++) hotOnly.push((await time(inside)).ms);
    const first = await time(span);
    const warm: number[] = [];
    for (let i = 0; i < 5; i++) warm.push((await time(span)).ms);
    const a = first.body.archive;
    console.log(
      `| \`${path}?${qs}\` | ${median(hotOnly).toFixed(0)} ms | ${first.ms.toFixed(0)} ms | ${
        median(warm).toFixed(0)
      } ms | ${a?.state}, ${a?.total ?? "?"} archived events matched${
        first.body.total === undefined ? "" : `, total ${first.body.total}`
      } |`,
    );
  }
  store.close();
} finally {
  await dropTestNamespace(ns);
}
