import assert from "node:assert/strict";
import { appendLiveBucket } from "./append_live_bucket.ts";

Deno.test("appendLiveBucket fills the gap to the tick's bucket and keeps at most `keep` buckets", () => {
  const t = [0, 10, 20];
  const cols = [[1, 2, 3], [4, 5, 6]];
  assert.equal(appendLiveBucket(t, cols, 40, 10, 4), true);
  assert.deepEqual(t, [10, 20, 30, 40]);
  assert.deepEqual(cols, [[2, 3, 0, 0], [5, 6, 0, 0]]);
  assert.equal(appendLiveBucket(t, cols, 40, 10, 4), true); // same bucket: nothing to add
  assert.deepEqual(t, [10, 20, 30, 40]);
  assert.equal(appendLiveBucket(t, cols, 5, 10, 4), false); // late tick
  const empty: number[] = [];
  assert.equal(appendLiveBucket(empty, [[]], 100, 10, 60), true);
  assert.deepEqual(empty, [100]);
});

Deno.test("appendLiveBucket costs O(kept buckets) for a tick a year after the last bucket (issue 20 defect 1)", () => {
  // A window ending 2025-12-10T12:00 at 1 s buckets, and a live tick one year later: the old loop pushed
  // ~31.5 M buckets; the bounded one keeps 21,600.
  const step = 1;
  const end = Date.parse("2025-12-10T12:00:00Z") / 1000;
  const keep = 21_600;
  const t = Array.from({ length: keep }, (_, i) => end - keep + 1 + i);
  const cols = [t.map(() => 1), t.map(() => 2), t.map(() => 3)];
  const bucket = end + 365 * 86_400;
  const started = performance.now();
  assert.equal(appendLiveBucket(t, cols, bucket, step, keep), true);
  const ms = performance.now() - started;
  assert.equal(t.length, keep);
  assert.equal(t[t.length - 1], bucket);
  assert.equal(t[0], bucket - keep + 1);
  assert.ok(cols.every((c) => c.length === keep && c.every((v) => v === 0)));
  assert.ok(ms < 250, `took ${ms.toFixed(1)} ms`);
});
