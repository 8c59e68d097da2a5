import assert from "node:assert/strict";
import { isComplete, mergeTopCounts, type TopPart } from "./merge_top_counts.ts";
import type { Bucket } from "./web_deps.ts";

const b = (key: string, count: number, label?: string): Bucket =>
  label === undefined ? { key, count } : {
    key,
    count,
    label,
  };

/** A part's top `asked` of a full count, as a tier answers it. */
function partOf(counts: Record<string, number>, asked: number): TopPart {
  const all = Object.entries(counts).map(([k, n]) => b(k, n))
    .sort((x, y) => y.count - x.count || (x.key < y.key ? -1 : 1));
  const items = all.slice(0, asked);
  return { items, complete: isComplete(items, asked) };
}

/** The true top n of the sum, ties by key. */
function truth(parts: Record<string, number>[], n: number): Bucket[] {
  const sum = new Map<string, number>();
  for (const p of parts) for (const [k, v] of Object.entries(p)) sum.set(k, (sum.get(k) ?? 0) + v);
  return [...sum].map(([k, v]) => b(k, v)).sort((x, y) => y.count - x.count || (x.key < y.key ? -1 : 1))
    .slice(0, n);
}

Deno.test("mergeTopCounts: complete lists add up to the exact top N, labels kept from the part that has one", () => {
  const merged = mergeTopCounts([
    { items: [b("t1", 9, "disk <*>"), b("t2", 5, "net <*>")], complete: true },
    { items: [b("t3", 12), b("t2", 6), b("t1", 1)], complete: true },
  ], 2);
  assert.deepEqual(merged, {
    items: [b("t3", 12), b("t2", 11, "net <*>")],
    exact: true,
    missingBound: 10,
  });
});

Deno.test("mergeTopCounts: a value second in one tier and first in the sum is proven the top from partial lists", () => {
  const hot = { a: 10, x: 9, c: 2, d: 2 };
  const cold = { x: 9, a: 3, e: 2, f: 2 };
  const merged = mergeTopCounts([partOf(hot, 2), partOf(cold, 2)], 1);
  assert.deepEqual(merged.items, [b("x", 18)]);
  // A value in neither list counts at most 9 (hot's last listed) + 3 (cold's last listed).
  assert.equal(merged.missingBound, 13, "a (13, listed in both) is the runner-up");
  assert.equal(merged.exact, true);
  // Asked for one each, a's cold count (≤ 9) is unknown: it may beat x, and the answer says so.
  const short = mergeTopCounts([partOf(hot, 1), partOf(cold, 1)], 1);
  assert.equal(short.exact, false);
});

Deno.test("mergeTopCounts: flat counts past the asked entries are reported inexact, never silently wrong", () => {
  // Each tier holds 6 values; asked for 2, a value missing from one list may count as much as the kept one.
  const hot = { a: 5, b: 5, c: 5, d: 5, e: 5, f: 5 };
  const cold = { f: 5, e: 5, a: 1 };
  const merged = mergeTopCounts([partOf(hot, 2), partOf(cold, 2)], 1);
  assert.equal(merged.exact, false);
  assert.ok(merged.missingBound >= truth([hot, cold], 1)[0].count);
});

Deno.test("mergeTopCounts: exact whenever it says so, over random tiers (against the true top N)", () => {
  let seed = 42;
  const rand = (n: number) => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) % n;
  let exact = 0;
  for (let run = 0; run < 500; run++) {
    const parts = [0, 1].map(() => {
      const p: Record<string, number> = {};
      const values = 1 + rand(30);
      for (let i = 0; i < values; i++) p[`v${rand(40)}`] = 1 + rand(run % 2 ? 1_000 : 4);
      return p;
    });
    const n = 1 + rand(10);
    const asked = n + rand(10);
    const merged = mergeTopCounts(parts.map((p) => partOf(p, asked)), n);
    const expected = truth(parts, n);
    if (merged.exact) {
      exact++;
      // Exact up to ties: the same counts in the same order, and each kept value's true count.
      assert.deepEqual(merged.items.map((x) => x.count), expected.map((x) => x.count), `run ${run}`);
      const sum = (k: string) => parts.reduce((s, p) => s + (p[k] ?? 0), 0);
      for (const item of merged.items) assert.equal(item.count, sum(item.key), `run ${run} ${item.key}`);
    } else {
      assert.ok(merged.missingBound > 0, `run ${run}: inexact only when something can be missing`);
    }
  }
  // Most answers are provably exact (not a floor from today's run: half the runs have wide, distinct counts).
  assert.ok(exact > 250, `${exact} of 500 exact`);
});

Deno.test("mergeTopCounts: n must be a positive integer", () => {
  assert.throws(() => mergeTopCounts([], 0), RangeError);
});
