import assert from "node:assert/strict";
import { parseConfig } from "../config/vigil_config.ts";
import type { LogEvent } from "../event/log_event.ts";
import { createKafkaAdmin, createKafkaProducer } from "../kafka/kafka_client.ts";
import { consumeTopic, uniqueTopic } from "../../testing/consume_topic.ts";
import { until } from "../../testing/until.ts";
import { EventPublisher } from "./event_publisher.ts";

const config = parseConfig({}, Deno.env.toObject());

function event(i: number): LogEvent {
  return {
    v: 1,
    id: `t:${i}`,
    ts: "2016-09-28T04:30:31.000Z",
    ingestTs: "2026-01-01T00:00:00.000Z",
    host: `h${i % 3}`,
    source: "test",
    system: "windows",
    level: "info",
    component: i % 2 ? "CBS" : "CSI",
    content: `message ${i}`,
    fields: {},
    lineNo: i,
    raw: `raw ${i}`,
    flags: [],
  };
}

Deno.test({
  name:
    "every published event is acknowledged once, in batches, with bounded requests in flight (real Kafka)",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const topic = uniqueTopic("publisher");
    const admin = createKafkaAdmin(config);
    await admin.ensureTopic(topic, 3);
    const producer = createKafkaProducer(config);
    try {
      const publisher = new EventPublisher(producer, { topic, batchSize: 700, maxInFlight: 2, lingerMs: 5 });
      for (let i = 1; i <= 5000; i++) await publisher.publish(event(i));
      await publisher.flush();
      assert.equal(publisher.stats.published, 5000);
      assert.equal(publisher.stats.acked, 5000);
      assert.equal(publisher.stats.failed, 0);
      // A lone event goes out after the linger time without flush.
      await publisher.publish(event(5001));
      await until(() => publisher.stats.acked === 5001, {
        what: "the lone event acknowledged without flush",
      });
      assert.equal(publisher.stats.published, 5001);
      const messages = await consumeTopic(config, topic, 5001);
      assert.equal(messages.length, 5001);
      assert.equal(new Set(messages.map((m) => JSON.parse(m.value).lineNo)).size, 5001);
      assert.ok(
        messages.every((m) => m.key === `${JSON.parse(m.value).host}|${JSON.parse(m.value).component}`),
      );
    } finally {
      await producer.close();
      await admin.deleteTopics([topic]);
      await admin.close();
    }
  },
});

Deno.test({
  name: "a failing produce request is counted and its error kept, never lost silently",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    // Nothing listens on port 1. The idempotent client never settles its first request there (it hangs in
    // InitProducerId), which is what sendTimeoutMs is for.
    const down = parseConfig({ kafka: { brokers: ["127.0.0.1:1"] } });
    const producer = createKafkaProducer(down, { retries: 1, retryDelay: 100, timeout: 1000 });
    try {
      const publisher = new EventPublisher(producer, {
        topic: uniqueTopic("missing"),
        batchSize: 10,
        sendTimeoutMs: 3000,
      });
      for (let i = 1; i <= 25; i++) await publisher.publish(event(i));
      await publisher.flush();
      assert.equal(publisher.stats.published, 25);
      assert.equal(publisher.stats.acked + publisher.stats.failed, 25);
      assert.equal(publisher.stats.failed, 25);
      assert.ok(publisher.stats.firstError instanceof Error);
    } finally {
      await producer.close();
    }
  },
});

Deno.test({
  name: "publishAcknowledged resolves only once Kafka acknowledged those events, across batches (real Kafka)",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const topic = uniqueTopic("publisher-acked");
    const admin = createKafkaAdmin(config);
    await admin.ensureTopic(topic, 2);
    const producer = createKafkaProducer(config);
    try {
      const publisher = new EventPublisher(producer, { topic, batchSize: 100, maxInFlight: 2, lingerMs: 50 });
      // Two callers at once share batches; each learns about its own events only.
      const a = Array.from({ length: 250 }, (_, i) => event(i + 1));
      const b = Array.from({ length: 30 }, (_, i) => event(i + 1001));
      await Promise.all([
        publisher.publishAcknowledged(a).then(() => assert.ok(publisher.stats.acked >= 250)),
        publisher.publishAcknowledged(b),
      ]);
      assert.equal(publisher.stats.acked, 280);
      assert.equal((await consumeTopic(config, topic, 280)).length, 280);
    } finally {
      await producer.close();
      await admin.deleteTopics([topic]);
      await admin.close();
    }
  },
});

Deno.test({
  name: "publishAcknowledged rejects when the produce request fails (Kafka unreachable)",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const down = parseConfig({ kafka: { brokers: ["127.0.0.1:1"] } });
    const producer = createKafkaProducer(down, { retries: 1, retryDelay: 100, timeout: 1000 });
    try {
      const publisher = new EventPublisher(producer, { topic: uniqueTopic("missing"), sendTimeoutMs: 2000 });
      await assert.rejects(publisher.publishAcknowledged([event(1), event(2)]), Error);
      assert.equal(publisher.stats.failed, 2);
    } finally {
      await producer.close();
    }
  },
});

Deno.test("bad batching options throw RangeError", () => {
  const producer = createKafkaProducer(config);
  assert.throws(
    () => new EventPublisher(producer, { topic: "t", batchSize: 0 }),
    /batchSize must be a positive integer: current value is 0/,
  );
  assert.throws(
    () => new EventPublisher(producer, { topic: "t", maxInFlight: 6 }),
    /maxInFlight must be an integer in 1..5/,
  );
  assert.throws(() => new EventPublisher(producer, { topic: "t", lingerMs: -1 }), RangeError);
});
