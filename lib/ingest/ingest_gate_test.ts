import assert from "node:assert/strict";
import { parseConfig } from "../config/vigil_config.ts";
import type { LogEvent } from "../event/log_event.ts";
import { createKafkaAdmin, createKafkaProducer } from "../kafka/kafka_client.ts";
import { EventPublisher } from "../producer/event_publisher.ts";
import { ensureEventTopic } from "../producer/produce_run.ts";
import { uniqueTopic } from "../../testing/consume_topic.ts";
import { draftToEvent } from "./ingest_event.ts";
import { IngestGate } from "./ingest_gate.ts";

function events(n: number): LogEvent[] {
  const ctx = { source: "gate-test", system: "syslog", peerHost: "h", maxChars: 1000 };
  return Array.from(
    { length: n },
    (_, i) => draftToEvent({ content: `m${i}`, fields: {}, raw: `m${i}`, flags: [] }, ctx),
  );
}

Deno.test({
  name:
    "the gate refuses with 429 while the backlog is full and 503 while Kafka fails, letting one probe through",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    // Nothing listens on port 1: the idempotent client's first send never settles, so events stay pending until
    // the publisher's send timeout fails them — a Kafka that does not answer.
    const down = parseConfig({ kafka: { brokers: ["127.0.0.1:1"] } });
    const producer = createKafkaProducer(down, { retries: 0, timeout: 500 });
    try {
      const publisher = new EventPublisher(producer, { topic: "t", sendTimeoutMs: 1500, lingerMs: 0 });
      const gate = new IngestGate(publisher, { maxPendingEvents: 5, ackTimeoutMs: 60_000 });
      assert.deepEqual(gate.admit(100), { ok: true }); // a big batch is admitted when nothing is pending
      const first = gate.deliver(events(5));
      assert.equal(gate.pending, 5);
      const full = gate.admit(1);
      assert.equal(full.ok, false);
      assert.equal(!full.ok && full.status, 429);
      assert.equal(await first, "failed");
      assert.equal(gate.pending, 0);
      assert.equal(gate.kafkaUp, false);
      assert.deepEqual(gate.admit(1), { ok: true }); // the probe
      const probe = gate.deliver(events(1));
      const refused = gate.admit(1);
      assert.equal(!refused.ok && refused.status, 503);
      assert.equal(await probe, "failed");
      assert.equal(gate.pending, 0);
    } finally {
      await producer.close();
    }
  },
});

Deno.test({
  name:
    "the gate answers timeout when Kafka does not acknowledge in time; the events stay pending until settled",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const down = parseConfig({ kafka: { brokers: ["127.0.0.1:1"] } });
    const producer = createKafkaProducer(down, { retries: 0, timeout: 500 });
    try {
      const publisher = new EventPublisher(producer, { topic: "t", sendTimeoutMs: 1500, lingerMs: 0 });
      const gate = new IngestGate(publisher, { maxPendingEvents: 100, ackTimeoutMs: 200 });
      assert.equal(await gate.deliver(events(3)), "timeout");
      assert.equal(gate.pending, 3); // still in flight: counted against the backlog
      await publisher.flush();
      // The gate learns of the settlement a few promise reactions later: wait for it, with a deadline.
      const deadline = Date.now() + 5000;
      while (gate.pending > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      assert.equal(gate.pending, 0);
    } finally {
      await producer.close();
    }
  },
});

Deno.test({
  name: "the gate reports each produce request's events as it settles: every index once, acked or not",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const config = parseConfig({}, Deno.env.toObject());
    const topic = uniqueTopic("ingest-gate");
    await ensureEventTopic(config, topic, 1);
    const producer = createKafkaProducer(config);
    const down = createKafkaProducer(parseConfig({ kafka: { brokers: ["127.0.0.1:1"] } }), {
      retries: 0,
      timeout: 500,
    });
    try {
      // Batches of 7: 50 events are 8 produce requests, each reported once with its indexes.
      const publisher = new EventPublisher(producer, { topic, batchSize: 7, lingerMs: 0 });
      const gate = new IngestGate(publisher, { maxPendingEvents: 1000, ackTimeoutMs: 60_000 });
      const reports: { indexes: readonly number[]; acked: boolean }[] = [];
      assert.equal(
        await gate.deliver(events(50), undefined, (indexes, acked) => reports.push({ indexes, acked })),
        "acked",
      );
      assert.ok(reports.length >= 8, String(reports.length));
      assert.deepEqual(reports.flatMap((r) => r.indexes).sort((a, b) => a - b), [...Array(50).keys()]);
      assert.ok(reports.every((r) => r.acked));
      // Kafka unreachable: every index is reported, not acked.
      const failing = new EventPublisher(down, { topic: "t", sendTimeoutMs: 1500, lingerMs: 0 });
      const downGate = new IngestGate(failing, { maxPendingEvents: 1000, ackTimeoutMs: 60_000 });
      const failed: number[] = [];
      assert.equal(
        await downGate.deliver(events(3), undefined, (indexes, acked) => !acked && failed.push(...indexes)),
        "failed",
      );
      assert.deepEqual(failed.sort(), [0, 1, 2]);
    } finally {
      await producer.close();
      await down.close();
      const admin = createKafkaAdmin(config);
      await admin.deleteTopics([topic]).catch(() => {});
      await admin.close();
    }
  },
});
