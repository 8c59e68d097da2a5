import assert from "node:assert/strict";
import { ActorSystem, silentLogger } from "../../engine/mod.ts";
import { until } from "../../testing/until.ts";

Deno.test("backpressure: a producer's send waits while the mailbox is full; depth never exceeds capacity", async () => {
  const system = new ActorSystem({ logger: silentLogger });
  let release!: () => void;
  let gate = new Promise<void>((r) => release = r);
  let maxDepth = 0;
  const got: number[] = [];
  const ref = system.spawn<number>({
    name: "slow",
    mailbox: { capacity: 8 },
    create: () => ({
      receive: async (n) => {
        maxDepth = Math.max(maxDepth, system.snapshot().actors[0].mailbox.depth);
        await gate;
        got.push(n);
      },
    }),
  });
  // The consumer holds one message in hand, so 1 + 8 sends complete at once; the 10th must wait.
  for (let i = 0; i < 9; i++) await ref.send(i);
  let waited = true;
  const tenth = ref.send(9).then(() => waited = false);
  await until(() => system.snapshot().actors[0].mailbox.waitingSenders === 1, {
    what: "the 10th send to wait",
  });
  assert.equal(waited, true, "the 10th send is still waiting");
  assert.equal(ref.trySend(10), false, "trySend refuses while full");
  assert.equal(system.snapshot().actors[0].mailbox.waitingSenders, 1);
  release();
  gate = Promise.resolve();
  await tenth;
  assert.equal(waited, false);
  await system.drain(ref);
  assert.deepEqual(got, [...Array(10).keys()]);
  assert.ok(maxDepth <= 8, `max depth ${maxDepth}`);
});

Deno.test("backpressure: 1M messages into a slower consumer keep the heap bounded and lose nothing", async () => {
  const system = new ActorSystem({ logger: silentLogger });
  const capacity = 1024;
  let received = 0;
  let checksum = 0;
  let maxDepth = 0;
  const ref = system.spawn<{ id: number; text: string }>({
    name: "consumer",
    mailbox: { capacity },
    batchSize: 128,
    create: () => ({
      receiveBatch: async (batch) => {
        if (received % 65_536 === 0) maxDepth = Math.max(maxDepth, system.snapshot().actors[0].mailbox.depth);
        for (const m of batch) {
          received++;
          checksum += m.id;
        }
        await Promise.resolve(); // slower than the producer: every batch costs an await
      },
    }),
  });
  const heapBefore = Deno.memoryUsage().heapUsed;
  let heapMax = heapBefore;
  const total = 1_000_000;
  for (let i = 0; i < total; i++) {
    // ~100 bytes per message: an unbounded queue would hold ~100 MB here.
    const msg = { id: i, text: "event " + i + " ".repeat(64) };
    if (!ref.trySend(msg)) await ref.send(msg);
    if (i % 50_000 === 0) heapMax = Math.max(heapMax, Deno.memoryUsage().heapUsed);
  }
  await system.drain(ref);
  assert.equal(received, total);
  assert.equal(checksum, (total * (total - 1)) / 2);
  assert.ok(maxDepth <= capacity, `max depth ${maxDepth}`);
  const growthMb = (heapMax - heapBefore) / 2 ** 20;
  assert.ok(growthMb < 48, `heap grew by ${growthMb.toFixed(1)} MB`);
});

Deno.test("drop policies under pressure: every message is either delivered or counted as dropped", async () => {
  for (const whenFull of ["drop_newest", "drop_oldest"] as const) {
    const system = new ActorSystem({ logger: silentLogger });
    const got: number[] = [];
    const ref = system.spawn<number>({
      name: "lossy",
      mailbox: { capacity: 16, whenFull },
      create: () => ({ receive: (n) => void got.push(n) }),
    });
    for (let i = 0; i < 1000; i++) assert.equal(ref.trySend(i), true);
    await system.drain(ref);
    const snap = system.snapshot().actors[0];
    assert.equal(got.length + snap.messages.dropped, 1000, whenFull);
    assert.equal(snap.messages.dropped, 1000 - 16);
    // drop_newest keeps the first 16, drop_oldest the last 16.
    assert.deepEqual(
      got,
      whenFull === "drop_newest" ? [...Array(16).keys()] : [...Array(16).keys()].map((i) => 984 + i),
    );
  }
});
