import assert from "node:assert/strict";
import {
  ActorSystem,
  type DeadLetter,
  silentLogger,
  workerPool,
  type WorkerPoolActor,
  type WorkerPoolOptions,
} from "../../engine/mod.ts";

const WORKER = new URL("./fixtures/echo_worker.ts", import.meta.url);
type Fault = "throw" | "uncaught" | "close" | "hang";

/** Runs `count` numbers through a 2-worker pool; `faults` maps a batch's first item to a fault injected once. */
async function runPool(
  count: number,
  faults: Map<number, Fault>,
  extra: Partial<WorkerPoolOptions<number, number>> = {},
  always = false,
) {
  const system = new ActorSystem({ logger: silentLogger });
  const dead: DeadLetter[] = [];
  system.deadLetters.subscribe((l) => dead.push(l));
  const results: number[] = [];
  let pool!: WorkerPoolActor<number>;
  const ref = system.spawn<number>({
    name: "pool",
    batchSize: 32,
    mailbox: { capacity: 256 },
    create: (ctx) =>
      pool = workerPool<number, number>(ctx, {
        url: WORKER,
        workers: 2,
        maxInFlight: 4,
        batchTimeoutMs: 2_000,
        encode: (items) => {
          const fault = faults.get(items[0]);
          if (fault !== undefined && !always) faults.delete(items[0]);
          return { payload: { items, fault } };
        },
        onResults: (r) => void results.push(...r),
        ...extra,
      }),
  });
  for (let i = 0; i < count; i++) if (!ref.trySend(i)) await ref.send(i);
  await system.drain(ref);
  return { results, dead, stats: pool.stats };
}

const doubled = (n: number, skip: (i: number) => boolean = () => false) =>
  [...Array(n).keys()].filter((i) => !skip(i)).map((i) => i * 2);

Deno.test("worker pool: every message round-trips exactly once, in input order", async () => {
  const { results, dead, stats } = await runPool(5_000, new Map());
  assert.deepEqual(results, doubled(5_000));
  assert.equal(dead.length, 0);
  assert.equal(stats.inFlight, 0);
});

Deno.test("worker pool: a handler that throws once is retried; nothing lost or duplicated", async () => {
  const { results, dead, stats } = await runPool(1_000, new Map([[64, "throw"]]));
  assert.deepEqual(results, doubled(1_000));
  assert.equal(dead.length, 0);
  assert.equal(stats.retries, 1);
  assert.equal(stats.replacements, 0);
});

Deno.test("worker pool: a worker that dies mid-batch is replaced and its batch retried", async () => {
  const { results, dead, stats } = await runPool(1_000, new Map([[96, "uncaught"]]));
  assert.deepEqual(results, doubled(1_000));
  assert.equal(dead.length, 0);
  assert.equal(stats.replacements, 1);
  assert.ok(stats.retries >= 1);
});

Deno.test("worker pool: a worker that terminates itself mid-batch is detected by timeout and replaced", async () => {
  const { results, dead, stats } = await runPool(500, new Map([[32, "close"]]), { batchTimeoutMs: 300 });
  assert.deepEqual(results, doubled(500));
  assert.equal(dead.length, 0);
  assert.equal(stats.replacements, 1);
});

Deno.test("worker pool: a batch failing twice goes to dead letters, the others still arrive in order", async () => {
  const { results, dead, stats } = await runPool(256, new Map([[64, "throw"]]), {}, true);
  assert.deepEqual(results, doubled(256, (i) => i >= 64 && i < 96));
  assert.deepEqual(dead.map((d) => d.message), [...Array(32).keys()].map((i) => 64 + i));
  assert.equal(dead[0].reason, "failed");
  assert.equal(stats.retries, 1);
});

Deno.test("worker pool: killWorker mid-run loses and duplicates nothing", async () => {
  const system = new ActorSystem({ logger: silentLogger });
  const results: number[] = [];
  let pool!: WorkerPoolActor<number>;
  const ref = system.spawn<number>({
    name: "pool",
    batchSize: 16,
    create: (ctx) =>
      pool = workerPool<number, number>(ctx, {
        url: WORKER,
        workers: 2,
        encode: (items) => ({ payload: { items } }),
        onResults: (r) => void results.push(...r),
      }),
  });
  for (let i = 0; i < 2_000; i++) {
    if (!ref.trySend(i)) await ref.send(i);
    if (i === 500) pool.killWorker(0);
  }
  await system.drain(ref);
  assert.deepEqual(results, doubled(2_000));
  assert.equal(pool.stats.replacements, 1);
});

Deno.test("worker pool validates its options", () => {
  const ctx = { deadLetter() {}, fail() {}, log: silentLogger, metrics: { count() {}, gauge() {} } } as never;
  assert.throws(
    () => workerPool(ctx, { url: WORKER, workers: 0, onResults() {} }),
    /workers must be a positive integer: current value is 0/,
  );
  assert.throws(
    () => workerPool(ctx, { url: WORKER, maxInFlight: 0, onResults() {} }),
    /maxInFlight must be a positive integer: current value is 0/,
  );
});

Deno.test("worker pool: a module that cannot load fails the actor instead of looping; nothing is lost silently", async () => {
  const { oneForOne } = await import("../../engine/mod.ts");
  const system = new ActorSystem({ logger: silentLogger });
  const dead: DeadLetter[] = [];
  system.deadLetters.subscribe((l) => dead.push(l));
  const ref = system.spawn<number>({
    name: "pool",
    batchSize: 4,
    supervisor: oneForOne({ maxRestarts: 0 }),
    create: (ctx) =>
      workerPool<number, number>(ctx, {
        url: new URL("./fixtures/broken_worker.ts", import.meta.url),
        workers: 1,
        onResults() {},
      }),
  });
  for (let i = 0; i < 8; i++) ref.trySend(i);
  await ref.stopped;
  assert.equal(ref.state, "failed");
  assert.deepEqual(dead.map((d) => d.message).sort((a, b) => (a as number) - (b as number)), [
    0,
    1,
    2,
    3,
    4,
    5,
    6,
    7,
  ]);
});
