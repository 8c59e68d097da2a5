import assert from "node:assert/strict";
import { ActorSystem } from "./actor_system.ts";
import type { DeadLetter } from "./dead_letters.ts";
import { silentLogger } from "./logger.ts";
import { Pipeline, type PipelineSpec, type Source, topologicalOrder } from "./pipeline.ts";
import { sendAll } from "./send_all.ts";
import { until } from "../testing/until.ts";

function counter(total: number, log: string[]): Source<number> {
  return {
    async run(out, signal) {
      for (let i = 0; i < total && !signal.aborted; i++) if (!out.trySend(i)) await out.send(i);
      log.push("source done");
    },
    complete: () => void log.push("complete (final acks)"),
  };
}

Deno.test("topologicalOrder validates the graph with clear messages", () => {
  const sink = { kind: "sink" as const, create: () => ({ receive() {} }) };
  const stage = { kind: "stage" as const, create: () => ({ receive() {} }) };
  const source = { kind: "source" as const, create: () => counter(0, []) };
  const bad: [PipelineSpec, RegExp][] = [
    [{ nodes: {}, edges: [] }, /it has no nodes/],
    [{ nodes: { s: source }, edges: [{ from: "s", to: "x" }] }, /edge to unknown node: current value is x/],
    [{ nodes: { s: source, k: sink }, edges: [{ from: "k", to: "s" }] }, /sink k cannot have outgoing edges/],
    [
      { nodes: { s: source, a: stage, k: sink }, edges: [{ from: "s", to: "k" }] },
      /stage a has no outgoing edge/,
    ],
    [
      {
        nodes: { s: source, a: stage, b: stage, k: sink },
        edges: [{ from: "s", to: "a" }, { from: "a", to: "b" }, { from: "b", to: ["a", "k"] }],
      },
      /cycle/,
    ],
  ];
  for (const [spec, message] of bad) assert.throws(() => topologicalOrder(spec), message);
  assert.deepEqual(
    topologicalOrder({
      nodes: { k: sink, a: stage, s: source },
      edges: [{ from: "a", to: "k" }, { from: "s", to: "a" }],
    }),
    ["s", "a", "k"],
  );
});

Deno.test("pipeline: source → stage → fan-out to two sinks; stop drains everything (count in = count out)", async () => {
  const system = new ActorSystem({ logger: silentLogger });
  const log: string[] = [];
  const hot: number[] = [];
  const cold: number[] = [];
  const total = 50_000;
  const pipeline = Pipeline.start(system, {
    nodes: {
      numbers: { kind: "source", create: () => counter(total, log) },
      square: {
        kind: "stage",
        batchSize: 128,
        create: (out) => ({ receiveBatch: (ns: number[]) => sendAll(out, ns.map((n) => n * 2)) }),
      },
      hot: {
        kind: "sink",
        create: () => {
          let buffer: number[] = [];
          return {
            receiveBatch: async (ns: number[]) => {
              buffer.push(...ns);
              if (buffer.length >= 1000) {
                await new Promise((r) => setTimeout(r, 1)); // a slow bulk request
                hot.push(...buffer);
                buffer = [];
              }
            },
            postStop: () => {
              hot.push(...buffer); // flush on shutdown
              log.push("hot flushed");
            },
          };
        },
      },
      cold: {
        kind: "sink",
        create: () => ({
          receive: (n: number) => void cold.push(n),
          postStop: () => void log.push("cold flushed"),
        }),
      },
    },
    edges: [
      { from: "numbers", to: "square", mailbox: { capacity: 64 } },
      { from: "square", to: ["hot", "cold"], mailbox: { capacity: 256, whenFull: "block" } },
    ],
  });
  assert.deepEqual(pipeline.order, ["numbers", "square", "hot", "cold"]);
  await pipeline.sourcesDone;
  const report = await pipeline.stop({ deadlineMs: 10_000 });
  assert.equal(report.graceful, true);
  assert.deepEqual(report.leftovers, []);
  const expected = [...Array(total).keys()].map((i) => i * 2);
  assert.deepEqual(hot, expected);
  assert.deepEqual(cold, expected);
  assert.deepEqual(log, ["source done", "hot flushed", "cold flushed", "complete (final acks)"]);
  for (const a of system.snapshot().actors) {
    assert.equal(a.state, "stopped");
    assert.equal(a.messages.in, a.messages.out, a.path);
    assert.ok(a.mailbox.depth === 0);
  }
});

