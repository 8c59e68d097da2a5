import assert from "node:assert/strict";
import { fmtSpread, latencySummary, quantile, spread } from "./stats.ts";

Deno.test("quantile: nearest rank", () => {
  const s = Array.from({ length: 100 }, (_, i) => i + 1);
  assert.equal(quantile(s, 0.5), 50);
  assert.equal(quantile(s, 0.99), 99);
  assert.equal(quantile(s, 1), 100);
  assert.ok(Number.isNaN(quantile([], 0.5)));
});

Deno.test("spread ignores NaN and orders", () => {
  assert.deepEqual(spread([3, NaN, 1, 2]), { min: 1, median: 2, max: 3, n: 3 });
  assert.equal(fmtSpread(spread([1000, 3000, 2000])), "2,000 (1,000–3,000)");
  assert.equal(fmtSpread(spread([])), "—");
});

Deno.test("latencySummary", () => {
  const l = latencySummary([5, 1, 4, 2, 3]);
  assert.equal(l.p50, 3);
  assert.equal(l.max, 5);
  assert.equal(l.n, 5);
});
