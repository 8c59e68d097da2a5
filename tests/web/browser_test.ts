/**
 * End-to-end in Chromium (Debian `chromium`, driven by playwright-core): the dashboard served by `Deno.serve`
 * against the real OpenSearch with seeded documents and an in-process live hub. Saves screenshots of each page
 * to `.vigil/screenshots/`.
 *
 * Needs `/usr/bin/chromium` (`apt-get install -y chromium`).
 */
import assert from "node:assert/strict";
import { assertChromium, launchChromium } from "../../testing/chromium.ts";
import { createWebApp } from "../../lib/web/create_web_app.tsx";
import { ROUTES } from "../../routes/_manifest.ts";
import { LiveAggregator } from "../../lib/web/live_aggregator.ts";
import { LiveHub } from "../../lib/web/live_hub.ts";
import { OpenSearchQueryService } from "../../lib/web/opensearch_query_service.ts";
import type { PipelineSnapshot } from "../../lib/web/pipeline_snapshot.ts";
import type { ClassifiedEvent } from "../../lib/event/log_event.ts";
import type { Incident } from "../../lib/incidents/incident.ts";
import { bglCorpus } from "./bgl_corpus.ts";
import { makeEvent, makeIncident } from "../../testing/memory_hot_tier.ts";
import { MemoryIncidentControl } from "./memory_incident_control.ts";
import { HOT_URL, type SeededHotTier, seedHotTier } from "./seed_hot_tier.ts";

const SHOTS = new URL("../../.vigil/screenshots/", import.meta.url);
const XSS = `<img src=x onerror=alert(1)></script><script>alert(2)</script>`;

/** A critical incident over the last few minutes, with hostile text in its title and sample. */
function seededIncident(now: number): Incident {
  const ts = (ago: number) => new Date(now - ago).toISOString();
  return makeIncident({
    templateId: "E999",
    severity: "CRITICAL_ANOMALY",
    detector: "severity",
    title: `KERNEL fatal: ${XSS}`,
    system: "bgl",
    component: "KERNEL",
    template: "<*> injected <*>",
    host: "*",
    hosts: ["R02-M1-N0-C:J12-U11", "R03-M0-N4-C:J02-U01"],
    firstTs: ts(300_000),
    lastTs: ts(60_000),
    count: 214,
    peakRate: 48,
    baselineRate: 0.4,
    score: 0.98,
    reasons: ["fatal level with failure semantics", "120× the template's baseline rate", "2 hosts"],
    samples: [
      { eventId: "xss-1", ts: ts(60_000), host: "R02-M1-N0-C:J12-U11", lineNo: 1, content: XSS },
      {
        eventId: "s-2",
        ts: ts(120_000),
        host: "R03-M0-N4-C:J02-U01",
        lineNo: 2,
        content: "machine check interrupt",
      },
    ],
    spark: [0, 1, 3, 9, 24, 48, 41, 30, 22, 12, 8, 5],
  });
}

/** The Loghub BGL sample (real templates, nodes, ground-truth alerts) plus one event carrying XSS payloads. */
async function corpus(now: number): Promise<ClassifiedEvent[]> {
  const events = await bglCorpus(now, 10 * 60_000);
  const hostile = makeEvent({
    id: "xss-1",
    ts: new Date(now - 60_000).toISOString(),
    ingestTs: new Date(now - 60_000).toISOString(),
    host: "R02-M1-N0-C:J12-U11",
    component: "KERNEL",
    level: "fatal",
    classification: "CRITICAL_ANOMALY",
    score: 0.98,
    templateId: "E999",
    template: "<*> injected <*>",
    content: XSS,
    raw: XSS,
    reasons: ["payload test"],
    fields: { [`<script>alert("k")</script>`]: "v" },
  });
  return [...events, hostile];
}

