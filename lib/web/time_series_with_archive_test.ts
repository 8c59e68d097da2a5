import assert from "node:assert/strict";
import { makeEvent, MemoryHotTier } from "../../testing/memory_hot_tier.ts";
import type { ArchiveReader } from "./archive_reader.ts";
import { ListArchive } from "../../testing/list_archive.ts";
import { timeSeriesWithArchive } from "./time_series_with_archive.ts";
import type { EventHit } from "./web_deps.ts";

// The chart merge over an in-memory hot tier (one-minute buckets) and archive; the real tiers are in
// tests/web/history_from_cold_test.ts.

const HOUR = 3_600_000;
const NOW = new Date("2026-11-29T04:00:00Z");
const HOT_WINDOW = 48 * HOUR;
const at = (hoursAgo: number) => new Date(NOW.getTime() - hoursAgo * HOUR).toISOString();
/** Four days. */
const WINDOW = { from: new Date(NOW.getTime() - 96 * HOUR), to: NOW, range: "custom" as const };

/**
 * Hot: 30 events in the last 30 h and 10 at 40..44.5 h ago (2026-11-27, its oldest day: the hot window starts
 * 52 h ago). The archive holds those 10 again (a day the hot tier holds: never asked) and 50 events of earlier
 * days, 60..84.5 h ago.
 */
function tiers() {
  const hot = new MemoryHotTier(
    [
      ...Array.from({ length: 30 }, (_, i) => makeEvent({ id: `h${i}`, ts: at(1 + i) })),
      ...Array.from(
        { length: 10 },
        (_, i) => makeEvent({ id: `o${i}`, ts: at(40 + i / 2), classification: "ANOMALY" }),
      ),
    ],
    () => NOW,
  );
  const archived: EventHit[] = [
    ...hot.events.slice(30),
    ...Array.from({ length: 50 }, (_, i) => ({
      ...makeEvent({
        id: `c${i}`,
        ts: at(60 + i / 2),
        classification: i % 5 ? "NORMAL" : "CRITICAL_ANOMALY",
      }),
      docId: `c-${i}`,
      index: "",
    })),
  ];
  return { hot, archive: new ListArchive(archived) };
}

const sum = (xs: number[] = []) => xs.reduce((a, b) => a + b, 0);

Deno.test("timeSeriesWithArchive: the archive's days before the hot tier's oldest added to its buckets, each event once", async () => {
  const { hot, archive } = tiers();
  const chart = await timeSeriesWithArchive(hot, WINDOW, "classification", NOW, {
    reader: archive,
    hotWindowMs: HOT_WINDOW,
  });
  assert.equal(chart.archive?.state, "answered");
  assert.equal(chart.archive?.total, 50, "the archive is not asked for the hot tier's days");
  assert.deepEqual(archive.asked[0].to, new Date("2026-11-27T00:00:00Z"));
  assert.deepEqual(
    [sum(chart.series.NORMAL), sum(chart.series.ANOMALY), sum(chart.series.CRITICAL_ANOMALY)],
    [30 + 40, 10, 10],
  );
  // Bucket starts are epoch-aligned and cover the window.
  const step = chart.stepSec * 1000;
  assert.equal(chart.t[0] * 1000, Math.floor(WINDOW.from.getTime() / step) * step);
  assert.equal(chart.t.at(-1)! * 1000, Math.floor(NOW.getTime() / step) * step);
  // Inside the hot window: the hot tier alone, no archive.
  const recent = await timeSeriesWithArchive(
    hot,
    { ...WINDOW, from: new Date(NOW.getTime() - 50 * HOUR) },
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
    counts: () => Promise.reject(new Error("unused")),
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

Deno.test("timeSeriesWithArchive: a replayed archive (years-old event times filed under a recent day) is charted from the hot tier", async () => {
  // The delivery window clamps a 2016 line ingested now into a recent daily index: the hot tier's oldest day is
  // recent although its events' times are not.
  class ClampedHotTier extends MemoryHotTier {
    override oldestEventDay() {
      return Promise.resolve("2026-11-22T00:00:00.000Z");
    }
  }
  const t0 = Date.parse("2016-09-28T04:30:00Z");
  const hot = new ClampedHotTier(
    Array.from(
      { length: 12 },
      (_, i) => makeEvent({ id: `w${i}`, ts: new Date(t0 + i * 60_000).toISOString() }),
    ),
    () => NOW,
  );
  const archive = new ListArchive([]);
  const window = { from: new Date(t0 - HOUR), to: new Date(t0 + HOUR), range: "custom" as const };
  const chart = await timeSeriesWithArchive(hot, window, "classification", NOW, {
    reader: archive,
    hotWindowMs: HOT_WINDOW,
  });
  assert.equal(chart.archive?.state, "answered");
  assert.equal(sum(chart.series.NORMAL), 12, "every replayed event charted, from the hot tier");
});
