import assert from "node:assert/strict";
import { ActorSystem, oneForOne, sendAll, silentLogger } from "../../engine/mod.ts";

interface Keyed {
  key: string;
  seq: number;
}

Deno.test("per-key order is preserved through a batched 3-stage chain with failures and restarts", async () => {
  const system = new ActorSystem({ logger: silentLogger });
  const seen = new Map<string, number[]>();
  let failures = 0;
  const sink = system.spawn<Keyed>({
    name: "sink",
    batchSize: 64,
    mailbox: { capacity: 100 },
    create: () => ({
      receiveBatch: (batch) => {
        for (const m of batch) {
          const list = seen.get(m.key) ?? [];
          list.push(m.seq);
          seen.set(m.key, list);
        }
      },
    }),
  });
  // A stage that fails now and then *before* any side effect: the batch is re-delivered message by message.
  let calls = 0;
  const flaky = system.spawn<Keyed>({
    name: "flaky",
    batchSize: 32,
    mailbox: { capacity: 50 },
    supervisor: oneForOne({ maxRestarts: 1_000 }),
    create: () => ({
      receiveBatch: (batch) => {
        if (++calls % 7 === 0) {
          failures++;
          throw new Error("transient");
        }
        return sendAll(sink, batch);
      },
    }),
  });
  const first = system.spawn<Keyed>({
    name: "first",
    batchSize: 256,
    mailbox: { capacity: 300 },
    create: () => ({ receiveBatch: (batch) => sendAll(flaky, batch) }),
  });
  const keys = ["a", "b", "c", "d", "e"];
  const perKey = 2_000;
  for (let seq = 0; seq < perKey; seq++) {
    for (const key of keys) {
      const m = { key, seq };
      if (!first.trySend(m)) await first.send(m);
    }
  }
  await system.drain(first);
  await system.drain(flaky);
  await system.drain(sink);
  assert.ok(failures > 10, `failures injected: ${failures}`);
  for (const key of keys) assert.deepEqual(seen.get(key), [...Array(perKey).keys()], `key ${key}`);
  assert.equal(system.deadLetters.total, 0);
});
