import assert from "node:assert/strict";
import { backoffDelay } from "./backoff_delay.ts";

Deno.test("backoffDelay grows by the multiplier from initialMs and caps at maxMs (table, no jitter)", () => {
  const cases: [number, number][] = [[0, 100], [1, 200], [2, 400], [3, 800], [4, 1000], [60, 1000], [
    1e9,
    1000,
  ]];
  for (const [attempt, expected] of cases) {
    assert.equal(
      backoffDelay(attempt, { initialMs: 100, maxMs: 1000, jitter: 0 }),
      expected,
      `attempt ${attempt}`,
    );
  }
  assert.equal(backoffDelay(2, { initialMs: 100, maxMs: 10_000, multiplier: 3, jitter: 0 }), 900);
  assert.equal(
    backoffDelay(5, { initialMs: 30, maxMs: 30, multiplier: 1, jitter: 0 }),
    30,
    "a fixed interval",
  );
});

Deno.test("backoffDelay: full jitter spans [0, d], partial jitter [(1 − jitter)·d, d]", () => {
  const d = { initialMs: 100, maxMs: 10_000 };
  assert.equal(backoffDelay(3, { ...d, random: () => 0 }), 0);
  assert.equal(backoffDelay(3, { ...d, random: () => 0.5 }), 400);
  assert.equal(backoffDelay(3, { ...d, random: () => 0.999999 }), 799);
  assert.equal(backoffDelay(3, { ...d, jitter: 0.25, random: () => 0 }), 600);
  assert.equal(backoffDelay(3, { ...d, jitter: 0.25, random: () => 0.999999 }), 799);
  // With the real random source every delay stays inside the range.
  for (let i = 0; i < 1000; i++) {
    const full = backoffDelay(2, d);
    assert.ok(full >= 0 && full <= 400, `full jitter ${full}`);
    const part = backoffDelay(2, { ...d, jitter: 0.5 });
    assert.ok(part >= 200 && part <= 400, `half jitter ${part}`);
  }
});
