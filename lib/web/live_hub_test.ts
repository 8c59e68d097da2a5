import assert from "node:assert/strict";
import { BoundedFrameQueue } from "./bounded_frame_queue.ts";
import { LiveHub } from "./live_hub.ts";
import { LiveAggregator } from "./live_aggregator.ts";
import { type LiveFrame, parseLiveFrame, type TickFrame } from "./live_frame.ts";
import { makeEvent, makeIncident } from "../../testing/memory_hot_tier.ts";

const tick = (t: number): TickFrame => ({ type: "tick", t, total: t, byClassification: {}, byLevel: {} });

Deno.test("BoundedFrameQueue drops the oldest when full and counts it", async () => {
  const q = new BoundedFrameQueue<number>(3);
  for (let i = 1; i <= 5; i++) q.push(i);
  assert.equal(q.dropped, 2);
  assert.deepEqual([await q.next(), await q.next(), await q.next()], [3, 4, 5]);
  assert.equal(q.size, 0);
});

Deno.test("BoundedFrameQueue hands an item straight to a waiting reader; abort and close resolve undefined", async () => {
  const q = new BoundedFrameQueue<string>(1);
  const waiting = q.next();
  q.push("a");
  assert.equal(await waiting, "a");
  const ac = new AbortController();
  const aborted = q.next(ac.signal);
  ac.abort();
  assert.equal(await aborted, undefined);
  const closed = q.next();
  q.close();
  assert.equal(await closed, undefined);
  q.push("ignored");
  assert.equal(q.size, 0);
  assert.throws(() => new BoundedFrameQueue(0), /capacity must be a positive integer: current value is 0/);
});

Deno.test("LiveHub fans out to every subscriber in order", async () => {
  const hub = new LiveHub();
  const a = hub.subscribe();
  const b = hub.subscribe();
  hub.publish(tick(1));
  hub.publish(tick(2));
  for (const sub of [a, b]) {
    assert.deepEqual([(await sub.next())?.id.split("-")[1], (await sub.next())?.id.split("-")[1]], [
      "1",
      "2",
    ]);
  }
  a.close();
  b.close();
  assert.equal(hub.stats().subscribers, 0);
});

Deno.test("LiveHub: a slow subscriber loses old frames without affecting a fast one", async () => {
  const hub = new LiveHub({ clientCapacity: 4 });
  const slow = hub.subscribe();
  const fast = hub.subscribe({ capacity: 100 });
  for (let i = 1; i <= 10; i++) hub.publish(tick(i));
  assert.equal(slow.dropped, 6);
  assert.equal(fast.dropped, 0);
  assert.equal(((await slow.next()) as TickFrame).t, 7);
  assert.equal(((await fast.next()) as TickFrame).t, 1);
  assert.equal(hub.stats().dropped, 6);
  slow.close();
  fast.close();
});

Deno.test("LiveHub replays frames after Last-Event-ID, and nothing for an unknown or foreign id", async () => {
  const hub = new LiveHub({ replay: 5 });
  const ids = [1, 2, 3, 4].map((i) => hub.publish(tick(i)).id);
  const resumed = hub.subscribe({ lastEventId: ids[1] });
  assert.equal(((await resumed.next()) as TickFrame).t, 3);
  assert.equal(((await resumed.next()) as TickFrame).t, 4);
  const foreign = hub.subscribe({ lastEventId: "zzz-1" });
  hub.publish(tick(5));
  assert.equal(((await foreign.next()) as TickFrame).t, 5);
  resumed.close();
  foreign.close();
});

Deno.test("LiveAggregator counts per second and publishes alerts at once", () => {
  const frames: LiveFrame[] = [];
  const agg = new LiveAggregator({ publish: (f) => frames.push(f), now: () => 1_000_000 });
  agg.record(makeEvent({ id: "a", level: "info" }));
  agg.record(
    makeEvent({ id: "b", level: "error", classification: "ANOMALY", score: 0.7, content: "x".repeat(3000) }),
  );
  agg.record(makeEvent({ id: "c", level: "error", classification: "CRITICAL_ANOMALY", score: 0.99 }));
  assert.equal(frames.length, 2);
  assert.equal(frames[0].type === "alert" && frames[0].content.length, 2001);
  const t = agg.flush();
  assert.deepEqual(t, {
    type: "tick",
    t: 1000,
    total: 3,
    byClassification: { NORMAL: 1, ANOMALY: 1, CRITICAL_ANOMALY: 1 },
    byLevel: { info: 1, error: 2 },
  });
  assert.equal(agg.flush().total, 0);
});

Deno.test("LiveAggregator publishes one incident frame per changed incident, samples and reasons clipped", () => {
  const frames: LiveFrame[] = [];
  const agg = new LiveAggregator({ publish: (f) => frames.push(f), now: () => 1_000_000 });
  const a = makeIncident({ templateId: "ta" });
  const b = makeIncident({
    templateId: "tb",
    reasons: Array.from({ length: 40 }, (_, i) => `reason ${i} ` + "r".repeat(2000)),
    samples: [{ eventId: "e", ts: a.firstTs, host: "h", lineNo: 1, content: "y".repeat(5000) }],
  });
  agg.record(makeEvent({ id: "n", level: "info" }), "d-0", [a, b]);
  agg.record(makeEvent({ id: "m", level: "info" }), "d-1", []);
  assert.equal(frames.length, 2);
  assert.deepEqual(frames[0], { type: "incident", incident: a });
  const second = frames[1];
  assert.ok(second.type === "incident");
  assert.equal(second.incident.samples[0].content.length, 2001);
  assert.equal(second.incident.reasons.length, 32);
  // What the aggregator sends always passes the schema a web server applies to frames from Kafka.
  assert.deepEqual(parseLiveFrame(JSON.stringify(second)), second);
  assert.equal(agg.flush().total, 2);
});
