/**
 * The worker pool's in-flight bookkeeping under worker death, deterministically: fake workers
 * (`fake_pool_worker.ts`) driven step by step and fake time, so a worker can die at each step of a batch's life
 * — queued, dispatched before the worker is ready, being scored, scored with the reply in transit, replied and
 * being handed on — and again during the retry. Real Web Workers are exercised in tests/engine/worker_pool_test.ts.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { ActorMetrics } from "./actor_metrics.ts";
import { FakeClock, flushMicrotasks } from "./fake_clock.ts";
import { FakePoolWorker } from "./fake_pool_worker.ts";
import { silentLogger } from "./logger.ts";
import { workerPool, type WorkerPoolActor, type WorkerPoolOptions } from "./worker_pool.ts";

const TIMEOUT_MS = 1_000;

interface Harness {
  pool: WorkerPoolActor<number>;
  clock: FakeClock;
  /** Every worker started, in order. */
  all: FakePoolWorker[];
  /** The current worker of each slot. */
  slot: FakePoolWorker[];
  emitted: number[];
  dead: { message: number; reason: string }[];
  failures: unknown[];
  /** Sink calls not yet acknowledged (when the sink is asynchronous). */
  sinkWaiting: (() => void)[];
  /** Items the pool accepted (receiveBatch did not throw). */
  accepted: number[];
  /** A receiveBatch still waiting for room, like the actor cell's awaited handler. */
  waiting: Promise<void> | undefined;
  submit(batch: number[]): void;
}

function harness(
  workers: number,
  extra: Partial<WorkerPoolOptions<number, number>> & { asyncSink?: boolean; spawnLimit?: number } = {},
): Harness {
  const clock = new FakeClock();
  const h: Harness = {
    pool: undefined as unknown as WorkerPoolActor<number>,
    clock,
    all: [],
    slot: [],
    emitted: [],
    dead: [],
    failures: [],
    sinkWaiting: [],
    accepted: [],
    waiting: undefined,
    submit(batch) {
      assert.equal(h.waiting, undefined, "the cell hands over one batch at a time");
      let r: void | Promise<void>;
      try {
        r = h.pool.receiveBatch!(batch);
      } catch {
        return; // refused: still the caller's (the cell re-delivers it to the next instance)
      }
      h.accepted.push(...batch);
      if (r instanceof Promise) h.waiting = r.then(() => void (h.waiting = undefined));
    },
  };
  const ctx = {
    deadLetter: (message: unknown, reason: string) =>
      void h.dead.push({ message: message as number, reason }),
    fail: (e: unknown) => void h.failures.push(e),
    log: silentLogger,
    metrics: new ActorMetrics(),
  };
  const { asyncSink, spawnLimit = Infinity, ...options } = extra;
  h.pool = workerPool<number, number>(ctx, {
    url: "fake:worker",
    workers,
    maxInFlight: 4,
    batchTimeoutMs: TIMEOUT_MS,
    clock,
    createWorker: (_url, _options, index) => {
      if (h.all.length >= spawnLimit) throw new Error("no more workers");
      const w = new FakePoolWorker(index);
      h.all.push(w);
      h.slot[index] = w;
      return w;
    },
    onResults: (results) => {
      h.emitted.push(...results);
      if (asyncSink) return new Promise<void>((resolve) => h.sinkWaiting.push(resolve));
    },
    ...options,
  });
  return h;
}

/** Lets the pool react (its emit loop and microtasks). */
const settle = () => flushMicrotasks();

/** Runs every worker to completion (ready, score, deliver; sinks acknowledge) until nothing is in flight. */
async function finish(h: Harness): Promise<void> {
  for (let round = 0; round < 200; round++) {
    for (const resolve of h.sinkWaiting.splice(0)) resolve();
    for (const w of h.slot) {
      w.ready();
      while (w.score());
      w.deliverAll();
    }
    await settle();
    if (h.pool.stats.inFlight === 0 && h.waiting === undefined && h.sinkWaiting.length === 0) return;
  }
}

