import assert from "node:assert/strict";
import { ActorSystem } from "./actor_system.ts";
import { FanOut } from "./fan_out.ts";
import { silentLogger } from "./logger.ts";

Deno.test("FanOut delivers every message to every target once, in order, at the pace of the slowest", async () => {
  const system = new ActorSystem({ logger: silentLogger });
  const fast: number[] = [];
  const slow: number[] = [];
  const a = system.spawn<number>({
    name: "fast",
    mailbox: { capacity: 4 },
    create: () => ({ receive: (n) => void fast.push(n) }),
  });
  const b = system.spawn<number>({
    name: "slow",
    mailbox: { capacity: 2 },
    create: () => ({
      receive: async (n) => {
        if (n % 10 === 0) await new Promise((r) => setTimeout(r, 1));
        slow.push(n);
      },
    }),
  });
  const out = new FanOut([a, b]);
  for (let i = 0; i < 300; i++) {
    if (i % 2 === 0) {
      if (!out.trySend(i)) await out.send(i);
    } else {
      void out.send(i); // not awaited: serialized internally
    }
  }
  await out.send(300);
  await system.drain(a);
  await system.drain(b);
  const expected = [...Array(301).keys()];
  assert.deepEqual(fast, expected);
  assert.deepEqual(slow, expected);
});

Deno.test("FanOut needs at least one target", () => {
  assert.throws(() => new FanOut([]), /targets must not be empty: current value is \[\]/);
});
