import assert from "node:assert/strict";
import type { Delivery } from "./ingest_gate.ts";
import { AckedRecordWindow, type RecordDelivery, requestKey } from "./acked_record_window.ts";

/** A delivery whose records' fates the test decides (`fate` true: Kafka acknowledged it); `sent` logs each call. */
function deliveryOf(
  sent: string[][],
  fate: (record: string) => boolean,
): RecordDelivery<string> {
  return (records, onSettled) => {
    sent.push([...records]);
    let all = true;
    records.forEach((r, i) => {
      const ok = fate(r);
      all &&= ok;
      onSettled([i], ok);
    });
    return Promise.resolve<Delivery>(all ? "acked" : "failed");
  };
}

Deno.test("requestKey: same bytes, receiver, client and path → same key; any of them different → another", () => {
  const body = new TextEncoder().encode('{"resourceLogs":[]}');
  const key = requestKey("otlp_http", "10.0.0.1", "/v1/logs", body);
  assert.match(key, /^[0-9a-f]{32}$/);
  assert.equal(requestKey("otlp_http", "10.0.0.1", "/v1/logs", body.slice()), key);
  assert.notEqual(requestKey("es_bulk", "10.0.0.1", "/v1/logs", body), key);
  assert.notEqual(requestKey("otlp_http", "10.0.0.2", "/v1/logs", body), key);
  assert.notEqual(requestKey("otlp_http", "10.0.0.1", "/x/_bulk", body), key);
  assert.notEqual(requestKey("otlp_http", "10.0.0.1", "/v1/logs", new TextEncoder().encode("{}")), key);
});

Deno.test("a retried request produces only the records Kafka did not acknowledge, then answers acked", async () => {
  const window = new AckedRecordWindow({ maxRecords: 100, maxAgeMs: 60_000 });
  const sent: string[][] = [];
  const records = ["a", "b", "c", "d"];
  // First attempt: b and d fail (their batch's produce failed).
  const first = await window.deliverOnce("k", records, deliveryOf(sent, (r) => r === "a" || r === "c"), 1000);
  assert.deepEqual(first, { delivery: "failed", produced: 4, repeated: 0, missing: [1, 3], inFlight: 0 });
  // The retry sends b and d only.
  const second = await window.deliverOnce("k", records, deliveryOf(sent, () => true), 1000);
  assert.deepEqual(second, { delivery: "acked", produced: 2, repeated: 2, missing: [], inFlight: 0 });
  // A third copy (a client that lost the 200) produces nothing and still answers acked.
  const third = await window.deliverOnce("k", records, deliveryOf(sent, () => true), 1000);
  assert.deepEqual(third, { delivery: "acked", produced: 0, repeated: 4, missing: [], inFlight: 0 });
  assert.deepEqual(sent, [["a", "b", "c", "d"], ["b", "d"]]);
  assert.equal(window.records, 4);
  assert.equal(window.requests, 1);
});

Deno.test("a retry that arrives while the first attempt is still in flight waits for it instead of sending again", async () => {
  const window = new AckedRecordWindow({ maxRecords: 100, maxAgeMs: 60_000 });
  const records = ["a", "b"];
  let settle!: (indexes: readonly number[], acked: boolean) => void;
  const sent: string[][] = [];
  // The first attempt's answer times out; its records stay in flight.
  const first = await window.deliverOnce("k", records, (rs, onSettled) => {
    sent.push([...rs]);
    settle = onSettled;
    return Promise.resolve<Delivery>("timeout");
  }, 1000);
  assert.deepEqual(first, { delivery: "timeout", produced: 2, repeated: 0, missing: [], inFlight: 2 });
  const retry = window.deliverOnce("k", records, deliveryOf(sent, () => true), 60_000);
  settle([0, 1], true);
  assert.deepEqual(await retry, { delivery: "acked", produced: 0, repeated: 2, missing: [], inFlight: 0 });
  assert.deepEqual(sent, [["a", "b"]]);
});

