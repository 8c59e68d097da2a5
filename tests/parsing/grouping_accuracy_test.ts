/**
 * CI gate: Loghub grouping accuracy of vigil's parser, with default options (no per-system tuning), must be at
 * or above Drain's published figure on each of the 8 shared systems. Reads `<repo>/../shared/loghub`.
 */
import assert from "node:assert/strict";
import { DRAIN_GA, GA_SYSTEMS, groupingAccuracy, scoreSystem } from "../../testing/grouping_accuracy.ts";

Deno.test("groupingAccuracy: exact-set rule", () => {
  assert.equal(groupingAccuracy(["a", "a", "b", "c"], ["x", "x", "y", "y"]), 0.5);
  assert.equal(groupingAccuracy(["a", "a", "a"], ["x", "x", "y"]), 0);
  assert.equal(groupingAccuracy(["p", "q"], ["x", "y"]), 1);
  assert.throws(() => groupingAccuracy(["a"], []), RangeError);
});

Deno.test("grouping accuracy ≥ Drain on every shared Loghub system, and ≥ 0.97 on average", async () => {
  const table: string[] = [];
  let sum = 0;
  const below: string[] = [];
  for (const system of GA_SYSTEMS) {
    const { ga, lines, templates } = await scoreSystem(system);
    assert.equal(lines, 2000, `${system}: every line must give exactly one event`);
    sum += ga;
    table.push(
      `${system.padEnd(10)} GA ${ga.toFixed(4)} (Drain ${
        DRAIN_GA[system].toFixed(3)
      }) ${templates} templates`,
    );
    if (ga < DRAIN_GA[system]) below.push(`${system} ${ga.toFixed(4)} < ${DRAIN_GA[system]}`);
  }
  const avg = sum / GA_SYSTEMS.length;
  console.log(table.join("\n") + `\naverage GA ${avg.toFixed(4)}`);
  assert.deepEqual(below, [], `below Drain: ${below.join(", ")}`);
  assert.ok(avg >= 0.97, `average GA ${avg.toFixed(4)} < 0.97`);
});
