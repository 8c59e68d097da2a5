/**
 * Classifier throughput: events/s through the classifier pool stage (2 Web Workers, onnxruntime-web WASM, one
 * thread each; batches of 256; features + inference + incident detection), beside the same work in the
 * main thread with onnxruntime-node as the reference, and features alone as the baseline — all in one run on
 * the same 50k mined synthetic Windows events. Run: `deno bench -A bench/classifier_pool_bench.ts`.
 *
 * @module
 */
import * as ortNode from "onnxruntime-node";
import { ClassifierPool } from "../actors/classifier_pool.ts";
import type { Sourced } from "../actors/delivery_record.ts";
import { ActorSystem, silentLogger } from "../engine/mod.ts";
import { Classifier } from "../lib/classification/classifier.ts";
import { IncidentDetection } from "../lib/incidents/incident_detection.ts";
import { judgePrepared } from "../lib/incidents/judge_events.ts";
import { loadModelBundle } from "../lib/classification/model_bundle.ts";
import { minedLineStream } from "../lib/classification/mined_line_stream.ts";
import { OnnxScorer, type OrtModule } from "../lib/classification/onnx_scorer.ts";
import type { ClassifiedEvent, MinedEvent } from "../lib/event/log_event.ts";
import { resolveLogFormat } from "../lib/parsing/log_format.ts";
import { SyntheticWindowsSource } from "../lib/producer/synthetic_windows.ts";

const N = 50_000;
const BATCH = 256;

const gen = new SyntheticWindowsSource({ seed: 5, rate: 200 });
const lines = Array.from({ length: N }, () => gen.next().line);
const events: Sourced<MinedEvent>[] = [...minedLineStream(lines, resolveLogFormat("windows"), "bench")].map((
  event,
  i,
) => ({ event, kafka: { topic: "b", partition: 0, offset: String(i) } }));
const plain = events.map((s) => s.event);

let count = 0;
let target = 0;
let wake: (() => void) | undefined;
const system = new ActorSystem({ logger: silentLogger });
const sink = system.spawn<Sourced<ClassifiedEvent>>({
  name: "sink",
  batchSize: BATCH,
  mailbox: { capacity: 8192 },
  create: () => ({
    receiveBatch(xs) {
      count += xs.length;
      if (count >= target && wake) {
        const w = wake;
        wake = undefined;
        w();
      }
    },
  }),
});
const pool = await ClassifierPool.open({ workers: 2, batchSize: BATCH });
const stage = pool.stage();
const poolRef = system.spawn<Sourced<MinedEvent>>({
  name: "classifier",
  batchSize: BATCH,
  mailbox: { capacity: 8192 },
  create: (ctx) => stage.create(sink, ctx),
});

async function drivePool(): Promise<void> {
  target = count + N;
  const done = new Promise<void>((r) => wake = r);
  for (const e of events) if (!poolRef.trySend(e)) await poolRef.send(e);
  await done;
}

const bundle = await loadModelBundle();
const nodeScorer = await OnnxScorer.create(ortNode as unknown as OrtModule, bundle.onnx, bundle.meta);
const nodeClassifier = new Classifier({ meta: bundle.meta });
const nodeDetection = new IncidentDetection();
const featuresOnly = new Classifier({ meta: bundle.meta });

await drivePool(); // warm up: workers load the WASM runtime and the model

Deno.bench({
  name: "features only, main thread (50k events, batches of 256)",
  group: "classifier",
  baseline: true,
  fn() {
    for (let i = 0; i < N; i += BATCH) featuresOnly.prepare(plain.slice(i, i + BATCH));
  },
});

Deno.bench({
  name: "classifier pool: 2 workers × onnxruntime-web WASM, batches of 256 (50k events)",
  group: "classifier",
  async fn() {
    await drivePool();
  },
});

Deno.bench({
  name: "reference: main thread, onnxruntime-node, batches of 256 (50k events)",
  group: "classifier",
  async fn() {
    for (let i = 0; i < N; i += BATCH) {
      const batch = plain.slice(i, i + BATCH);
      const p = nodeClassifier.prepare(batch);
      const scores = await nodeScorer.score(p.features, p.rows);
      for (let j = 0; j < batch.length; j++) {
        judgePrepared(nodeDetection, bundle.meta.modelVersion, batch[j], p, j, scores[j]);
      }
      nodeDetection.drainChanged(); // as the pool does: changed incidents must not pile up
    }
  },
});

globalThis.addEventListener("unload", () => {
  void system.shutdown({ deadlineMs: 1_000 });
});
