import assert from "node:assert/strict";
import { restartWithBackoff } from "./restart_with_backoff.ts";
import { RestartStatistics } from "./restart_statistics.ts";

Deno.test("restartWithBackoff doubles from min and caps at max (table, no jitter)", () => {
  const s = restartWithBackoff({ minBackoffMs: 100, maxBackoffMs: 1000, randomFactor: 0 });
  const stats = new RestartStatistics();
  const delays = [0, 1, 2, 3, 4, 5].map((t) => s.decide(new Error(), stats, t).delayMs);
  assert.deepEqual(delays, [100, 200, 400, 800, 1000, 1000]);
});

Deno.test("restartWithBackoff grows delays, adds jitter, resets after a quiet period", () => {
  const s = restartWithBackoff({
    minBackoffMs: 100,
    maxBackoffMs: 1000,
    randomFactor: 0.5,
    resetAfterMs: 5000,
    random: () => 1,
  });
  const stats = new RestartStatistics();
  assert.deepEqual([0, 1, 2].map((t) => s.decide(new Error(), stats, t).delayMs), [150, 300, 600]);
  // 5 s without failure: back to the minimum.
  assert.equal(s.decide(new Error(), stats, 5002).delayMs, 150);
});

Deno.test("restartWithBackoff stops after maxRestarts consecutive restarts and honours the decider", () => {
  const s = restartWithBackoff({
    maxRestarts: 2,
    randomFactor: 0,
    decider: (e) => e === "fatal" ? "escalate" : "restart",
  });
  const stats = new RestartStatistics();
  assert.equal(s.decide("x", stats, 0).directive, "restart");
  assert.equal(s.decide("x", stats, 1).directive, "restart");
  assert.equal(s.decide("x", stats, 2).directive, "stop");
  assert.equal(s.decide("fatal", stats, 3).directive, "escalate");
});

Deno.test("restartWithBackoff validates its options", () => {
  assert.throws(
    () => restartWithBackoff({ minBackoffMs: 0 }),
    /minBackoffMs must be a positive number: current value is 0/,
  );
  assert.throws(
    () => restartWithBackoff({ minBackoffMs: 10, maxBackoffMs: 5 }),
    /maxBackoffMs must be ≥ minBackoffMs: current value is 5/,
  );
  assert.throws(
    () => restartWithBackoff({ randomFactor: 2 }),
    /randomFactor must be in \[0, 1\]: current value is 2/,
  );
});
