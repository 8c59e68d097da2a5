import assert from "node:assert/strict";
import { Histogram } from "./histogram.ts";

Deno.test("Histogram counts, sums and estimates quantiles inside buckets", () => {
  const h = new Histogram([1, 2, 4]);
  for (let i = 0; i < 90; i++) h.observe(0.5);
  h.observe(3, 10);
  const s = h.snapshot();
  assert.equal(s.count, 100);
  assert.equal(s.sum, 45 + 30);
  assert.equal(s.max, 3);
  assert.ok(s.p50 > 0 && s.p50 <= 1, `p50 ${s.p50}`);
  assert.ok(s.p99 > 2 && s.p99 <= 3, `p99 ${s.p99}`);
  assert.deepEqual(s.buckets.map((b) => b.count), [90, 90, 100, 100]);
  assert.equal(s.buckets[3].le, Infinity);
  assert.equal(new Histogram().quantile(0.5), 0);
});

Deno.test("Histogram rejects unsorted bounds", () => {
  assert.throws(() => new Histogram([2, 1]), /strictly increasing: current value is \[2,1\]/);
});