const PIPELINE: PipelineSnapshot = {
  at: new Date().toISOString(),
  actors: [
    {
      name: "kafka-source",
      state: "running",
      mailboxDepth: 12,
      mailboxCapacity: 4096,
      in: 120_400,
      out: 120_388,
      dropped: 0,
      restarts: 0,
      processingMs: { p50: 0.1, p90: 0.4, p99: 0.9 },
    },
    {
      name: "parser",
      state: "running",
      mailboxDepth: 230,
      mailboxCapacity: 4096,
      in: 120_388,
      out: 120_150,
      dropped: 0,
      restarts: 0,
      processingMs: { p50: 0.3, p90: 1.1, p99: 2.5 },
    },
    {
      name: "classifier-pool",
      state: "running",
      mailboxDepth: 3500,
      mailboxCapacity: 4096,
      in: 120_150,
      out: 119_900,
      dropped: 0,
      restarts: 1,
      processingMs: { p50: 1.8, p90: 4.2, p99: 9.7 },
    },
    {
      name: "hot-sink",
      state: "running",
      mailboxDepth: 40,
      mailboxCapacity: 4096,
      in: 119_900,
      out: 119_860,
      dropped: 0,
      restarts: 0,
    },
  ],
  kafkaLag: [0, 1, 2, 3].map((p) => ({ topic: "vigil.events", partition: p, lag: p * 120 })),
  sinks: [
    {
      name: "hot (opensearch)",
      status: "healthy",
      delivered: 119_860,
      retries: 3,
      dlq: 0,
      lastBatchSize: 500,
    },
    {
      name: "cold (s3 parquet)",
      status: "retrying",
      delivered: 115_000,
      retries: 12,
      dlq: 1,
      lastBatchSize: 5000,
      lastError: "503 SlowDown",
    },
  ],
};

Deno.test({
  name:
    "browser: overview charts advance live, explorer filters update the URL, incidents arrive live and Acknowledge changes their status, a past window stays responsive",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    await assertChromium();
    const now = Date.now();
    const events = await corpus(now);
    const incident = seededIncident(now);
    const seeded = await seedHotTier(events, "vigil.events", [incident]);
    try {
      await run(seeded, events, incident);
    } finally {
      await seeded.cleanup();
    }
  },
});