/** Every accepted item was emitted once (in order) or dead-lettered once; nothing is left in flight. */
function assertAccounted(h: Harness): void {
  const emitted = new Map<number, number>();
  for (const x of h.emitted) emitted.set(x, (emitted.get(x) ?? 0) + 1);
  const dead = new Map<number, number>();
  for (const d of h.dead) dead.set(d.message, (dead.get(d.message) ?? 0) + 1);
  for (const x of h.accepted) {
    const n = (emitted.get(x) ?? 0) + (dead.get(x) ?? 0);
    assert.equal(n, 1, `item ${x}: emitted ${emitted.get(x) ?? 0}×, dead-lettered ${dead.get(x) ?? 0}×`);
  }
  assert.equal(h.emitted.length + h.dead.length, h.accepted.length, "nothing emitted that was not accepted");
  for (let i = 1; i < h.emitted.length; i++) {
    assert.ok(
      h.emitted[i - 1] < h.emitted[i],
      `emitted out of order: ${h.emitted[i - 1]} then ${h.emitted[i]}`,
    );
  }
  assert.equal(h.pool.stats.inFlight, 0, "batches stranded in flight");
  assert.equal(h.waiting, undefined, "a batch still waiting for room");
}

/** Batches [0,1] [2,3] [4,5]: A, B, C. */
const A = [0, 1], B = [2, 3], C = [4, 5];
const ALL = [...A, ...B, ...C];

/**
 * Brings batch B to a step of its life on the (only) worker, which holds B and C (and A, if A is not done).
 */
type Step = (h: Harness, w: FakePoolWorker) => void | Promise<void>;
const STEPS: Record<string, Step> = {
  "dispatched before the worker is ready": () => {},
  "queued in a ready worker": (_h, w) => w.ready(),
  "being scored": async (h, w) => {
    w.ready();
    while (w.head !== undefined && (w.head.payload as number[])[0] !== B[0]) w.score();
    w.deliverAll();
    await settle();
    assert.deepEqual(w.head?.payload, B);
    assert.ok(!h.emitted.includes(B[0]));
  },
  "scored, its reply in transit": async (h, w) => {
    w.ready();
    while (w.score() && !w.outbox.some((r) => r.kind === "result" && (r.payload as number[])[0] === B[0]));
    while (w.outbox.length > 0 && (w.outbox[0] as { payload: number[] }).payload[0] !== B[0]) w.deliver();
    await settle();
    assert.ok(!h.emitted.includes(B[0]), "B's reply has not reached the pool");
  },
};

for (const [first, stepOne] of Object.entries(STEPS)) {
  for (const [second, stepTwo] of Object.entries(STEPS)) {
    Deno.test(`worker pool: killed while B is ${first}, then again while its retry is ${second} — every batch once, in order`, async () => {
      const h = harness(1);
      for (const b of [A, B, C]) h.submit(b);
      await stepOne(h, h.slot[0]);
      const late = h.slot[0];
      h.pool.killWorker(0);
      await settle();
      await stepTwo(h, h.slot[0]);
      h.pool.killWorker(0);
      await settle();
      late.deliverAll(); // replies of a worker declared dead arrive late: ignored
      await settle();
      await finish(h);
      assertAccounted(h);
      assert.deepEqual(h.emitted, ALL);
      assert.deepEqual(h.dead, [], "a killed worker is not the batch's fault");
      assert.equal(h.pool.stats.replacements, 2);
    });
  }
}

Deno.test("worker pool: killed while B's results are being handed on — not emitted twice", async () => {
  const h = harness(1, { asyncSink: true });
  for (const b of [A, B, C]) h.submit(b);
  const w = h.slot[0];
  w.ready();
  while (w.score());
  w.deliverAll();
  await settle();
  assert.deepEqual(h.emitted, A, "A is being handed on; B and C wait behind it, in order");
  h.pool.killWorker(0);
  h.pool.killWorker(0);
  await finish(h);
  assertAccounted(h);
  assert.deepEqual(h.emitted, ALL);
  assert.equal(h.pool.stats.retries, 0, "nothing was in the worker any more");
});

Deno.test("worker pool: a worker that crashes twice while scoring B dead-letters B once; batches queued behind it are not blamed", async () => {
  const h = harness(1);
  for (const b of [A, B, C]) h.submit(b);
  let w = h.slot[0];
  w.ready();
  w.score();
  w.deliverAll();
  await settle();
  for (let crash = 0; crash < 2; crash++) {
    assert.deepEqual(w.head?.payload, B);
    w.crash(); // C is queued behind B each time
    await settle();
    w = h.slot[0];
    w.ready();
  }
  await finish(h);
  assertAccounted(h);
  assert.deepEqual(h.emitted, [...A, ...C]);
  assert.deepEqual(h.dead.map((d) => [d.message, d.reason]), [[2, "failed"], [3, "failed"]]);
});

