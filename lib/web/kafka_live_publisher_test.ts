import assert from "node:assert/strict";
import { KafkaLivePublisher, type LiveFrameProducer } from "./kafka_live_publisher.ts";
import { parseLiveFrame } from "./live_frame.ts";
import type { TickFrame } from "./live_frame.ts";
import { toIncidentFrame } from "./live_aggregator.ts";
import { makeIncident } from "../../testing/memory_hot_tier.ts";

const tick = (t: number): TickFrame => ({ type: "tick", t, total: 1, byClassification: {}, byLevel: {} });

function recordingProducer(fail = false) {
  const batches: { topic: string; key?: string; value: string }[][] = [];
  const producer: LiveFrameProducer = {
    send: ({ messages }) => {
      batches.push(messages);
      return fail ? Promise.reject(new Error("broker down")) : Promise.resolve();
    },
  };
  return { producer, batches };
}

Deno.test("KafkaLivePublisher batches frames into sends of at most maxBatch, keyed and in order", async () => {
  const { producer, batches } = recordingProducer();
  const pub = new KafkaLivePublisher({
    producer,
    topic: "live",
    key: "engine-1",
    maxBatch: 2,
    lingerMs: 1000,
  });
  for (let t = 1; t <= 5; t++) pub.publish(tick(t));
  await pub.flush();
  assert.deepEqual(batches.map((b) => b.length), [2, 2, 1]);
  assert.deepEqual(batches.flat().map((m) => (parseLiveFrame(m.value) as TickFrame).t), [1, 2, 3, 4, 5]);
  assert.ok(batches.flat().every((m) => m.topic === "live" && m.key === "engine-1"));
  assert.equal(pub.sent, 5);
});

Deno.test("KafkaLivePublisher bounds its buffer and counts failed sends instead of throwing", async () => {
  const { producer } = recordingProducer(true);
  const pub = new KafkaLivePublisher({ producer, capacity: 3, lingerMs: 1000 });
  for (let t = 1; t <= 5; t++) pub.publish(tick(t));
  assert.equal(pub.dropped, 2);
  await pub.flush();
  assert.equal(pub.failed, 3);
  assert.throws(
    () => new KafkaLivePublisher({ producer, maxBatch: 0 }),
    /maxBatch must be a positive integer/,
  );
});

Deno.test("parseLiveFrame rejects malformed and out-of-schema frames", () => {
  assert.equal(parseLiveFrame("{"), undefined);
  assert.equal(parseLiveFrame(JSON.stringify({ ...tick(1), extra: 1 })), undefined);
  assert.equal(parseLiveFrame(JSON.stringify({ ...tick(1), byLevel: { loud: 1 } })), undefined);
  assert.equal(parseLiveFrame(JSON.stringify({ type: "alert", eventId: "x" })), undefined);
  assert.deepEqual(parseLiveFrame(JSON.stringify(tick(7))), tick(7));
});

Deno.test("KafkaLivePublisher carries incident frames that a web server's schema accepts whole", async () => {
  const { producer, batches } = recordingProducer();
  const pub = new KafkaLivePublisher({ producer });
  const frame = toIncidentFrame(makeIncident({ templateId: "t1", status: "acknowledged", statusBy: "ops" }));
  pub.publish(frame);
  await pub.flush();
  assert.equal(pub.sent, 1);
  assert.deepEqual(parseLiveFrame(batches[0][0].value), frame);
});

Deno.test("KafkaLivePublisher: a send that never settles counts as failed after sendTimeoutMs, and the next frames still go", async () => {
  const batches: number[] = [];
  let hang = true;
  const producer: LiveFrameProducer = {
    send: ({ messages }) => {
      batches.push(messages.length);
      return hang ? new Promise(() => {}) : Promise.resolve();
    },
  };
  const pub = new KafkaLivePublisher({ producer, lingerMs: 1000, sendTimeoutMs: 50 });
  pub.publish(tick(1));
  await pub.flush();
  assert.equal(pub.failed, 1);
  hang = false;
  pub.publish(tick(2));
  await pub.flush();
  assert.equal(pub.sent, 1);
  assert.deepEqual(batches, [1, 1]);
});

Deno.test("KafkaLivePublisher: a flush with a deadline (a stop) drops and counts what it could not send in time", async () => {
  const producer: LiveFrameProducer = { send: () => new Promise(() => {}) };
  const pub = new KafkaLivePublisher({ producer, maxBatch: 1, lingerMs: 1000, sendTimeoutMs: 40 });
  for (let t = 1; t <= 10; t++) pub.publish(tick(t));
  const started = Date.now();
  await pub.flush(100);
  assert.ok(Date.now() - started < 1000, `${Date.now() - started} ms`);
  assert.ok(pub.failed >= 1 && pub.failed <= 4, `${pub.failed} failed`);
  assert.equal(pub.failed + pub.dropped, 10);
});
