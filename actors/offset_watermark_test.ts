import assert from "node:assert/strict";
import { OffsetWatermark } from "./offset_watermark.ts";

Deno.test("OffsetWatermark: nothing is committable until both tiers acked the first offset", () => {
  const w = new OffsetWatermark();
  for (let o = 0; o < 3; o++) w.track("t", 0, String(o));
  assert.equal(w.committable("t", 0), undefined);
  w.ack("t", 0, "0", "hot");
  assert.equal(w.committable("t", 0), undefined, "hot alone is not enough");
  assert.equal(w.ack("t", 0, "0", "cold"), true);
  assert.equal(w.committable("t", 0), "1");
  assert.equal(w.inFlight("t", 0), 2);
});

Deno.test("OffsetWatermark: out-of-order acks advance only over a done prefix", () => {
  const w = new OffsetWatermark();
  for (let o = 10; o < 15; o++) w.track("t", 1, String(o));
  // Cold flushes a later object first; hot acks in a different order still.
  for (const o of ["13", "14", "11"]) w.ack("t", 1, o, "cold");
  for (const o of ["14", "12", "11", "13"]) w.ack("t", 1, o, "hot");
  assert.equal(w.committable("t", 1), undefined, "10 is not done: nothing may be committed");
  w.ack("t", 1, "10", "hot");
  assert.equal(w.committable("t", 1), undefined);
  w.ack("t", 1, "10", "cold");
  assert.equal(w.committable("t", 1), "12", "10 and 11 done; 12 still lacks cold");
  w.ack("t", 1, "12", "cold");
  assert.equal(w.committable("t", 1), "15");
  assert.equal(w.inFlight("t", 1), 0);
});

Deno.test("OffsetWatermark: gaps in offsets (compaction, transaction markers) do not block", () => {
  const w = new OffsetWatermark({ tiers: ["hot"] });
  for (const o of [3, 7, 8, 20]) w.track("t", 0, String(o));
  for (const o of [20, 8, 7, 3]) w.ack("t", 0, String(o), "hot");
  assert.equal(w.committable("t", 0), "21");
});

Deno.test("OffsetWatermark: partitions are independent; ackAll covers every tier; repeats are ignored", () => {
  const w = new OffsetWatermark();
  w.track("t", 0, "0");
  w.track("t", 1, "0");
  w.track("u", 0, "5");
  assert.equal(w.ackAll("t", 1, "0"), true);
  assert.equal(w.ackAll("t", 1, "0"), false, "a repeated ack is ignored");
  assert.equal(w.ack("t", 9, "0", "hot"), false, "unknown partition");
  assert.equal(w.committable("t", 0), undefined);
  assert.equal(w.committable("t", 1), "1");
  assert.equal(w.committable("u", 0), undefined);
  assert.equal(w.totalInFlight, 2);
});

Deno.test("OffsetWatermark: takeCommits hands out each advance once; resetCommitted repeats a failed one", () => {
  const w = new OffsetWatermark({ tiers: ["hot"] });
  w.track("t", 0, "0");
  w.track("t", 0, "1");
  w.ack("t", 0, "0", "hot");
  const first = w.takeCommits();
  assert.deepEqual(first, [{ topic: "t", partition: 0, offset: "1" }]);
  assert.deepEqual(w.takeCommits(), []);
  w.resetCommitted(first);
  assert.deepEqual(w.takeCommits(), first);
  w.ack("t", 0, "1", "hot");
  assert.deepEqual(w.takeCommits(), [{ topic: "t", partition: 0, offset: "2" }]);
});

Deno.test("OffsetWatermark: offsets must be tracked in increasing order; large offsets are exact", () => {
  const w = new OffsetWatermark({ tiers: ["hot"] });
  w.track("t", 0, "9007199254740993");
  assert.throws(() => w.track("t", 0, "9007199254740993"), RangeError);
  w.ack("t", 0, "9007199254740993", "hot");
  assert.equal(w.committable("t", 0), "9007199254740994");
  assert.throws(() => w.track("t", 0, "5"), /offsets must increase/);
  assert.throws(() => new OffsetWatermark({ tiers: [] }), /tiers must hold 1 to 30 names/);
});

Deno.test("OffsetWatermark: forget drops a revoked partition", () => {
  const w = new OffsetWatermark({ tiers: ["hot"] });
  w.track("t", 0, "0");
  w.forget("t", 0);
  assert.equal(w.ack("t", 0, "0", "hot"), false);
  assert.equal(w.inFlight("t", 0), 0);
});

Deno.test("OffsetWatermark: inFlight counts offsets not yet done, even behind an unfinished one", () => {
  const w = new OffsetWatermark();
  for (let o = 0; o < 4; o++) w.track("t", 0, String(o));
  w.ackAll("t", 0, "2");
  w.ackAll("t", 0, "3");
  assert.equal(w.inFlight("t", 0), 2);
  assert.equal(w.totalInFlight, 2);
  w.ack("t", 0, "0", "hot");
  w.ack("t", 0, "0", "hot");
  assert.equal(w.totalInFlight, 2, "a repeated ack does not count twice");
  w.forget("t", 0);
  assert.equal(w.totalInFlight, 0);
});

Deno.test("OffsetWatermark: 200 000 in flight released at once stays linear (queue head, not shift)", () => {
  const w = new OffsetWatermark();
  const n = 200_000;
  for (let o = 0; o < n; o++) w.track("t", 0, String(o));
  for (let o = n - 1; o >= 1; o--) w.ackAll("t", 0, String(o));
  assert.equal(w.committable("t", 0), undefined);
  w.ackAll("t", 0, "0");
  assert.equal(w.committable("t", 0), String(n));
  assert.equal(w.totalInFlight, 0);
  w.track("t", 0, String(n));
  assert.equal(w.lastTracked("t", 0), String(n));
});

