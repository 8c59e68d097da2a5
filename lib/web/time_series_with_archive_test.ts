import assert from "node:assert/strict";
import { makeEvent, MemoryHotTier } from "../../testing/memory_hot_tier.ts";
import type { ArchiveReader } from "./archive_reader.ts";
import { ListArchive } from "../../testing/list_archive.ts";
import { timeSeriesWithArchive } from "./time_series_with_archive.ts";
import type { EventHit } from "./web_deps.ts";

// The chart merge over an in-memory hot tier (one-minute buckets) and archive; the real tiers are in
// tests/web/history_from_cold_test.ts.

const MIN = 60_000;
const NOW = new Date("2026-11-29T04:00:00Z");
const HOT_WINDOW = 120 * MIN;
const at = (minutesAgo: number) => new Date(NOW.getTime() - minutesAgo * MIN).toISOString();
/** Four hours: one-minute buckets, as the memory hot tier draws them. */
const WINDOW = { from: new Date(NOW.getTime() - 240 * MIN), to: NOW, range: "custom" as const };

function tiers() {
  // Hot: 30 events in the last 2 h, and 10 from 130..139 min ago (past the window, not deleted yet).
  const hot = new MemoryHotTier(
    [
      ...Array.from({ length: 30 }, (_, i) => makeEvent({ id: `h${i}`, ts: at(1 + i * 3) })),
      ...Array.from(
        { length: 10 },
        (_, i) => makeEvent({ id: `o${i}`, ts: at(130 + i), classification: "ANOMALY" }),
      ),
    ],
    () => NOW,
  );
  // The archive: those 10 again, and 50 from 150..199 min ago.
  const archived: EventHit[] = [
    ...hot.events.slice(30),
    ...Array.from({ length: 50 }, (_, i) => ({
      ...makeEvent({ id: `c${i}`, ts: at(150 + i), classification: i % 5 ? "NORMAL" : "CRITICAL_ANOMALY" }),
      docId: `c-${i}`,
      index: "",
    })),
  ];
  return { hot, archive: new ListArchive(archived) };
}

const sum = (xs: number[] = []) => xs.reduce((a, b) => a + b, 0);

Deno.test("timeSeriesWithArchive: buckets before the hot window from the archive, each event counted once", async () => {
  const { hot, archive } = tiers();
  const chart = await timeSeriesWithArchive(hot, WINDOW, "classification", NOW, {
    reader: archive,
    hotWindowMs: HOT_WINDOW,
  });
  assert.equal(chart.archive?.state, "answered");
  assert.equal(chart.stepSec, 60);
  assert.equal(chart.archive?.total, 60);
  assert.deepEqual(
    [sum(chart.series.NORMAL), sum(chart.series.ANOMALY), sum(chart.series.CRITICAL_ANOMALY)],
    [30 + 40, 10, 10],
  );
  // Bucket starts are epoch-aligned and cover the window.
  assert.equal(chart.t[0] * 1000, WINDOW.from.getTime());
  assert.equal(chart.t.length, 241);
  // Inside the hot window: the hot tier alone, no archive.
  const recent = await timeSeriesWithArchive(
    hot,
    { ...WINDOW, from: new Date(NOW.getTime() - 60 * MIN) },
    "level",
    NOW,
    {
      reader: archive,
      hotWindowMs: HOT_WINDOW,
    },
  );
  assert.equal(recent.archive, undefined);
});

Deno.test("timeSeriesWithArchive: a failing or hung archive leaves the hot tier's buckets, with the reason", async () => {
  const { hot } = tiers();
  const failing: ArchiveReader = {
    search: () => Promise.reject(new Error("unused")),
    histogram: () => Promise.reject(new Error("S3 refused")),
  };
  const failed = await timeSeriesWithArchive(hot, WINDOW, "classification", NOW, {
    reader: failing,
    hotWindowMs: HOT_WINDOW,
  });
  assert.deepEqual([failed.archive?.state, failed.archive?.reason], ["partial", "S3 refused"]);
  assert.equal(sum(Object.values(failed.series).flat()), 40);
  const t = performance.now();
  const hung = await timeSeriesWithArchive(hot, WINDOW, "level", NOW, {
    reader: new ListArchive([], true),
    hotWindowMs: HOT_WINDOW,
    timeoutMs: 50,
  });
  assert.ok(performance.now() - t < 1_000);
  assert.match(hung.archive?.reason ?? "", /within 50 ms/);
});
