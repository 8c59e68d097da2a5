/**
 * Worker-pool round trip: messages/s through a pool of 2 Web Workers with batches of 256 (structured clone
 * both ways included), next to the same work done in-thread by one batch actor. Each iteration moves N
 * messages end to end. A third case shows the same pool with a compact encoding (one string in, one
 * transferred Float64Array out) — what `encode`/`decode` are for. Run: `deno bench -A bench/engine_worker_pool_bench.ts`.
 *
 * @module
 */
import { ActorSystem, sendAll, silentLogger, workerPool } from "../engine/mod.ts";
import { hashKey, LINES, makeCounter, parse, score, type Scored } from "./engine_bench_functions.ts";

const N = 50_000;
const BATCH = 256;

const system = new ActorSystem({ logger: silentLogger });
const poolDone = makeCounter();
const inThreadDone = makeCounter();
const poolSink = system.spawn<Scored>({
  name: "pool-sink",
  batchSize: BATCH,
  mailbox: { capacity: 4096 },
  create: () => ({ receiveBatch: (xs) => poolDone.add(xs.length) }),
});
const pool = system.spawn<string>({
  name: "pool",
  batchSize: BATCH,
  mailbox: { capacity: 4096 },
  create: (ctx) =>
    workerPool<string, Scored>(ctx, {
      url: new URL("./engine_bench_worker.ts", import.meta.url),
      workers: 2,
      onResults: (results) => sendAll(poolSink, results),
    }),
});
const packedDone = makeCounter();
const packedSink = system.spawn<number>({
  name: "packed-sink",
  batchSize: BATCH,
  mailbox: { capacity: 4096 },
  create: () => ({ receiveBatch: (xs) => packedDone.add(xs.length) }),
});
const packed = system.spawn<string>({
  name: "pool-packed",
  batchSize: BATCH,
  mailbox: { capacity: 4096 },
  create: (ctx) =>
    workerPool<string, number>(ctx, {
      url: new URL("./engine_bench_worker.ts", import.meta.url),
      workers: 2,
      encode: (lines) => ({ payload: lines.join("\n") }),
      decode: (scores) => Array.from(scores as Float64Array),
      onResults: (results) => sendAll(packedSink, results),
    }),
});
const inThread = system.spawn<string>({
  name: "in-thread",
  batchSize: BATCH,
  mailbox: { capacity: 4096 },
  create: () => ({
    receiveBatch: (lines) => {
      const out = lines.map((l) => score(hashKey(parse(l))));
      inThreadDone.add(out.length);
    },
  }),
});

async function drive(ref: typeof pool, done: ReturnType<typeof makeCounter>) {
  const finished = done.until(N);
  for (let i = 0; i < N; i++) {
    const line = LINES[i & 1023];
    if (!ref.trySend(line)) await ref.send(line);
  }
  await finished;
}

// Let the workers load before measuring.
await drive(pool, poolDone);
await drive(packed, packedDone);

Deno.bench({
  name: "in-thread batch actor: parse → hashKey → score (50k msgs)",
  group: "engine-worker-pool",
  baseline: true,
  async fn() {
    await drive(inThread, inThreadDone);
  },
});

Deno.bench({
  name: "worker pool, 2 workers, batch 256, round trip (50k msgs)",
  group: "engine-worker-pool",
  async fn() {
    await drive(pool, poolDone);
    await drive(packed, packedDone);
  },
});

Deno.bench({
  name: "worker pool, packed: lines joined, scores as transferred Float64Array (50k msgs)",
  group: "engine-worker-pool",
  async fn() {
    await drive(packed, packedDone);
  },
});

globalThis.addEventListener("unload", () => {
  void system.shutdown({ deadlineMs: 1_000 });
});