Deno.test("OffsetWatermark: oldestPending is the first offset of each partition some tier has not acknowledged, with its age", () => {
  let now = 1_000;
  const w = new OffsetWatermark({ now: () => now });
  w.track("t", 0, "5");
  now += 10;
  w.track("t", 0, "6");
  w.track("t", 1, "0");
  now += 5;
  assert.deepEqual(w.oldestPending(), [
    { topic: "t", partition: 0, offset: "5", ageMs: 15 },
    { topic: "t", partition: 1, offset: "0", ageMs: 5 },
  ]);
  w.ack("t", 0, "6", "hot");
  w.ack("t", 0, "6", "cold");
  w.ack("t", 0, "5", "hot");
  assert.equal(w.oldestPending()[0].offset, "5", "hot alone does not make 5 done; 6 done does not matter");
  w.ack("t", 0, "5", "cold");
  w.ackAll("t", 1, "0");
  assert.deepEqual(w.oldestPending(), [], "nothing in flight");
});

Deno.test("OffsetWatermark: offsets tracked as numbers or strings are the same offsets; lastTrackedOffset follows them", () => {
  const w = new OffsetWatermark();
  assert.equal(w.lastTrackedOffset("t", 3), undefined);
  w.track("t", 3, 7n);
  w.track("t", 3, "8");
  w.track("u", 3, 9007199254740993n); // beyond 2^53: exact
  assert.equal(w.lastTrackedOffset("t", 3), 8n);
  assert.equal(w.lastTrackedOffset("u", 3), 9007199254740993n);
  assert.equal(w.ack("t", 3, "7", "hot") || w.ack("t", 3, 7n, "cold"), true);
  assert.equal(w.committable("t", 3), "8");
  w.ackAll("t", 3, "8");
  assert.equal(w.lastTrackedOffset("t", 3), 8n, "done offsets still count as tracked");
  assert.equal(w.inFlight("t", 3), 0);
  assert.equal(w.inFlight("u", 3), 1, "topics are apart");
});

Deno.test("OffsetWatermark: a forgotten partition tracked again starts afresh", () => {
  const w = new OffsetWatermark();
  w.track("t", 0, 5n);
  w.forget("t", 0);
  assert.equal(w.lastTrackedOffset("t", 0), undefined);
  assert.equal(w.ack("t", 0, "5", "hot"), false, "acks of a forgotten partition are ignored");
  w.track("t", 0, 2n); // its new owner's re-read may start below what was tracked before
  assert.equal(w.totalInFlight, 1);
  assert.equal(w.ackAll("t", 0, "2"), true);
  assert.equal(w.committable("t", 0), "3");
});

Deno.test("OffsetWatermark: acks find their offset across gaps, in any order; unknown or malformed offsets are ignored", () => {
  const w = new OffsetWatermark({ tiers: ["hot"] });
  const tracked = [3, 4, 9, 10, 11, 40, 41, 1000];
  for (const o of tracked) w.track("t", 0, BigInt(o));
  for (const o of ["5", "2", "999", "1001", "x", "", "4.5", "-1"]) {
    assert.equal(w.ack("t", 0, o, "hot"), false, o);
  }
  assert.equal(w.inFlight("t", 0), tracked.length);
  for (const o of [41, 1000, 9, 11, 40]) assert.equal(w.ack("t", 0, String(o), "hot"), false, `${o}`);
  assert.equal(w.ack("t", 0, "3", "hot"), true);
  assert.equal(w.committable("t", 0), "4");
  assert.equal(w.ack("t", 0, 4n, "hot"), true);
  assert.equal(w.committable("t", 0), "10", "9 was done: the prefix runs to it");
  assert.equal(w.ack("t", 0, "10", "hot"), true);
  assert.equal(w.committable("t", 0), "1001", "the rest was done");
  assert.equal(w.ack("t", 0, "40", "hot"), false, "a done offset again is ignored");
  assert.equal(w.totalInFlight, 0);
});

Deno.test("OffsetWatermark: an empty offset string never acknowledges offset 0", () => {
  const w = new OffsetWatermark({ tiers: ["hot"] });
  w.track("t", 0, 0n);
  assert.equal(w.ack("t", 0, "", "hot"), false);
  assert.equal(w.ack("t", 0, "0", "hot"), true);
});

Deno.test("OffsetWatermark: totalInFlightBytes counts an offset's bytes until every tier holds it, also when revoked", () => {
  const w = new OffsetWatermark();
  w.track("t", 0, 0n, 100);
  w.track("t", 0, 1n, 250);
  w.track("t", 1, 0n, 40);
  w.track("t", 1, 1n); // no size given: weighs nothing
  assert.equal(w.totalInFlightBytes, 390);
  w.ack("t", 0, 1n, "hot");
  assert.equal(w.totalInFlightBytes, 390, "one tier is not enough");
  w.ack("t", 0, 1n, "cold");
  assert.equal(w.totalInFlightBytes, 140, "done out of order: its bytes leave at once");
  w.ack("t", 0, 1n, "cold");
  assert.equal(w.totalInFlightBytes, 140, "a repeated ack changes nothing");
  w.ackAll("t", 0, 0n);
  assert.equal(w.totalInFlightBytes, 40);
  w.forget("t", 1);
  assert.equal(w.totalInFlightBytes, 0, "a revoked partition's bytes are no longer in flight");
  assert.equal(w.totalInFlight, 0);
});
