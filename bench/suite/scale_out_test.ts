import assert from "node:assert/strict";
import { assignmentSettled, checkTier, engineCost } from "./scale_out.ts";

Deno.test("assignmentSettled: every member owns some, none twice, all owned", () => {
  assert.equal(assignmentSettled([[0, 1], [2, 3]], 4), true);
  assert.equal(assignmentSettled([[0, 1, 2, 3]], 4), true);
  assert.equal(assignmentSettled([[0, 1, 2, 3], []], 4), false, "the second member has nothing yet");
  assert.equal(assignmentSettled([[0, 1, 2], [2, 3]], 4), false, "partition 2 has two owners mid-rebalance");
  assert.equal(assignmentSettled([[0], [2, 3]], 4), false, "partition 1 unowned");
});

Deno.test("engineCost: CPU seconds per 1,000 events delivered in the window; NaN when none", () => {
  assert.deepEqual(engineCost({ cpuMs: 1000, done: 200 }, { cpuMs: 3000, done: 10_200 }), {
    events: 10_000,
    cpuSeconds: 2,
    cpuPerThousand: 0.2,
  });
  assert.ok(Number.isNaN(engineCost({ cpuMs: 0, done: 5 }, { cpuMs: 40, done: 5 }).cpuPerThousand));
});

Deno.test("checkTier counts measured ids present once, missing, and extra copies", () => {
  const byId = new Map([["a", 1], ["b", 3], ["warm-1", 2]]);
  assert.deepEqual(checkTier({ total: 6, byId }, ["a", "b", "c"]), { once: 2, missing: 1, duplicates: 2 });
});
