/**
 * Smoke test against the real local Kafka broker: a keyed produce/consume round trip on a 4-partition topic.
 */
import assert from "node:assert/strict";
import { Admin, Consumer, Producer, stringDeserializers, stringSerializers } from "@platformatic/kafka";
import { loadConfig } from "../../lib/config/vigil_config.ts";
import { ensureTopic } from "../../infra/kafka_admin.ts";
import { withDeadline } from "./deadline.ts";

Deno.test("kafka: keyed messages round-trip through a 4-partition topic, same key → same partition", async () => {
  const { kafka } = await loadConfig();
  const brokers = kafka.brokers;
  const topic = `vigil.smoke.${crypto.randomUUID()}`;
  const where = `Kafka at ${brokers.join(",")}`;

  const created = await withDeadline(
    ensureTopic(brokers, topic, 4),
    20_000,
    `Creating topic ${topic} on ${where}`,
  );
  assert.deepEqual(created, { created: true, grown: false, partitions: 4 });

  const keys = ["web-1|nginx", "web-2|nginx", "db-1|postgres", "db-2|postgres"];
  const sent = keys.flatMap((key) =>
    [1, 2, 3].map((n) => ({ key, value: JSON.stringify({ key, n, text: "héllo ✓" }) }))
  );
  // Idempotent, as vigil's producer is: a just-created topic can answer NOT_LEADER_OR_FOLLOWER for some
  // partitions for a few milliseconds, and @platformatic/kafka retries the whole per-broker request, so a
  // non-idempotent producer writes the partitions that had succeeded twice. The broker dedupes these.
  const producer = new Producer({
    clientId: "vigil-smoke",
    bootstrapBrokers: brokers,
    serializers: stringSerializers,
    idempotent: true,
    timeout: 10_000,
  });
  const consumer = new Consumer({
    clientId: "vigil-smoke",
    groupId: `vigil-smoke-${crypto.randomUUID()}`,
    bootstrapBrokers: brokers,
    deserializers: stringDeserializers,
    timeout: 10_000,
  });
  const admin = new Admin({ clientId: "vigil-smoke", bootstrapBrokers: brokers });
  try {
    const result = await withDeadline(
      producer.send({ messages: sent.map((m) => ({ topic, key: m.key, value: m.value })), acks: -1 }),
      20_000,
      `Producing ${sent.length} messages to ${where}`,
    );
    // The broker acknowledged (acks=all) one batch per partition written to.
    assert.ok((result.offsets ?? []).length > 0, "the producer got no offsets back");
    for (const o of result.offsets ?? []) assert.ok(o.topic === topic && o.partition >= 0 && o.partition < 4);

    // The log holds exactly what was sent: the end offsets of the 4 partitions add up to the record count.
    const ends = await withDeadline(
      consumer.listOffsets({ topics: [topic] }),
      10_000,
      `Listing offsets on ${where}`,
    );
    const endOffsets = ends.get(topic) ?? [];
    assert.equal(endOffsets.length, 4);
    assert.equal(endOffsets.reduce((a, b) => a + b, 0n), BigInt(sent.length));

    const received = await withDeadline(
      (async () => {
        // A group consumer delivers at least once: a rebalance right after joining can replay records
        // before any commit, so records are identified by (partition, offset).
        const out = new Map<string, { key: string; value: string; partition: number }>();
        const stream = await consumer.consume({ topics: [topic], mode: "earliest", maxWaitTime: 500 });
        try {
          for await (const m of stream) {
            out.set(`${m.partition}:${m.offset}`, { key: m.key, value: m.value, partition: m.partition });
            if (out.size === sent.length) break;
          }
        } finally {
          await stream.close();
        }
        return [...out.values()];
      })(),
      30_000,
      `Consuming ${sent.length} messages back from ${where}`,
    );

    // Counts in = counts out (nothing lost, nothing duplicated), exact payloads, key → partition stickiness.
    assert.deepEqual(
      received.map((m) => m.key + " " + m.value).sort(),
      sent.map((m) => m.key + " " + m.value).sort(),
    );
    for (const key of keys) {
      const partitions = new Set(received.filter((m) => m.key === key).map((m) => m.partition));
      assert.equal(partitions.size, 1, `messages of key ${key} landed on partitions ${[...partitions]}`);
    }
    for (const m of received) assert.ok(m.partition >= 0 && m.partition < 4);
  } finally {
    await producer.close().catch(() => {});
    await consumer.close(true).catch(() => {});
    await admin.deleteTopics({ topics: [topic] }).catch(() => {});
    await admin.close().catch(() => {});
  }
});

Deno.test("kafka: ensureTopic is idempotent and grows a topic, rejects bad arguments", async () => {
  const { kafka } = await loadConfig();
  const topic = `vigil.smoke.${crypto.randomUUID()}`;
  const admin = new Admin({ clientId: "vigil-smoke", bootstrapBrokers: kafka.brokers });
  try {
    assert.deepEqual(await ensureTopic(kafka.brokers, topic, 2), {
      created: true,
      grown: false,
      partitions: 2,
    });
    assert.deepEqual(await ensureTopic(kafka.brokers, topic, 2), {
      created: false,
      grown: false,
      partitions: 2,
    });
    assert.deepEqual(await ensureTopic(kafka.brokers, topic, 4), {
      created: false,
      grown: true,
      partitions: 4,
    });
    // Kafka cannot shrink a topic: asking for fewer leaves it as it is.
    assert.deepEqual(await ensureTopic(kafka.brokers, topic, 1), {
      created: false,
      grown: false,
      partitions: 4,
    });
    await assert.rejects(ensureTopic(kafka.brokers, "bad topic!", 1), RangeError);
    await assert.rejects(ensureTopic(kafka.brokers, topic, 0), /partitions must be a positive integer/);
    await assert.rejects(ensureTopic([], topic, 1), RangeError);
  } finally {
    await admin.deleteTopics({ topics: [topic] }).catch(() => {});
    await admin.close().catch(() => {});
  }
});

Deno.test("kafka: ensureTopic on an unreachable broker fails within its timeout, naming the broker", async () => {
  const started = performance.now();
  await assert.rejects(
    ensureTopic(["127.0.0.1:1"], "vigil.unreachable", 1, { timeoutMs: 1_000 }),
    /Cannot reach Kafka at 127\.0\.0\.1:1/,
  );
  assert.ok(performance.now() - started < 15_000);
});
