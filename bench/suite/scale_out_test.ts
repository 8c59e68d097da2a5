import assert from "node:assert/strict";
import { assignmentSettled, checkTier, engineCost, type ScaleOutResult } from "./scale_out.ts";
import { renderScaleOut } from "./scale_out_report.ts";

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

Deno.test("renderScaleOut: per-engine rows, the summary and each repeat's 2 ÷ 1 ratio", () => {
  const run = (repeat: number, engines: number, eps: number, costs: number[]): ScaleOutResult => ({
    repeat,
    engines,
    events: 1000,
    completed: true,
    eventsPerSecond: eps,
    perEngine: costs.map((c, i) => ({
      cpu: i,
      partitions: [i],
      events: 1000 / engines,
      cpuSeconds: c * engines,
      cpuPerThousand: c,
    })),
    redelivered: 0,
    services: { opensearch: 0.1 },
    hot: { once: 1000, missing: 0, duplicates: 0 },
    cold: { once: 999, missing: 1, duplicates: 0 },
    load: [1, 1],
  });
  const md = renderScaleOut({
    startedAt: "t",
    cpus: 2,
    events: 1000,
    partitions: 4,
    quota: 0.2,
    runs: [
      run(0, 1, 100, [0.1]),
      run(0, 2, 190, [0.1, 0.12]),
      run(1, 2, 200, [0.1, 0.1]),
      run(1, 1, 110, [0.12]),
    ],
  });
  assert.match(md, /capped at 0\.2 of it/);
  assert.match(md, /\| 1000 once \| 999 once, 1 missing, 0 dup\. \|/);
  assert.match(md, /Events\/s, 2 ÷ 1 engine\(s\), per repeat: 1\.90, 1\.82\./);
  // Medians (nearest rank): events/s 100 and 190; CPU per 1,000 per engine 0.100 for both counts.
  assert.match(md, /\| 2 \| 2 \| 190 \(190–200\) \| 1\.90 \| 0\.100 \(0\.100–0\.120\) \| 1\.00 \|/);
});
