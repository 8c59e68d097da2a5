import assert from "node:assert/strict";
import { makeEvent, MemoryHotTier } from "../../testing/memory_hot_tier.ts";
import type { ArchiveReader } from "./archive_reader.ts";
import { ListArchive } from "../../testing/list_archive.ts";
import { parseEventQuery } from "./event_query.ts";
import { archiveFilterOf, searchEventsWithArchive } from "./search_with_archive.ts";
import type { EventHit } from "./web_deps.ts";

// The merge rules over an in-memory hot tier and archive; the real tiers are in tests/web/history_from_cold_test.ts.

const HOUR = 3_600_000;
const NOW = new Date("2026-11-29T04:00:00Z");
const WINDOW = 24 * HOUR;
const at = (hoursAgo: number) => new Date(NOW.getTime() - hoursAgo * HOUR).toISOString();

/**
 * Hot: events 0..9 at 0.5..5 h ago and 10..14 at 23..27 h ago, so its oldest day is 2026-11-28 (the hot window
 * starts 28 h ago). Both tiers file events by day: the archive holds the hot tier's days too (the five old ones,
 * same document ids: never asked, they are the hot tier's) and 20 events of earlier days, 50..69 h ago.
 */
function tiers() {
  const hotEvents = Array.from(
    { length: 15 },
    (_, i) =>
      makeEvent({ id: `e${i}`, ts: at(i < 10 ? 0.5 + i / 2 : 13 + i), level: i % 2 ? "error" : "info" }),
  );
  const hot = new MemoryHotTier(hotEvents, () => NOW);
  const archived: EventHit[] = [
    ...hot.events.slice(10).map((e) => ({ ...e, tier: "archive" as const })),
    ...Array.from({ length: 20 }, (_, i) => ({
      ...makeEvent({ id: `c${i}`, ts: at(50 + i), level: i % 2 ? "error" : "info" } as const),
      docId: `vigil.events-0-${100 + i}`,
      index: "",
      tier: "archive" as const,
    })),
  ];
  return { hot, archive: new ListArchive(archived) };
}

/** Start of the hot tier's oldest day in {@link tiers}. */
const HOT_START = new Date("2026-11-28T00:00:00Z");

const q = (qs: string) => parseEventQuery(new URLSearchParams(qs));
const SPAN = `range=custom&from=${at(72)}&to=${NOW.toISOString()}`;

Deno.test("searchEventsWithArchive: pages across tiers hold each event once, newest first, hot copies win", async () => {
  const { hot, archive } = tiers();
  const settings = { reader: archive, hotWindowMs: WINDOW };
  const seen: EventHit[] = [];
  for (let page = 1; page <= 5; page++) {
    const answer = await searchEventsWithArchive(hot, q(`${SPAN}&size=7&page=${page}`), NOW, settings);
    assert.equal(answer.total, 35);
    assert.equal(answer.archive?.state, "answered");
    seen.push(...answer.hits);
  }
  assert.equal(seen.length, 35);
  assert.equal(new Set(seen.map((h) => h.id)).size, 35);
  for (let i = 1; i < seen.length; i++) assert.ok(seen[i - 1].ts >= seen[i].ts);
  assert.deepEqual(
    seen.filter((h) => h.tier === "archive").map((h) => h.id),
    Array.from({ length: 20 }, (_, i) => `c${i}`),
  );
  // The archive is asked only for the days before the hot tier's oldest.
  assert.deepEqual(archive.asked[0].to, HOT_START);

  // The bars: laid out over the window even though this hot tier draws none; the archive's days added.
  const bars = (await searchEventsWithArchive(hot, q(`${SPAN}&size=1`), NOW, settings)).histogram!;
  assert.equal(bars.t.length, Math.floor(72 * HOUR / (bars.stepSec * 1000)) + 1);
  assert.equal(
    bars.counts.reduce((a, b) => a + b, 0),
    20,
    "the archive's 20 (the hot tier draws no bars here)",
  );
  const errors = await searchEventsWithArchive(hot, q(`${SPAN}&level=error&size=50`), NOW, settings);
  assert.equal(errors.total, 7 + 10);
  assert.ok(errors.hits.every((h) => h.level === "error"));
});

Deno.test("searchEventsWithArchive: inside the hot window, no archive; what it cannot filter, skipped with the reason", async () => {
  const { hot, archive } = tiers();
  const settings = { reader: archive, hotWindowMs: WINDOW };
  assert.equal((await searchEventsWithArchive(hot, q("range=6h"), NOW, settings)).archive, undefined);
  assert.equal((await searchEventsWithArchive(hot, q(SPAN), NOW, undefined)).archive, undefined);
  assert.equal(archive.asked.length, 0);
  for (const [qs, reason] of [["incidentId=i1", /incident/], ["sort=score", /newest first/]] as const) {
    const answer = await searchEventsWithArchive(hot, q(`${SPAN}&${qs}`), NOW, settings);
    assert.equal(answer.archive?.state, "skipped", qs);
    assert.match(answer.archive?.reason ?? "", reason);
  }
  assert.equal(archive.asked.length, 0);
  const f = archiveFilterOf(q(`${SPAN}&q=disk&host=h1&classification=ANOMALY`), new Date(0), NOW);
  assert.ok("filter" in f);
  assert.deepEqual([f.filter.text, f.filter.host, f.filter.classifications], ["disk", "h1", ["ANOMALY"]]);
  assert.ok(f.caveats.some((c) => c.includes("substring")));
});

Deno.test("searchEventsWithArchive: a failing or hung archive leaves the hot part, within the deadline, with the reason", async () => {
  const { hot } = tiers();
  const failing: ArchiveReader = {
    search: () => Promise.reject(new Error("S3 refused")),
    histogram: () => Promise.reject(new Error("S3 refused")),
    counts: () => Promise.reject(new Error("unused")),
  };
  const failed = await searchEventsWithArchive(hot, q(`${SPAN}&size=50`), NOW, {
    reader: failing,
    hotWindowMs: WINDOW,
  });
  assert.deepEqual([failed.archive?.state, failed.archive?.reason, failed.hits.length], [
    "partial",
    "S3 refused",
    15,
  ]);

  const t = performance.now();
  const hung = await searchEventsWithArchive(hot, q(`${SPAN}&size=50`), NOW, {
    reader: new ListArchive([], true),
    hotWindowMs: WINDOW,
    timeoutMs: 50,
  });
  assert.ok(performance.now() - t < 1_000);
  assert.equal(hung.archive?.state, "partial");
  assert.match(hung.archive?.reason ?? "", /within 50 ms/);
  assert.equal(hung.hits.length, 15);
});
