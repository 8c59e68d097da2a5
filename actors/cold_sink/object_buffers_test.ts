import assert from "node:assert/strict";
import { deliveryRecord } from "../../testing/delivery_fixtures.ts";
import { resolveColdSinkConfig } from "./config.ts";
import { ObjectBuffers } from "./object_buffers.ts";

const offsets = (records: { kafka: { offset: string } }[]) => records.map((r) => Number(r.kafka.offset));

Deno.test("ObjectBuffers: a partition moving to the next window hands back the window it left, whole", () => {
  const buffers = new ObjectBuffers(resolveColdSinkConfig({ offsetWindow: 10 }));
  for (let o = 0; o < 10; o++) assert.deepEqual(buffers.add(deliveryRecord(o)), []);
  // Another partition's windows are its own business.
  assert.deepEqual(buffers.add(deliveryRecord(25, { partition: 1 })), []);
  assert.deepEqual(offsets(buffers.add(deliveryRecord(10))), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.deepEqual(buffers.add(deliveryRecord(11)), [], "the new window stays buffered");
  assert.equal(buffers.size, 3);
  // A redelivered earlier offset (a rebalance) joins its own window's buffer without closing anything.
  assert.deepEqual(buffers.add(deliveryRecord(3)), []);
  assert.deepEqual(offsets(buffers.take()).sort((a, b) => a - b), [3, 10, 11, 25]);
  assert.equal(buffers.size, 0);
});

Deno.test("ObjectBuffers: full at maxEvents or maxBytes over all objects", () => {
  const byCount = new ObjectBuffers(resolveColdSinkConfig({ maxEvents: 3 }));
  byCount.add(deliveryRecord(0));
  byCount.add(deliveryRecord(1, { partition: 1 }));
  assert.equal(byCount.full, false);
  byCount.add(deliveryRecord(2, { partition: 2 }));
  assert.equal(byCount.full, true);
  assert.equal(byCount.take().length, 3);
  assert.equal(byCount.full, false);

  const byBytes = new ObjectBuffers(resolveColdSinkConfig({ maxBytes: 10_000 }));
  byBytes.add(deliveryRecord(0, { event: { content: "x".repeat(4_000) } }));
  assert.equal(byBytes.full, false);
  byBytes.add(deliveryRecord(1, { event: { content: "x".repeat(7_000) } }));
  assert.equal(byBytes.full, true);
});

Deno.test("ObjectBuffers: the timeout deadline starts with the first record after a take and ends with the next", () => {
  let now = 1_000;
  const buffers = new ObjectBuffers(resolveColdSinkConfig({ timeoutMs: 500 }), () => now);
  assert.equal(buffers.flushDueAt, undefined);
  buffers.add(deliveryRecord(0));
  now = 1_200;
  buffers.add(deliveryRecord(1));
  assert.equal(buffers.flushDueAt, 1_500, "set by the first record, not moved by later ones");
  buffers.take();
  assert.equal(buffers.flushDueAt, undefined);
  buffers.add(deliveryRecord(2));
  assert.equal(buffers.flushDueAt, 1_700);
});