Deno.test("a retry whose wait for an earlier attempt ends sends nothing; once that attempt failed, the next retry sends them", async () => {
  const window = new AckedRecordWindow({ maxRecords: 100, maxAgeMs: 60_000 });
  let settle!: (indexes: readonly number[], acked: boolean) => void;
  const sent: string[][] = [];
  await window.deliverOnce("k", ["a"], (rs, onSettled) => {
    sent.push([...rs]);
    settle = onSettled;
    return Promise.resolve<Delivery>("timeout");
  }, 1000);
  // Nothing settles within the retry's wait: it answers timeout and sends nothing.
  assert.deepEqual(await window.deliverOnce("k", ["a"], deliveryOf(sent, () => true), 1), {
    delivery: "timeout",
    produced: 0,
    repeated: 1,
    missing: [],
    inFlight: 1,
  });
  settle([0], false);
  assert.deepEqual(await window.deliverOnce("k", ["a"], deliveryOf(sent, () => true), 1000), {
    delivery: "acked",
    produced: 1,
    repeated: 0,
    missing: [],
    inFlight: 0,
  });
  assert.deepEqual(sent, [["a"], ["a"]]);
});

Deno.test("the window is bounded by records and age; evictions are counted by reason", async () => {
  let now = 0;
  const window = new AckedRecordWindow({ maxRecords: 10, maxAgeMs: 1000, now: () => now });
  const sent: string[][] = [];
  const ok = deliveryOf(sent, () => true);
  await window.deliverOnce("r1", ["1", "2", "3", "4"], ok, 1000);
  await window.deliverOnce("r2", ["5", "6", "7", "8"], ok, 1000);
  now = 10;
  await window.deliverOnce("r1", ["1", "2", "3", "4"], ok, 1000); // r1 seen again: now the newest
  await window.deliverOnce("r3", ["9", "10", "11"], ok, 1000); // 11 records > 10: the oldest (r2) goes
  assert.equal(window.records, 7);
  assert.equal(window.requests, 2);
  assert.deepEqual(window.evicted.capacity, { requests: 1, records: 4 });
  // r2 is forgotten: its retry is produced again — the documented at-least-once beyond the window.
  assert.deepEqual(await window.deliverOnce("r2", ["5", "6", "7", "8"], ok, 1000), {
    delivery: "acked",
    produced: 4,
    repeated: 0,
    missing: [],
    inFlight: 0,
  });
  assert.deepEqual(window.evicted.capacity, { requests: 2, records: 8 }); // r1 (4) made room for r2 (4)
  now = 2000;
  window.evict();
  assert.equal(window.records, 0);
  assert.deepEqual(window.evicted.age, { requests: 2, records: 7 });
  // A request larger than the whole window is still delivered (and remembered alone).
  assert.equal(
    (await window.deliverOnce("big", Array.from({ length: 25 }, String), ok, 1000)).produced,
    25,
  );
  assert.equal(window.requests, 1);
  assert.equal(window.records, 25);
  // 10,000 distinct requests later the window still holds at most 10 records.
  for (let i = 0; i < 10_000; i++) await window.deliverOnce(`n${i}`, ["x"], ok, 1000);
  assert.equal(window.records, 10);
  assert.equal(window.requests, 10);
});

Deno.test("a request answered with success is forgotten: the same body again is new records", async () => {
  const window = new AckedRecordWindow({ maxRecords: 100, maxAgeMs: 60_000 });
  const sent: string[][] = [];
  const ok = deliveryOf(sent, () => true);
  await window.deliverOnce("k", ["a", "b"], ok, 1000);
  window.answered("k");
  assert.equal(window.records, 0);
  assert.equal(window.requests, 0);
  assert.equal((await window.deliverOnce("k", ["a", "b"], ok, 1000)).produced, 2);
  assert.deepEqual(sent, [["a", "b"], ["a", "b"]]);
  assert.deepEqual(window.evicted, {
    capacity: { requests: 0, records: 0 },
    age: { requests: 0, records: 0 },
  });
  window.answered("unknown"); // nothing to forget
});

Deno.test("a delivery that throws leaves its records to be sent again", async () => {
  const window = new AckedRecordWindow({ maxRecords: 100, maxAgeMs: 60_000 });
  await assert.rejects(
    window.deliverOnce("k", ["a"], () => Promise.reject(new Error("boom")), 1000),
    /boom/,
  );
  const sent: string[][] = [];
  assert.equal((await window.deliverOnce("k", ["a"], deliveryOf(sent, () => true), 1000)).produced, 1);
});

Deno.test("bounds must be positive", () => {
  assert.throws(() => new AckedRecordWindow({ maxRecords: 0, maxAgeMs: 1 }), RangeError);
  assert.throws(() => new AckedRecordWindow({ maxRecords: 1, maxAgeMs: 0 }), RangeError);
});