async function run(seeded: SeededHotTier, events: ClassifiedEvent[], incident: Incident) {
  {
    const hub = new LiveHub();
    const aggregator = new LiveAggregator({ publish: (f) => hub.publish(f), intervalMs: 250 });
    const control = new MemoryIncidentControl([incident]);
    const web = createWebApp({
      routes: ROUTES,
      hot: new OpenSearchQueryService({ url: HOT_URL, indexPrefix: seeded.prefix }),
      live: hub,
      pipeline: { snapshot: () => ({ ...PIPELINE, at: new Date().toISOString() }) },
      incidentControl: control,
    });
    await web.bundle();
    const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, web.fetch);
    const base = `http://127.0.0.1:${server.addr.port}`;
    const userDataDir = await Deno.makeTempDir({ prefix: "vigil-chromium-" });
    await Deno.mkdir(SHOTS, { recursive: true });
    // A fresh profile per run (playwright passes it as --user-data-dir).
    const browser = await launchChromium(userDataDir);
    let n = 0;
    const normals = events.filter((e) => e.classification === "NORMAL");
    const feeder = setInterval(() => {
      // Replay the corpus live at ~20 events/s (NORMAL ones only: alerts are published by the test itself).
      for (let i = 0; i < 2; i++) {
        const e = normals[n++ % normals.length];
        aggregator.record({ ...e, id: `live-${n}`, ts: new Date().toISOString() });
      }
    }, 100);
    aggregator.start();
    try {
      const page = browser.pages()[0] ?? await browser.newPage();
      const problems: string[] = [];
      page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
      page.on("console", (m) => m.type() === "error" && problems.push(`console: ${m.text()}`));
      page.on("dialog", (d) => {
        problems.push(`dialog opened (script ran): ${d.message()}`);
        d.dismiss();
      });

      // Overview: both charts render and advance within 2 s from live ticks.
      await page.goto(base + "/");
      await page.waitForSelector('.chart-box[data-chart="classification"][data-ready="true"]', {
        timeout: 10_000,
      });
      await page.waitForSelector('.chart-box[data-chart="level"][data-ready="true"]');
      const updates = () =>
        page.$eval(
          '.chart-box[data-chart="classification"]',
          (el) => Number((el as HTMLElement).dataset.updates ?? 0),
        );
      const before = await updates();
      await page.waitForFunction(
        (b) =>
          Number(
            (document.querySelector('.chart-box[data-chart="classification"]') as HTMLElement).dataset
              .updates ?? 0,
          ) > b + 1,
        before,
        { timeout: 2000 },
      );
      assert.equal(await page.locator("canvas").count(), 2);
      await page.waitForFunction(
        () => document.querySelector('[data-kpi="rate"]')?.textContent !== "0.0",
        null,
        { timeout: 3000 },
      );
      await page.screenshot({ path: new URL("overview.png", SHOTS).pathname });

      // Drag across the chart: it zooms, and offers the explorer for exactly that range.
      const over = await page.locator('.chart-box[data-chart="classification"] .u-over').boundingBox();
      assert.ok(over);
      await page.mouse.move(over.x + over.width * 0.2, over.y + over.height / 2);
      await page.mouse.down();
      await page.mouse.move(over.x + over.width * 0.9, over.y + over.height / 2, { steps: 5 });
      await page.mouse.up();
      await page.locator(".zoom-link").first().click();
      await page.waitForURL(/\/events\?range=custom&from=.*&to=/);
      assert.ok(Number(await page.locator("[data-total]").getAttribute("data-total")) > 0);

      // Explorer: a filter chip applies at once and the URL holds the state.
      await page.goto(base + "/events?range=1h");
      await page.locator("label.chip.cls-anomaly input").check();
      await page.waitForURL(/classification=ANOMALY/);
      assert.match(page.url(), /\/events\?classification=ANOMALY$/);
      const total = Number(await page.locator("[data-total]").getAttribute("data-total"));
      assert.equal(total, events.filter((e) => e.classification === "ANOMALY").length);
      assert.ok((await page.locator("table.events tbody tr").count()) > 0);
      await page.fill('input[name="q"]', '"TLB error"');
      await page.press('input[name="q"]', "Enter");
      await page.waitForURL(/q=%22TLB\+error%22/);
      assert.ok(Number(await page.locator("[data-total]").getAttribute("data-total")) > 0);
      await page.goto(base + "/events?range=1h");
      await page.screenshot({ path: new URL("events.png", SHOTS).pathname });
      // Keyboard: the first result's link is reachable and opens the event.
      await page.locator("table.events tbody tr:first-child td a").first().focus();
      await page.keyboard.press("Enter");
      await page.waitForURL(/\/events\/vigil\.events-0-\d+$/);
      await page.locator("h2", { hasText: "Raw line" }).waitFor();

      // Event detail with hostile content renders it as text.
      await page.goto(base + `/events/${encodeURIComponent(seeded.docIds[events.length - 1])}`);
      assert.equal(await page.locator("p.content").textContent(), XSS);
      assert.equal(await page.locator("img").count(), 0);
      await page.screenshot({ path: new URL("event.png", SHOTS).pathname, fullPage: true });

      // Incidents: the seeded incident's card, hostile text inert, a live incident upserts a card, and
      // Acknowledge changes the status.
      await page.goto(base + "/anomalies");
      const card = page.locator(`li[data-incident-id="${incident.id}"]`);
      await card.waitFor({ timeout: 5000 });
      assert.equal(await card.locator(".incident-title").textContent(), `KERNEL fatal: ${XSS}`);
      assert.equal(await card.locator(".sample-content").first().textContent(), XSS);
      assert.equal(await card.locator("svg.spark polyline").count(), 1);
      await page.waitForFunction(() => document.querySelector(".live-pill")?.textContent === "open", null, {
        timeout: 5000,
      });
      const live = makeIncident({
        templateId: "tpl-live",
        title: "Burst of ciod: failed to read message prefix",
        component: "APP",
        firstTs: new Date().toISOString(),
        lastTs: new Date().toISOString(),
      });
      aggregator.record(makeEvent({ id: "live-incident-1", ts: new Date().toISOString() }), undefined, [
        live,
      ]);
      await page.locator(`li[data-incident-id="${live.id}"]`).waitFor({ timeout: 2000 });
      aggregator.record(makeEvent({ id: "live-incident-2", ts: new Date().toISOString() }), undefined, [
        { ...live, count: 99, version: 2 },
      ]);
      await page.waitForFunction(
        (id) =>
          document.querySelector(`li[data-incident-id="${id}"] [data-field="count"]`)?.textContent === "99",
        live.id,
        { timeout: 2000 },
      );
      assert.equal(await page.locator(`li[data-incident-id="${live.id}"]`).count(), 1); // upserted, not added
      await page.screenshot({ path: new URL("incidents.png", SHOTS).pathname });
      await card.getByRole("button", { name: "Acknowledge" }).click();
      await page.waitForSelector(`li[data-incident-id="${incident.id}"][data-status="acknowledged"]`, {
        timeout: 3000,
      });
      assert.equal(await card.locator('[data-field="status"]').textContent(), "acknowledged");
      assert.deepEqual(control.calls.map((c) => [c.incidentId, c.action]), [[incident.id, "acknowledge"]]);
      assert.equal(await page.locator("img").count(), 0);

      // Issue 20 defect 1: a past custom window renders and stays responsive while live ticks flow.
      const started = performance.now();
      await page.goto(base + "/?range=custom&from=2025-12-10T06:00&to=2025-12-10T12:00", { timeout: 10_000 });
      await page.waitForSelector('.chart-box[data-chart="classification"][data-ready="true"]', {
        timeout: 5000,
      });
      await page.locator("[data-newest-data]").waitFor({ timeout: 2000 });
      // Live ticks reach this page (the events/s KPI follows them) while the charts must ignore them.
      await page.waitForFunction(
        () => document.querySelector('[data-kpi="rate"]')?.textContent !== "0.0",
        null,
        { timeout: 3000 },
      );
      const probe = performance.now();
      await page.evaluate(() => 1);
      const elapsed = performance.now() - started;
      assert.ok(performance.now() - probe < 500, "the main thread answers at once");
      assert.ok(elapsed < 8000, `past window took ${elapsed.toFixed(0)} ms`);
      assert.equal(
        await page.$eval(
          '.chart-box[data-chart="classification"]',
          (el) => (el as HTMLElement).dataset.updates,
        ),
        undefined,
      );

      await page.goto(base + "/templates");
      await page.screenshot({ path: new URL("templates.png", SHOTS).pathname });
      await page.goto(base + "/pipeline");
      await page.waitForSelector("table.dense");
      await page.screenshot({ path: new URL("pipeline.png", SHOTS).pathname });

      // Light theme.
      await page.emulateMedia({ colorScheme: "light" });
      await page.goto(base + "/");
      await page.waitForSelector('.chart-box[data-ready="true"]');
      await page.screenshot({ path: new URL("overview-light.png", SHOTS).pathname });
      await page.emulateMedia({ colorScheme: "dark" });

      // Narrow (mobile) width still renders the overview.
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto(base + "/");
      await page.waitForSelector('.chart-box[data-ready="true"]');
      await page.screenshot({ path: new URL("overview-mobile.png", SHOTS).pathname });

      assert.deepEqual(problems, []);
    } finally {
      clearInterval(feeder);
      aggregator.stop();
      await browser.close();
      await server.shutdown();
      await Deno.remove(userDataDir, { recursive: true }).catch(() => {});
    }
  }
}
