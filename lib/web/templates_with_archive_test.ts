import assert from "node:assert/strict";
import { makeEvent, MemoryHotTier } from "../../testing/memory_hot_tier.ts";
import { ListArchive } from "../../testing/list_archive.ts";
import type { ArchiveHistogram } from "./archive_reader.ts";
import { mergeTemplates, templatesWithArchive } from "./templates_with_archive.ts";
import type { TemplateStat, TemplateStats } from "./web_deps.ts";

// The Templates page's merge; the real tiers are in tests/web/history_from_cold_test.ts.

const HOUR = 3_600_000;
const NOW = new Date("2026-11-29T04:00:00Z");
/** 24 buckets of 4 h over four days. */
const WINDOW = { from: new Date(NOW.getTime() - 96 * HOUR), to: NOW, range: "custom" as const };
const STEP = 4 * HOUR;
const FIRST = Math.floor(WINDOW.from.getTime() / STEP);
const bucket = (i: number) => (FIRST + i) * STEP;

const stat = (templateId: string, count: number, spark: number[] = []): TemplateStat => ({
  templateId,
  template: `text of ${templateId}`,
  count,
  spark,
  systems: ["hdfs"],
  lastSeen: NOW.toISOString(),
});

/** B: 20 archived events in buckets 1 and 2; C: 3 in bucket 0; A: none. */
function archived(): ArchiveHistogram {
  return new Map([
    [bucket(0), new Map([["C", 3]])],
    [bucket(1), new Map([["B", 12]])],
    [bucket(2), new Map([["B", 8]])],
  ]);
}

Deno.test("mergeTemplates: the most frequent add the archive's counts and trends; an archive-only template shows its id", () => {
  const spark = new Array(25).fill(0);
  spark[20] = 5;
  const hot: TemplateStats = {
    top: [stat("A", 10, spark), stat("B", 5, spark)],
    newest: [stat("B", 5, spark)],
    rarest: [stat("B", 5, spark)],
  };
  const { stats, caveats } = mergeTemplates(hot, 42, archived(), WINDOW, STEP, 3);
  assert.deepEqual(stats.top.map((t) => [t.templateId, t.count]), [["B", 25], ["A", 10], ["C", 3]]);
  const b = stats.top[0];
  assert.equal(b.template, "text of B", "the hot tier's text kept");
  assert.deepEqual([b.spark[1], b.spark[2], b.spark[20]], [12, 8, 5]);
  assert.equal(b.spark.reduce((x, y) => x + y, 0), 25, "the trend sums to the count");
  assert.deepEqual(stats.top[2], {
    templateId: "C",
    template: "",
    count: 3,
    spark: [3, ...new Array(24).fill(0)],
    systems: [],
  });
  // Window lists (no registry): each listed template's count adds the archive; the choice is the hot tier's.
  assert.equal(stats.rarest[0].count, 25);
  assert.ok(caveats.some((c) => /judged on the hot tier/.test(c)));
  assert.ok(!caveats.some((c) => /inexact/.test(c)));
});

Deno.test("mergeTemplates: registry counts are all-time and stay; a flat hot list past the asked entries is flagged", () => {
  const hot: TemplateStats = {
    top: [stat("A", 4), stat("D", 4)],
    newest: [stat("B", 100)],
    rarest: [stat("B", 100)],
    registry: true,
  };
  // Asked 2 of the hot tier and got 2: a template missing there may count up to 4 (+ its archived count).
  const { stats, caveats } = mergeTemplates(hot, 2, archived(), WINDOW, STEP, 1);
  assert.equal(stats.newest[0].count, 100, "an all-time count already holds the archive");
  assert.equal(stats.newest[0].spark.reduce((x, y) => x + y, 0), 20, "its trend adds the archive's");
  assert.deepEqual(stats.top.map((t) => [t.templateId, t.count]), [["B", 20]]);
  assert.ok(caveats.some((c) => /inexact/.test(c) && /at most 7/.test(c)), caveats.join("; "));
  assert.ok(!caveats.some((c) => /judged on the hot tier/.test(c)));
});

Deno.test("templatesWithArchive: the archive asked before the hot window with the page's filter; failing or inside the window, the hot lists", async () => {
  const hot = new MemoryHotTier(
    Array.from(
      { length: 6 },
      (_, i) => makeEvent({ id: `h${i}`, ts: new Date(NOW.getTime() - i * HOUR).toISOString() }),
    ),
    () => NOW,
  );
  const archive = new ListArchive([
    ...Array.from({ length: 9 }, (_, i) => ({
      ...makeEvent({
        id: `a${i}`,
        ts: new Date(NOW.getTime() - (50 + i) * HOUR).toISOString(),
        templateId: i < 6 ? "old" : "t1",
        system: i < 8 ? "hdfs" : "bgl",
      }),
      docId: `a-${i}`,
      index: "",
    })),
  ]);
  const settings = { reader: archive, hotWindowMs: 24 * HOUR };
  const stats = await templatesWithArchive(hot, WINDOW, 10, { system: "hdfs" }, NOW, settings);
  assert.equal(stats.archive?.state, "answered");
  assert.equal(stats.archive?.total, 8, "the page's system filter applied in the archive");
  assert.deepEqual(archive.asked[0].to, new Date("2026-11-28T00:00:00Z"), "the hot tier's oldest day");
  assert.equal(archive.asked[0].system, "hdfs");
  // The hot tier holds no hdfs event: both from the archive.
  assert.deepEqual(stats.top.map((t) => [t.templateId, t.count]), [["old", 6], ["t1", 2]]);

  const recent = await templatesWithArchive(
    hot,
    { ...WINDOW, from: new Date(NOW.getTime() - 3 * HOUR) },
    10,
    {},
    NOW,
    settings,
  );
  assert.equal(recent.archive, undefined);

  const silent = await templatesWithArchive(hot, WINDOW, 10, {}, NOW, {
    reader: new ListArchive([], true),
    hotWindowMs: 24 * HOUR,
    timeoutMs: 50,
  });
  assert.equal(silent.archive?.state, "partial");
  assert.match(silent.archive?.reason ?? "", /within 50 ms/);
  assert.deepEqual(silent.top.map((t) => [t.templateId, t.count]), [["t1", 6]]);
});
