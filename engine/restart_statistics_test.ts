import assert from "node:assert/strict";
import { RestartStatistics } from "./restart_statistics.ts";

Deno.test("RestartStatistics counts restarts within a window (table)", () => {
  const cases: { restarts: number[]; withinMs: number; now: number; expected: number }[] = [
    { restarts: [], withinMs: 1000, now: 0, expected: 0 },
    { restarts: [0, 100, 200], withinMs: 1000, now: 500, expected: 3 },
    { restarts: [0, 100, 200], withinMs: 150, now: 200, expected: 2 },
    { restarts: [0, 100, 200], withinMs: 100, now: 300, expected: 0 },
    { restarts: [0, 1000, 2000, 3000], withinMs: 1001, now: 3000, expected: 2 },
  ];
  for (const c of cases) {
    const s = new RestartStatistics();
    for (const t of c.restarts) s.recordRestart(t);
    assert.equal(s.restartsWithin(c.withinMs, c.now), c.expected, JSON.stringify(c));
    assert.equal(s.totalRestarts, c.restarts.length);
  }
});

Deno.test("RestartStatistics keeps at most maxTracked times and resets the consecutive count", () => {
  const s = new RestartStatistics(2);
  for (let t = 0; t < 5; t++) s.recordRestart(t);
  assert.equal(s.restartsWithin(100, 4), 2);
  assert.equal(s.consecutiveRestarts, 5);
  s.reset();
  assert.equal(s.consecutiveRestarts, 0);
  assert.equal(s.totalRestarts, 5);
  assert.throws(() => new RestartStatistics(0), /maxTracked must be a positive integer: current value is 0/);
});