Deno.test("pipeline: stopping a live source aborts it, then drains what it produced", async () => {
  const system = new ActorSystem({ logger: silentLogger });
  let produced = 0;
  let consumed = 0;
  const pipeline = Pipeline.start(system, {
    nodes: {
      endless: {
        kind: "source",
        create: () => ({
          async run(out, signal) {
            while (!signal.aborted) {
              await out.send(produced++);
              if (produced % 100 === 0) await new Promise((r) => setTimeout(r, 0));
            }
          },
        }),
      },
      sink: { kind: "sink", create: () => ({ receive: () => void consumed++ }) },
    },
    edges: [{ from: "endless", to: "sink", mailbox: { capacity: 32 } }],
  });
  // Stop a source that is live: mid-stream, with messages still flowing through the edge.
  await until(() => consumed >= 1_000, { what: "the sink to consume 1000 messages" });
  const report = await pipeline.stop({ deadlineMs: 5_000 });
  assert.equal(report.graceful, true);
  assert.ok(produced > 0);
  assert.equal(consumed, produced);
});

Deno.test("pipeline: past the deadline, a stuck sink is stopped hard and the report says what was left", async () => {
  const system = new ActorSystem({ logger: silentLogger });
  const dead: DeadLetter[] = [];
  system.deadLetters.subscribe((l) => dead.push(l));
  let completed = false;
  const pipeline = Pipeline.start(system, {
    nodes: {
      few: {
        kind: "source",
        create: () => ({
          async run(out) {
            for (let i = 0; i < 10; i++) await out.send(i);
          },
          complete: () => void (completed = true),
        }),
      },
      stuck: {
        kind: "sink",
        create: () => ({ receive: (n: number) => n === 3 ? new Promise<void>(() => {}) : undefined }),
      },
    },
    edges: [{ from: "few", to: "stuck", mailbox: { capacity: 16 } }],
  });
  await pipeline.sourcesDone;
  const report = await pipeline.stop({ deadlineMs: 100 });
  assert.equal(report.graceful, false);
  assert.deepEqual(report.leftovers, [{ actor: "/stuck", messages: 7, state: "running" }]);
  assert.deepEqual(dead.map((d) => [d.message, d.reason]), [
    [3, "abandoned"],
    ...[4, 5, 6, 7, 8, 9].map((n) => [n, "stopped"]),
  ]);
  assert.equal(completed, false, "no final acks for what was not delivered");
});

Deno.test("pipeline: defaultMailbox applies to edges without settings; conflicting fan-in settings are refused", async () => {
  const system = new ActorSystem({ logger: silentLogger });
  const pipeline = Pipeline.start(system, {
    defaultMailbox: { capacity: 7, whenFull: "drop_newest" },
    nodes: {
      src: { kind: "source", create: () => ({ run: () => Promise.resolve() }) },
      a: { kind: "stage", create: (out) => ({ receive: (n: number) => out.send(n) }) },
      k: { kind: "sink", create: () => ({ receive() {} }) },
    },
    edges: [{ from: "src", to: "a" }, { from: "a", to: "k", mailbox: { capacity: 3 } }],
  });
  const byPath = new Map(system.snapshot().actors.map((a) => [a.path, a.mailbox]));
  assert.deepEqual([byPath.get("/a")!.capacity, byPath.get("/a")!.whenFull], [7, "drop_newest"]);
  assert.deepEqual([byPath.get("/k")!.capacity, byPath.get("/k")!.whenFull], [3, "block"]);
  await pipeline.stop({ deadlineMs: 1_000 });
  const other = new ActorSystem({ logger: silentLogger });
  assert.throws(
    () =>
      Pipeline.start(other, {
        nodes: {
          s1: { kind: "source", create: () => ({ run: () => Promise.resolve() }) },
          s2: { kind: "source", create: () => ({ run: () => Promise.resolve() }) },
          k: { kind: "sink", create: () => ({ receive() {} }) },
        },
        edges: [{ from: "s1", to: "k", mailbox: { capacity: 1 } }, {
          from: "s2",
          to: "k",
          mailbox: { capacity: 2 },
        }],
      }),
    /edges into k disagree on mailbox settings/,
  );
});

