import assert from "node:assert/strict";
import { oneForOne } from "./one_for_one.ts";
import { RestartStatistics } from "./restart_statistics.ts";

Deno.test("oneForOne restarts up to maxRestarts within the window, then stops", () => {
  const s = oneForOne({ maxRestarts: 2, withinMs: 1000 });
  const stats = new RestartStatistics();
  assert.equal(s.decide(new Error(), stats, 0).directive, "restart");
  assert.equal(s.decide(new Error(), stats, 10).directive, "restart");
  const third = s.decide(new Error(), stats, 20);
  assert.equal(third.directive, "stop");
  assert.match(third.reason!, /restart limit 2 within 1000 ms/);
  // Outside the window the budget is back.
  assert.equal(s.decide(new Error(), stats, 2000).directive, "restart");
});

Deno.test("oneForOne applies its decider and can escalate at the limit", () => {
  const s = oneForOne({
    maxRestarts: 0,
    decider: (e) => e instanceof TypeError ? "resume" : "restart",
    whenLimitExceeded: "escalate",
  });
  const stats = new RestartStatistics();
  assert.equal(s.decide(new TypeError(), stats, 0).directive, "resume");
  assert.equal(s.decide(new Error(), stats, 0).directive, "escalate");
  assert.equal(stats.totalFailures, 2);
  assert.equal(stats.totalRestarts, 0);
});

Deno.test("oneForOne validates its options", () => {
  assert.throws(
    () => oneForOne({ maxRestarts: -1 }),
    /maxRestarts must be a non-negative integer: current value is -1/,
  );
  assert.throws(() => oneForOne({ withinMs: 0 }), /withinMs must be a positive number: current value is 0/);
});
