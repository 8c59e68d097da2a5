/**
 * The Pipeline page and the Overview's lag tile tell the events waiting for the cold flush apart from the real
 * consumer lag, from the same figures as `start`'s status line (handler tests, no network).
 */
import assert from "node:assert/strict";
import { formatStatusLine, type StatusNumbers } from "../../cli/engine_status.ts";
import type { EngineSnapshot } from "../../engine/engine_snapshot.ts";
import { createWebApp } from "../../lib/web/create_web_app.tsx";
import { ROUTES } from "../../routes/_manifest.ts";
import { deliveryWait } from "../../lib/web/delivery_wait.ts";
import { enginePipelineProvider } from "../../lib/web/engine_pipeline_provider.ts";
import { LiveHub } from "../../lib/web/live_hub.ts";
import { buildIslandBundle } from "../../lib/web/island_bundler.ts";
import type { PipelineSnapshot } from "../../lib/web/pipeline_snapshot.ts";
import { MemoryHotTier } from "../../testing/memory_hot_tier.ts";

const bundle = buildIslandBundle({ minify: false });
const engine: EngineSnapshot = { at: Date.UTC(2026, 10, 29, 4, 0, 0), deadLetters: { total: 0 }, actors: [] };

/** A file of 2,002 lines delivered in seconds: consumed, in the hot tier, buffered for the cold flush. */
const replayed: StatusNumbers = {
  produced: { acked: 2002, linesRead: 2002, totalLines: 2002, done: true },
  consumed: 2002,
  inFlight: 2002,
  hotDelivered: 2002,
  hotHealthy: true,
  coldDelivered: 0,
  coldBuffered: 2002,
  coldHealthy: true,
  coldFlushInMs: 286_400,
  coldTimeoutMs: 300_000,
  kafkaLag: 2002,
  paused: false,
  stalled: [],
};

function app(figures: StatusNumbers) {
  const web = createWebApp({
    routes: ROUTES,
    hot: new MemoryHotTier([]),
    live: new LiveHub(),
    bundle,
    pipeline: enginePipelineProvider({
      engine: () => engine,
      kafkaLag: () => [{ topic: "vigil.events", partition: 0, lag: figures.kafkaLag ?? 0 }],
      delivery: () => deliveryWait(figures),
    }),
  });
  return (path: string) => web.fetch(new Request("http://vigil.test" + path));
}

/** The text of the element carrying `data-delivery="<key>"`. */
function figure(html: string, key: string): string {
  const m = html.match(new RegExp(`data-delivery="${key}"[^>]*>([^<]*)<`));
  assert.ok(m, `no data-delivery="${key}" on the page`);
  return m[1].trim();
}

Deno.test("Pipeline page: a replayed file waiting for the cold flush shows consumer lag 0, as the status line", async () => {
  const get = app(replayed);
  const html = await (await get("/pipeline")).text();
  assert.equal(figure(html, "consumer-lag"), "0");
  assert.equal(figure(html, "cold-waiting"), "2002");
  assert.equal(figure(html, "processing"), "0");
  assert.match(html, /next flush in ≤ 287 s/);
  assert.match(
    figure(html, "explained"),
    /^Waiting for the cold flush: 2,002 events, next flush in ≤ 287 s: /,
  );
  // The status line says the same of the same figures.
  const line = formatStatusLine(replayed);
  assert.match(line, /waiting for the cold flush: 2,002 events, next flush in ≤ 287 s/);
  assert.match(line, /consumer lag 0$/);
  // Kafka's raw per-partition lag is still shown, labelled for what it is.
  assert.match(html, /end − committed, including events waiting for the cold flush/);

  const api = (await (await get("/api/pipeline")).json()) as PipelineSnapshot;
  assert.deepEqual(api.delivery, {
    consumed: 2002,
    processing: 0,
    coldWaiting: 2002,
    coldFlushInS: 287,
    consumerLag: 0,
  });
  // The Overview's lag tile reads the consumer lag, not Kafka's 2,002.
  const overview = await (await get("/")).text();
  assert.match(overview, /&quot;consumerLag&quot;:0,/);
  assert.match(overview, /Consumer lag<\/span><span class="kpi-value ">0</);
});

Deno.test("Pipeline page: a real backlog is consumer lag; nothing buffered says so", async () => {
  const get = app({
    ...replayed,
    produced: undefined,
    consumed: 500,
    inFlight: 20,
    hotDelivered: 480,
    coldDelivered: 480,
    coldBuffered: 0,
    coldFlushInMs: undefined,
    kafkaLag: 15_020,
  });
  const html = await (await get("/pipeline")).text();
  assert.equal(figure(html, "consumer-lag"), "15.0k");
  assert.equal(figure(html, "cold-waiting"), "0");
  assert.equal(figure(html, "processing"), "20");
  assert.match(html, /nothing buffered/);
  assert.match(figure(html, "explained"), /^Every consumed event is in both tiers or on its way/);
});

Deno.test("Pipeline page: without an engine reporting delivery, no delivery panel", async () => {
  const web = createWebApp({ routes: ROUTES, hot: new MemoryHotTier([]), live: new LiveHub(), bundle });
  const html = await (await web.fetch(new Request("http://vigil.test/pipeline"))).text();
  assert.doesNotMatch(html, /data-delivery/);
});

Deno.test("Pipeline page: what holds delivery back comes first, as /health says it; nothing when healthy", async () => {
  const reason =
    "source paused: dead letters cannot be stored: the DLQ topic refuses them (max.message.bytes)";
  let reasons = [reason];
  const web = createWebApp({
    routes: ROUTES,
    hot: new MemoryHotTier([]),
    live: new LiveHub(),
    bundle,
    pipeline: enginePipelineProvider({ engine: () => engine, attention: () => reasons }),
  });
  const get = async (path: string) => await (await web.fetch(new Request("http://vigil.test" + path))).text();
  const html = await get("/pipeline");
  const banner = html.indexOf("data-attention");
  assert.ok(banner > 0, "the page names what holds delivery back");
  assert.ok(html.indexOf(reason, banner) > banner, "with the engine's own reason");
  assert.ok(banner < html.indexOf("<h2>Actors</h2>"), "before the actors");
  reasons = [];
  assert.equal((await get("/pipeline")).includes("data-attention"), false);
});
