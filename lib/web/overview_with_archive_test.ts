import assert from "node:assert/strict";
import { makeEvent, MemoryHotTier } from "../../testing/memory_hot_tier.ts";
import { ListArchive } from "../../testing/list_archive.ts";
import type { ArchiveReader } from "./archive_reader.ts";
import { overviewWithArchive, TOP_N } from "./overview_with_archive.ts";
import type { Bucket, EventHit } from "./web_deps.ts";

// The Overview's merge over an in-memory hot tier and archive; the real tiers are in
// tests/web/history_from_cold_test.ts.

const HOUR = 3_600_000;
const NOW = new Date("2026-11-29T04:00:00Z");
const at = (hoursAgo: number) => new Date(NOW.getTime() - hoursAgo * HOUR).toISOString();
const WINDOW = { from: new Date(NOW.getTime() - 96 * HOUR), to: NOW, range: "custom" as const };
const LEVELS = ["info", "warn", "error"] as const;

/**
 * Hot: 40 events over the last 21 h (its oldest day 2026-11-28 starts the hot window); 12 hot components, a
 * few frequent templates. Archive: 60 events 60..90 h ago, mostly of a component and a template rare in the
 * hot tier (13th and 12th there), so their merged rank depends on both tiers; plus the hot events again (a day
 * the hot tier holds: never asked).
 */
function tiers() {
  const hotEvents = Array.from({ length: 40 }, (_, i) =>
    makeEvent({
      id: `h${i}`,
      ts: at(1 + i * 0.5),
      level: LEVELS[i % 3],
      component: i < 29 ? `c${i % 12}` : i < 39 ? `c${i % 3}` : "rare",
      templateId: i === 39 ? "t-rare" : `t${i % 11}`,
      template: i === 39 ? "rare <*>" : `tpl ${i % 11} <*>`,
      classification: i % 10 === 0 ? "CRITICAL_ANOMALY" : "NORMAL",
    }));
  const hot = new MemoryHotTier(hotEvents, () => NOW);
  const archived: EventHit[] = [
    ...hot.events,
    ...Array.from({ length: 60 }, (_, i) => ({
      ...makeEvent({
        id: `a${i}`,
        ts: at(60 + i / 2),
        level: i % 4 === 0 ? "fatal" : "info",
        component: i % 6 === 0 ? "c1" : "rare",
        templateId: i % 6 === 0 ? "t1" : "t-rare",
        classification: i % 5 === 0 ? "ANOMALY" : "NORMAL",
      }),
      docId: `a-${i}`,
      index: "",
    })),
  ];
  return { hot, hotEvents, archived, archive: new ListArchive(archived) };
}

/** The true counts, most frequent first, ties by key. */
function countBy(events: { [k: string]: unknown }[], key: string, n = 100): Bucket[] {
  const m = new Map<string, number>();
  for (const e of events) m.set(String(e[key]), (m.get(String(e[key])) ?? 0) + 1);
  return [...m].map(([k, count]) => ({ key: k, count }))
    .sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : 1)).slice(0, n);
}
const keyCount = (bs: Bucket[]) => bs.map(({ key, count }) => ({ key, count }));

Deno.test("overviewWithArchive: totals, classifications and each list add the archive's days before the hot window, exactly", async () => {
  const { hot, hotEvents, archived, archive } = tiers();
  const stats = await overviewWithArchive(hot, WINDOW, NOW, { reader: archive, hotWindowMs: 48 * HOUR });
  const cold = archived.slice(40);
  const all = [...hotEvents, ...cold];
  assert.equal(stats.archive?.state, "answered", JSON.stringify(stats.archive));
  assert.deepEqual(
    archive.asked[0].to,
    new Date("2026-11-28T00:00:00Z"),
    "only the days before the hot tier's",
  );
  assert.equal(stats.archive?.total, 60);
  assert.equal(stats.total, 100);
  assert.deepEqual(stats.byClassification, {
    NORMAL: all.filter((e) => e.classification === "NORMAL").length,
    ANOMALY: 12,
    CRITICAL_ANOMALY: 4,
  });
  assert.deepEqual(keyCount(stats.byLevel), countBy(all, "level"));
  assert.deepEqual(keyCount(stats.byComponent), countBy(all, "component", TOP_N));
  assert.deepEqual(keyCount(stats.topTemplates), countBy(all, "templateId", TOP_N));
  assert.deepEqual(
    stats.byComponent[0],
    { key: "rare", count: 51 },
    "last-but-one in the hot tier, first in all",
  );
  // Labels from the hot tier, also for counts mostly archived.
  assert.equal(stats.topTemplates.find((t) => t.key === "t-rare")?.label, "rare <*>");
  assert.ok(!stats.archive?.caveats.some((c) => /inexact/.test(c)), "small lists are exact");
});

Deno.test("overviewWithArchive: inside the hot window the archive is not asked; a failing or silent archive leaves the hot numbers with the reason", async () => {
  const { hot, hotEvents, archive } = tiers();
  const recent = await overviewWithArchive(
    hot,
    { ...WINDOW, from: new Date(NOW.getTime() - 20 * HOUR) },
    NOW,
    { reader: archive, hotWindowMs: 48 * HOUR },
  );
  assert.equal(recent.archive, undefined);
  assert.equal(archive.asked.length, 0);
  assert.equal(recent.byComponent.length, TOP_N, "the hot tier's top N as before");

  const failing: ArchiveReader = {
    search: () => Promise.reject(new Error("unused")),
    histogram: () => Promise.reject(new Error("unused")),
    counts: () => Promise.reject(new Error("S3 refused")),
  };
  const failed = await overviewWithArchive(hot, WINDOW, NOW, { reader: failing, hotWindowMs: 48 * HOUR });
  assert.deepEqual([failed.archive?.state, failed.archive?.reason], ["partial", "S3 refused"]);
  assert.equal(failed.total, 40);
  assert.deepEqual(keyCount(failed.byComponent), countBy(hotEvents, "component", TOP_N));

  const started = performance.now();
  const silent = await overviewWithArchive(hot, WINDOW, NOW, {
    reader: new ListArchive([], true),
    hotWindowMs: 48 * HOUR,
    timeoutMs: 50,
  });
  assert.equal(silent.archive?.state, "partial");
  assert.match(silent.archive?.reason ?? "", /within 50 ms/);
  assert.equal(silent.total, 40);
  assert.ok(performance.now() - started < 2_000);
});