Deno.test("worker pool: a hung worker is replaced on timeout; its late reply is ignored; the retry is emitted once", async () => {
  const h = harness(2);
  for (const b of [A, B, C]) h.submit(b);
  const [w0, w1] = h.slot;
  w0.ready();
  w1.ready();
  // w0 holds A and C, w1 holds B. w0 scores A but its reply is held up past the timeout.
  w0.score();
  w1.score();
  w1.deliverAll();
  await h.clock.advance(TIMEOUT_MS);
  assert.equal(h.pool.stats.replacements, 1);
  assert.ok(w0.terminated);
  w0.deliverAll(); // the reply arrives after the worker was declared dead: ignored, A is retried
  await finish(h);
  assertAccounted(h);
  assert.deepEqual(h.emitted, ALL);
  assert.deepEqual(h.dead, []);
});

Deno.test("worker pool: both workers killed at once, three times — nothing lost or repeated", async () => {
  const h = harness(2);
  for (const b of [A, B, C, [6, 7]]) h.submit(b);
  for (let round = 0; round < 3; round++) {
    h.slot[0].ready();
    h.slot[0].score();
    h.pool.killWorker(0);
    h.pool.killWorker(1);
    await settle();
  }
  await finish(h);
  assertAccounted(h);
  assert.deepEqual(h.emitted, [...ALL, 6, 7]);
  assert.deepEqual(h.dead, []);
});

Deno.test("worker pool: a batch whose decode throws is dead-lettered once; the batches after it still come out in order", async () => {
  const h = harness(1, {
    decode: (payload) => {
      if ((payload as number[])[0] === B[0]) throw new Error("decode failed on purpose");
      return payload as number[];
    },
  });
  for (const b of [A, B, C]) h.submit(b);
  await finish(h);
  assertAccounted(h);
  assert.deepEqual(h.emitted, [...A, ...C]);
  assert.deepEqual(h.dead.map((d) => d.message), B);
});

Deno.test("worker pool: a module that dies 3 times before ready fails the actor; a batch that was waiting for room is not stranded", async () => {
  const h = harness(2);
  for (let i = 0; i < 5; i++) h.submit([2 * i, 2 * i + 1]); // 4 in flight, the 5th waits for room
  assert.notEqual(h.waiting, undefined);
  for (let i = 0; i < 3; i++) {
    h.slot[0].crash("cannot load");
    await settle();
  }
  assert.equal(h.failures.length, 1);
  await finish(h);
  assertAccounted(h);
});

Deno.test("worker pool: kills before the replacement is ready are not startup failures", async () => {
  const h = harness(1);
  for (let i = 0; i < 5; i++) {
    h.pool.killWorker(0);
    await settle();
  }
  h.submit(A);
  await finish(h);
  assert.deepEqual(h.failures, []);
  assertAccounted(h);
  assert.deepEqual(h.emitted, A);
});

Deno.test("worker pool: a replacement that cannot be started fails the actor; the orphans are dead-lettered, not stranded", async () => {
  const h = harness(1, { spawnLimit: 1 });
  for (const b of [A, B]) h.submit(b);
  h.slot[0].ready();
  h.slot[0].crash();
  await settle();
  assert.equal(h.failures.length, 1, "the actor fails: its supervisor decides");
  await finish(h);
  assertAccounted(h);
  assert.deepEqual(h.dead.map((d) => d.message), ALL.slice(0, 4));
});

Deno.test("worker pool: room freed after the module is declared broken does not strand the waiting batch on a dead worker", async () => {
  const h = harness(1, { asyncSink: true });
  for (let i = 0; i < 5; i++) h.submit([2 * i, 2 * i + 1]); // 4 in flight, the 5th waits for room
  let w = h.slot[0];
  w.ready();
  w.score();
  w.deliverAll();
  await settle();
  assert.deepEqual(h.emitted, [0, 1], "batch 0 is with the sink: no room until it acknowledges");
  w.crash(); // a ready worker: its first batch is blamed, the rest re-dispatched
  for (let i = 0; i < 3; i++) {
    await settle();
    w = h.slot[0];
    w.crash("cannot load"); // never ready: three startup failures → broken
  }
  await settle();
  assert.equal(h.failures.length, 1);
  assert.notEqual(h.waiting, undefined, "the 5th batch still waits for room");
  await finish(h); // the sink acknowledges: room for the 5th, with no live worker left
  assertAccounted(h);
  assert.deepEqual(h.emitted, [0, 1]);
});

// ---- property: random kill schedules ------------------------------------------------------------------------

type Cmd =
  | { t: "submit"; n: number }
  | { t: "ready"; w: number }
  | { t: "score"; w: number; fail: boolean }
  | { t: "deliver"; w: number }
  | { t: "late"; k: number }
  | { t: "kill"; w: number }
  | { t: "crash"; w: number }
  | { t: "advance"; ms: number }
  | { t: "sink" };