Deno.test("pipeline: whenFailed names the actor its supervisor stopped", async () => {
  const { oneForOne } = await import("./one_for_one.ts");
  const system = new ActorSystem({ logger: silentLogger });
  const pipeline = Pipeline.start(system, {
    nodes: {
      src: { kind: "source", create: () => counter(5, []) },
      broken: {
        kind: "sink",
        supervisor: oneForOne({ maxRestarts: 0 }),
        create: () => ({
          receive: () => {
            throw new Error("cannot work");
          },
        }),
      },
    },
    edges: [{ from: "src", to: "broken" }],
  });
  assert.equal(await pipeline.whenFailed, "/broken");
  const report = await pipeline.stop({ deadlineMs: 1_000 });
  assert.equal(report.graceful, true);
  assert.equal(system.deadLetters.total, 5);
});

Deno.test("pipeline: whenSourceFailed names a source whose run threw, and not one stopped on purpose", async () => {
  const system = new ActorSystem({ logger: silentLogger });
  const sink = { kind: "sink" as const, create: () => ({ receive() {} }) };
  const pipeline = Pipeline.start(system, {
    nodes: {
      src: {
        kind: "source",
        create: () => ({
          run: () => Promise.reject(new Error("Unknown topic vigil.events.")),
        }),
      },
      k: sink,
    },
    edges: [{ from: "src", to: "k" }],
  });
  const failed = await pipeline.whenSourceFailed;
  assert.equal(failed.source, "src");
  assert.match(String(failed.error), /Unknown topic/);
  assert.equal((await pipeline.stop({ deadlineMs: 1_000 })).graceful, true);
  // A source that throws because it is being stopped is not a failure.
  const calm = new ActorSystem({ logger: silentLogger });
  const stopping = Pipeline.start(calm, {
    nodes: {
      src: {
        kind: "source",
        create: () => ({
          run: (_out, signal) =>
            new Promise((_, reject) => signal.addEventListener("abort", () => reject(new Error("aborted")))),
        }),
      },
      k: sink,
    },
    edges: [{ from: "src", to: "k" }],
  });
  await stopping.stop({ deadlineMs: 1_000 });
  const outcome = await Promise.race([
    stopping.whenSourceFailed.then(() => "failed"),
    new Promise((resolve) => setTimeout(() => resolve("quiet"), 50)),
  ]);
  assert.equal(outcome, "quiet");
});

Deno.test("pipeline: a node's own mailbox wins over its edge — a dropping tap beside blocking sinks loses nothing else", async () => {
  const system = new ActorSystem({ logger: silentLogger });
  const total = 5_000;
  const stored: number[] = [];
  let tapped = 0;
  let releaseTap!: () => void;
  const tapBlocked = new Promise<void>((resolve) => releaseTap = resolve);
  const pipeline = Pipeline.start(system, {
    nodes: {
      src: { kind: "source", create: () => counter(total, []) },
      fan: { kind: "stage", create: (out) => ({ receiveBatch: (ns: number[]) => sendAll(out, ns) }) },
      store: { kind: "sink", create: () => ({ receiveBatch: (ns: number[]) => void stored.push(...ns) }) },
      // A slow tap: stuck until released, with a small dropping mailbox of its own.
      tap: {
        kind: "sink",
        mailbox: { capacity: 8, whenFull: "drop_oldest" },
        create: () => ({
          receiveBatch: async (ns: number[]) => {
            await tapBlocked;
            tapped += ns.length;
          },
        }),
      },
    },
    edges: [
      { from: "src", to: "fan", mailbox: { capacity: 64 } },
      { from: "fan", to: ["store", "tap"], mailbox: { capacity: 64, whenFull: "block" } },
    ],
  });
  const byPath = new Map(system.snapshot().actors.map((a) => [a.path, a.mailbox]));
  assert.deepEqual([byPath.get("/tap")!.capacity, byPath.get("/tap")!.whenFull], [8, "drop_oldest"]);
  assert.deepEqual([byPath.get("/store")!.capacity, byPath.get("/store")!.whenFull], [64, "block"]);
  // The blocking sink receives everything even though the tap is stuck the whole time.
  await until(() => stored.length === total, { what: `the blocking sink to store all ${total}` });
  releaseTap();
  await pipeline.stop({ deadlineMs: 5_000 });
  assert.deepEqual(stored, Array.from({ length: total }, (_, i) => i));
  assert.ok(tapped > 0 && tapped < total, `tap saw ${tapped} of ${total}`);
  const tap = system.snapshot().actors.find((a) => a.path === "/tap")!;
  assert.equal(tapped + tap.messages.dropped, total);
});
