import assert from "node:assert/strict";
import { coldFlushWaitText, deliveryWait } from "./delivery_wait.ts";

const idle = { consumed: 0, inFlight: 0, coldBuffered: 0, coldTimeoutMs: 300_000, kafkaLag: 0 };

Deno.test("deliveryWait: a replayed file waiting for the cold flush is no consumer lag", () => {
  // 2,002 consumed, all in the hot tier, all buffered for the cold tier: Kafka reports them as lag.
  const w = deliveryWait({
    ...idle,
    consumed: 2002,
    inFlight: 2002,
    coldBuffered: 2002,
    coldFlushInMs: 286_400,
    kafkaLag: 2002,
  });
  assert.deepEqual(w, {
    consumed: 2002,
    processing: 0,
    coldWaiting: 2002,
    coldFlushInS: 287,
    consumerLag: 0,
  });
  assert.equal(coldFlushWaitText(w), "waiting for the cold flush: 2,002 events, next flush in ≤ 287 s");
});

Deno.test("deliveryWait: not consumed is consumer lag, in flight and not buffered is processing", () => {
  const w = deliveryWait({ ...idle, consumed: 500, inFlight: 120, coldBuffered: 100, kafkaLag: 1620 });
  assert.deepEqual(w, {
    consumed: 500,
    processing: 20,
    coldWaiting: 100,
    coldFlushInS: 300,
    consumerLag: 1500,
  });
  // A stale lag sample smaller than what is in flight is no negative lag; an unmeasured lag stays unknown.
  assert.equal(deliveryWait({ ...idle, inFlight: 50, kafkaLag: 10 }).consumerLag, 0);
  assert.equal(deliveryWait({ ...idle, kafkaLag: undefined }).consumerLag, undefined);
  // An overdue flush is "in ≤ 0 s", never negative; one event is singular; nothing buffered says nothing.
  assert.equal(deliveryWait({ ...idle, inFlight: 1, coldBuffered: 1, coldFlushInMs: -40 }).coldFlushInS, 0);
  assert.equal(
    coldFlushWaitText({ coldWaiting: 1, coldFlushInS: 3 }),
    "waiting for the cold flush: 1 event, next flush in ≤ 3 s",
  );
  assert.equal(coldFlushWaitText(deliveryWait(idle)), undefined);
});