const cmd = (workers: number): fc.Arbitrary<Cmd> => {
  const w = fc.integer({ min: 0, max: workers - 1 });
  return fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record({ t: fc.constant("submit" as const), n: fc.integer({ min: 1, max: 3 }) }),
    },
    { weight: 3, arbitrary: fc.record({ t: fc.constant("ready" as const), w }) },
    {
      weight: 5,
      arbitrary: fc.record({
        t: fc.constant("score" as const),
        w,
        fail: fc.integer({ min: 0, max: 6 }).map((n) => n === 0),
      }),
    },
    { weight: 5, arbitrary: fc.record({ t: fc.constant("deliver" as const), w }) },
    { weight: 1, arbitrary: fc.record({ t: fc.constant("late" as const), k: fc.nat() }) },
    { weight: 2, arbitrary: fc.record({ t: fc.constant("kill" as const), w }) },
    { weight: 1, arbitrary: fc.record({ t: fc.constant("crash" as const), w }) },
    {
      weight: 1,
      arbitrary: fc.record({ t: fc.constant("advance" as const), ms: fc.constantFrom(300, 700, 1_200) }),
    },
    { weight: 2, arbitrary: fc.record({ t: fc.constant("sink" as const) }) },
  );
};

Deno.test("worker pool property: over random kill/crash/hang schedules every batch is emitted once in order or dead-lettered once, and only a batch that failed twice itself is dead-lettered", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 1, max: 3 }).chain((workers) =>
        fc.tuple(fc.constant(workers), fc.boolean(), fc.array(cmd(workers), { maxLength: 80 }))
      ),
      async ([workers, asyncSink, cmds]) => {
        const decodeFails = (first: number) => first % 11 === 7;
        const h = harness(workers, {
          asyncSink,
          decode: (payload) => {
            if (decodeFails((payload as number[])[0])) throw new Error("decode failed on purpose");
            return payload as number[];
          },
        });
        /** Failures a batch (by its first item) brought on itself: error replies, its worker dying while scoring it. */
        const own = new Map<number, number>();
        const blame = (req: { payload: unknown } | undefined) => {
          if (req === undefined) return;
          const first = (req.payload as number[])[0];
          own.set(first, (own.get(first) ?? 0) + 1);
        };
        /**
         * The batch a crash or hang of `w` is charged to, as the pool sees it: the first of its jobs with no reply
         * delivered yet — one already scored whose reply is still in transit counts (its answer never came).
         */
        const charged = (w: FakePoolWorker) => {
          const inTransit = w.outbox.find((r) => r.kind !== "ready");
          return inTransit !== undefined && "id" in inTransit
            ? { payload: w.scored.get(inTransit.id) }
            : w.head;
        };
        const batchOf = new Map<number, number>();
        let next = 0;
        for (const c of cmds) {
          switch (c.t) {
            case "submit": {
              if (h.waiting !== undefined) break;
              const batch = Array.from({ length: c.n }, (_, i) => next + i);
              next += c.n;
              for (const x of batch) batchOf.set(x, batch[0]);
              h.submit(batch);
              break;
            }
            case "ready":
              h.slot[c.w].ready();
              break;
            case "score":
              h.slot[c.w].score(undefined, c.fail);
              break;
            case "deliver": {
              const w = h.slot[c.w];
              const reply = w.outbox[0];
              if (reply?.kind === "error" && !w.terminated) blame({ payload: w.scored.get(reply.id) });
              w.deliver();
              break;
            }
            case "late": {
              const dead = h.all.filter((w) => w.terminated && w.outbox.length > 0);
              if (dead.length > 0) dead[c.k % dead.length].deliver();
              break;
            }
            case "kill":
              h.pool.killWorker(c.w);
              break;
            case "crash": {
              const w = h.slot[c.w];
              if (w.isReady && !w.terminated) blame(charged(w));
              w.crash();
              break;
            }
            case "advance": {
              const before = h.slot.map((w) => ({ w, head: w.isReady ? charged(w) : undefined }));
              await h.clock.advance(c.ms);
              for (const { w, head } of before) if (w.terminated) blame(head);
              break;
            }
            case "sink":
              h.sinkWaiting.shift()?.();
              break;
          }
          await settle();
        }
        await finish(h);
        assertAccounted(h);
        const broken = h.failures.length > 0;
        for (const d of h.dead) {
          const first = batchOf.get(d.message)!;
          assert.ok(
            broken || decodeFails(first) || (own.get(first) ?? 0) >= 2,
            `item ${d.message} dead-lettered (${d.reason}) though its batch failed ${
              own.get(first) ?? 0
            }× itself`,
          );
        }
      },
    ),
    { numRuns: 400 },
  );
});
