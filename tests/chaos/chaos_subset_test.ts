/**
 * The CI subset of `deno task chaos` (bench/chaos/), against the real local stack: a classifier worker killed
 * mid-run, and a garbage model file on restart. Each produces events with known ids and must end with every
 * id exactly once in both tiers. (The broker restart, 429 and outage scenarios take minutes: `deno task chaos`.)
 */
import assert from "node:assert/strict";
import { type ChaosResult, runChaosScenario } from "../../bench/chaos/chaos_harness.ts";
import { garbageModelScenario, workerKillScenario } from "../../bench/chaos/chaos_scenarios.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const runId = `ci${Date.now().toString(36)}`;

function assertExact(r: ChaosResult): void {
  const summary = JSON.stringify({ ...r, notes: undefined }) + `\nnotes: ${r.notes.join("; ")}`;
  assert.equal(r.error, undefined, summary);
  assert.ok(r.produced > 0, summary);
  assert.equal(r.hotUnique, r.produced, summary);
  assert.equal(r.hotDuplicates, 0, summary);
  assert.equal(r.coldRows, r.produced, summary);
  assert.equal(r.coldDuplicates, 0, summary);
  assert.equal(r.lost, 0, summary);
  assert.equal(r.verdict, "PASS", summary);
}

Deno.test({
  ...opts,
  name: "chaos: a classifier worker killed mid-run is replaced, its batch retried — 0 lost, 0 duplicated",
  fn: async () => {
    const r = await runChaosScenario(runId, workerKillScenario(1), 90_000);
    assertExact(r);
    assert.ok(r.observed["workers replaced"] >= 1, JSON.stringify(r.observed));
    assert.ok(r.observed["batches retried"] >= 1, JSON.stringify(r.observed));
  },
});

Deno.test({
  ...opts,
  name:
    "chaos: a garbage model on restart is refused (exit ≠ 0, file and feature spec named, nothing committed); the good model catches up exactly",
  fn: async () => {
    const r = await runChaosScenario(runId, garbageModelScenario(), 90_000);
    assertExact(r);
    assert.notEqual(r.observed["refused exit code"], 0);
    assert.ok(r.notes.some((n) => n.includes("committed offsets unchanged")), r.notes.join("; "));
  },
});
