import assert from "node:assert/strict";
import type { EngineSnapshot } from "../../engine/engine_snapshot.ts";
import { enginePipelineProvider, fromEngineSnapshot } from "./engine_pipeline_provider.ts";

const engine: EngineSnapshot = {
  at: Date.UTC(2026, 10, 29, 4, 0, 0),
  deadLetters: { total: 2 },
  actors: [{
    name: "parser",
    path: "/parser",
    state: "running",
    mailbox: { depth: 10, capacity: 4096, whenFull: "block", waitingSenders: 0 },
    messages: { in: 100, out: 95, dropped: 1, failed: 3, deadLettered: 2 },
    restarts: 1,
    processingMs: { count: 95, sum: 47.5, max: 3, p50: 0.4, p90: 1.2, p99: 2.5, buckets: [] },
    custom: { counters: {}, gauges: {} },
  }],
};

Deno.test("fromEngineSnapshot maps actors, counting dead-lettered messages as dropped", () => {
  assert.deepEqual(fromEngineSnapshot(engine), {
    at: "2026-11-29T04:00:00.000Z",
    actors: [{
      name: "/parser",
      state: "running",
      mailboxDepth: 10,
      mailboxCapacity: 4096,
      in: 100,
      out: 95,
      dropped: 3,
      restarts: 1,
      processingMs: { p50: 0.4, p90: 1.2, p99: 2.5 },
    }],
    kafkaLag: [],
    sinks: [],
  });
});

Deno.test("enginePipelineProvider tolerates a failing optional source", async () => {
  const provider = enginePipelineProvider({
    engine: () => engine,
    kafkaLag: () => [{ topic: "t", partition: 0, lag: 5 }],
    sinks: () => {
      throw new Error("sink status unavailable");
    },
  });
  const snap = await provider.snapshot();
  assert.deepEqual(snap.kafkaLag, [{ topic: "t", partition: 0, lag: 5 }]);
  assert.deepEqual(snap.sinks, []);
});

Deno.test("enginePipelineProvider carries what holds delivery back, and nothing when healthy", async () => {
  const reason = "source paused: dead letters cannot be stored: vigil-logs-dlq refuses them (too large)";
  let reasons = [reason];
  const provider = enginePipelineProvider({ engine: () => engine, attention: () => reasons });
  assert.deepEqual((await provider.snapshot()).attention, [reason]);
  reasons = [];
  assert.equal((await provider.snapshot()).attention, undefined);
});
