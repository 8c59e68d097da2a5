/**
 * `ClassifierPool.killWorker`, the fault-drill hook the chaos engine child calls on SIGUSR2: a worker killed while
 * batches are in flight is replaced, its batches are retried, and every event still comes out exactly once, in
 * order (no stack needed).
 */
import assert from "node:assert/strict";
import { ClassifierPool } from "../../actors/classifier_pool.ts";
import type { Sourced } from "../../actors/delivery_record.ts";
import { ActorSystem, Pipeline, silentLogger } from "../../engine/mod.ts";
import { minedLineStream, splitLines } from "../../lib/classification/mined_line_stream.ts";
import type { ClassifiedEvent, MinedEvent } from "../../lib/event/log_event.ts";
import { resolveLogFormat } from "../../lib/parsing/log_format.ts";

const ZOOKEEPER_2K = new URL("../../../shared/loghub/Zookeeper/Zookeeper_2k.log", import.meta.url);

Deno.test("classifier pool: a worker killed mid-stream is replaced and its batches retried — every event once, in order", async () => {
  const lines = splitLines(await Deno.readTextFile(ZOOKEEPER_2K));
  const input: Sourced<MinedEvent>[] = [...minedLineStream(lines, resolveLogFormat("zookeeper"), "Zookeeper")]
    .map((event, i) => ({ event, kafka: { topic: "t", partition: 0, offset: String(i) } }));
  const pool = await ClassifierPool.open({ workers: 1, batchSize: 32, maxInFlight: 8 });
  assert.equal(pool.killWorker(), false, "nothing to kill before the stage starts");
  const got: Sourced<ClassifiedEvent>[] = [];
  let killedWith = -1;
  const system = new ActorSystem({ logger: silentLogger });
  const pipeline = Pipeline.start(system, {
    nodes: {
      src: {
        kind: "source",
        create: () => ({
          async run(out) {
            for (const e of input) await out.send(e);
          },
        }),
      },
      classifier: pool.stage(),
      sink: {
        kind: "sink",
        create: () => ({
          receiveBatch: (xs: Sourced<ClassifiedEvent>[]) => {
            got.push(...xs);
            // Kill the only worker once output flows and more batches are dispatched behind this one.
            if (killedWith < 0 && pool.workerStats.inFlight >= 3) {
              killedWith = pool.workerStats.inFlight;
              assert.equal(pool.killWorker(0), true);
            }
          },
        }),
      },
    },
    edges: [{ from: "src", to: "classifier" }, { from: "classifier", to: "sink" }],
  });
  await pipeline.sourcesDone;
  const report = await pipeline.stop({ deadlineMs: 30_000 });
  assert.ok(report.graceful);
  assert.ok(killedWith > 0, "the kill happened while batches were in flight");
  assert.equal(pool.workerStats.replacements, 1);
  assert.ok(pool.workerStats.retries >= 1, `retried batches: ${pool.workerStats.retries}`);
  assert.equal(got.length, input.length);
  got.forEach((r, i) => assert.equal(r.kafka.offset, String(i)));
  await pool.close();
});
