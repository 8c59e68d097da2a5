/**
 * The standalone live source (`web.liveSource=hot-tier`) against the real OpenSearch: newly ingested events
 * become ticks and alerts, each exactly once across polls.
 */
import assert from "node:assert/strict";
import { hotTierIndices } from "../../lib/web/hot_tier_indices.ts";
import { HotTierLivePoller } from "../../lib/web/hot_tier_live_poller.ts";
import { LiveAggregator } from "../../lib/web/live_aggregator.ts";
import type { LiveFrame, TickFrame } from "../../lib/web/live_frame.ts";
import { openSearchTransport } from "../../lib/web/opensearch_query_service.ts";
import { makeEvent } from "../../testing/memory_hot_tier.ts";
import { HOT_URL, seedHotTier } from "./seed_hot_tier.ts";

Deno.test("HotTierLivePoller feeds each newly ingested event once, alerts included", async () => {
  const t0 = Date.parse("2026-11-29T04:00:00Z");
  const iso = (ms: number) => new Date(t0 + ms).toISOString();
  const old = makeEvent({ id: "old", ts: iso(-5000), ingestTs: iso(-5000) });
  const fresh = Array.from({ length: 30 }, (_, i) =>
    makeEvent({
      id: `n${i}`,
      ts: iso(i * 10),
      // Five events per millisecond: pages of 12 cut through groups that share an ingest time.
      ingestTs: iso(1 + Math.floor(i / 5) * 10),
      classification: i % 10 === 0 ? "ANOMALY" : "NORMAL",
      score: i % 10 === 0 ? 0.8 : 0.1,
    }));
  const seeded = await seedHotTier([old, ...fresh]);
  try {
    const frames: LiveFrame[] = [];
    const aggregator = new LiveAggregator({ publish: (f) => frames.push(f) });
    const poller = new HotTierLivePoller({
      search: openSearchTransport(HOT_URL),
      index: hotTierIndices(seeded.prefix).events,
      aggregator,
      maxPerPoll: 12,
      now: () => new Date(t0),
    });
    // Pages of 12: 12 + 12 + 6, then nothing new.
    assert.deepEqual([await poller.poll(), await poller.poll(), await poller.poll(), await poller.poll()], [
      12,
      12,
      6,
      0,
    ]);
    const tick = aggregator.flush();
    assert.equal((tick as TickFrame).total, 30);
    const alerts = frames.filter((f) => f.type === "alert");
    assert.equal(alerts.length, 3);
    assert.ok(alerts.every((a) => a.type === "alert" && a.docId?.startsWith("vigil.events-0-")));
  } finally {
    await seeded.cleanup();
  }
});
