/**
 * Classifier added latency at a steady 5 000 events/s for 4 s: the time from sending a mined event into the
 * classifier pool stage (2 Web Workers, onnxruntime-web) until its classified event reaches the next actor.
 * Goal (issue 5): p99 ≤ 20 ms. Baseline in the same run: the same pacing through an in-thread stage that only
 * computes features (what the pool adds on top is the worker round trip and inference).
 *
 * Run: `deno bench -A bench/classifier_latency_bench.ts` (prints the percentiles; each bench runs once).
 *
 * @module
 */
import { ClassifierPool } from "../actors/classifier_pool.ts";
import type { Sourced } from "../actors/delivery_record.ts";
import { ActorSystem, silentLogger } from "../engine/mod.ts";
import { Classifier } from "../lib/classification/classifier.ts";
import { minedLineStream } from "../lib/classification/mined_line_stream.ts";
import { loadModelBundle } from "../lib/classification/model_bundle.ts";
import type { MinedEvent } from "../lib/event/log_event.ts";
import { resolveLogFormat } from "../lib/parsing/log_format.ts";
import { SyntheticWindowsSource } from "../lib/producer/synthetic_windows.ts";

const RATE = 5_000;
const SECONDS = 4;
const TICK_MS = 2;

const gen = new SyntheticWindowsSource({ seed: 9, rate: 200 });
const lines = Array.from({ length: RATE * SECONDS }, () => gen.next().line);
const events = [...minedLineStream(lines, resolveLogFormat("windows"), "latency")];

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function measure(
  kind: "pool" | "features",
): Promise<{ p50: number; p99: number; max: number; n: number }> {
  const system = new ActorSystem({ logger: silentLogger });
  const sentAt = new Float64Array(events.length);
  const latencies: number[] = [];
  let finished: () => void = () => {};
  const done = new Promise<void>((r) => finished = r);
  const sink = system.spawn<Sourced<{ lineNo: number }>>({
    name: "sink",
    batchSize: 256,
    mailbox: { capacity: 65_536 },
    create: () => ({
      receiveBatch(xs) {
        const now = performance.now();
        for (const x of xs) latencies.push(now - sentAt[x.event.lineNo - 1]);
        if (latencies.length >= events.length) finished();
      },
    }),
  });
  let stageRef;
  if (kind === "pool") {
    const pool = await ClassifierPool.open({ workers: 2 });
    const stage = pool.stage();
    stageRef = system.spawn<Sourced<MinedEvent>>({
      name: "classifier",
      batchSize: 256,
      mailbox: { capacity: 65_536 },
      create: (ctx) => stage.create(sink, ctx),
    });
  } else {
    const classifier = new Classifier({ meta: (await loadModelBundle()).meta });
    stageRef = system.spawn<Sourced<MinedEvent>>({
      name: "features",
      batchSize: 256,
      mailbox: { capacity: 65_536 },
      create: () => ({
        receiveBatch(xs) {
          classifier.prepare(xs.map((x) => x.event));
          for (const x of xs) sink.trySend(x);
        },
      }),
    });
  }
  const kafka = { topic: "l", partition: 0, offset: "0" };
  if (kind === "pool") {
    // Warm-up, not measured: enough batches at once that every worker loads the runtime and the model.
    for (let i = 0; i < 4096; i++) {
      stageRef.trySend({ event: { ...events[i % events.length], lineNo: 1 }, kafka });
    }
    await new Promise((r) => setTimeout(r, 3000));
    latencies.length = 0;
  }
  const start = performance.now();
  let next = 0;
  while (next < events.length) {
    const due = Math.min(events.length, Math.floor(((performance.now() - start) / 1000) * RATE));
    for (; next < due; next++) {
      sentAt[next] = performance.now();
      if (!stageRef.trySend({ event: events[next], kafka })) {
        await stageRef.send({ event: events[next], kafka });
      }
    }
    await new Promise((r) => setTimeout(r, TICK_MS));
  }
  await done;
  await system.shutdown({ deadlineMs: 2_000 });
  latencies.sort((a, b) => a - b);
  return {
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies[latencies.length - 1],
    n: latencies.length,
  };
}

Deno.bench({
  name: "features only, in-thread stage, 5k events/s",
  group: "classifier-latency",
  baseline: true,
  n: 1,
  warmup: 0,
  async fn() {
    console.log("features", await measure("features"));
  },
});

Deno.bench({
  name: "classifier pool (2 workers, onnxruntime-web), 5k events/s",
  group: "classifier-latency",
  n: 1,
  warmup: 0,
  async fn() {
    console.log("pool", await measure("pool"));
  },
});
