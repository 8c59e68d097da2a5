import assert from "node:assert/strict";
import { Hono } from "hono";
import { postRateLimit } from "./post_rate_limit.ts";

function app(maxClients: number) {
  const evicted: number[] = [];
  let limited = 0;
  const hono = new Hono();
  hono.use(
    "*",
    postRateLimit({
      burst: 1,
      perSecond: 0.001,
      maxClients,
      now: () => 0,
      onLimited: () => limited++,
      onEvicted: (n) => evicted.push(n),
    }),
  );
  hono.post("/x", (c) => c.text("ok"));
  const from = async (hostname: string) =>
    (await hono.fetch(new Request("http://h/x", { method: "POST" }), { remoteAddr: { hostname } })).status;
  return { from, evicted, limited: () => limited };
}

Deno.test("postRateLimit keys on the client address: one client's flood does not limit another", async () => {
  const { from, limited } = app(10);
  assert.equal(await from("10.0.0.1"), 200);
  assert.equal(await from("10.0.0.1"), 429);
  assert.equal(await from("10.0.0.2"), 200);
  assert.equal(limited(), 1);
});

Deno.test("postRateLimit's client table is bounded: the least recently seen client is forgotten and counted", async () => {
  const { from, evicted } = app(2);
  assert.equal(await from("10.0.0.1"), 200);
  assert.equal(await from("10.0.0.2"), 200);
  assert.deepEqual(evicted, []);
  assert.equal(await from("10.0.0.3"), 200);
  assert.deepEqual(evicted, [1], "10.0.0.1 forgotten");
  // 10.0.0.2 is still held (limited); 10.0.0.1 starts with a full bucket again.
  assert.equal(await from("10.0.0.2"), 429);
  assert.equal(await from("10.0.0.1"), 200);
  assert.deepEqual(evicted, [1, 1]);
});

Deno.test("postRateLimit refuses a burst below 1 or a non-positive rate", () => {
  assert.throws(() => postRateLimit({ burst: 0 }), /burst must be a positive integer: current value is 0/);
  assert.throws(() => postRateLimit({ perSecond: -1 }), /perSecond must be a positive number/);
});
