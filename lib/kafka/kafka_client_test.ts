import assert from "node:assert/strict";
import { parseConfig } from "../config/vigil_config.ts";
import {
  createKafkaAdmin,
  createKafkaConsumer,
  createKafkaProducer,
  dlqTopic,
  eventKey,
} from "./kafka_client.ts";

const config = parseConfig({}, Deno.env.toObject());

Deno.test("eventKey joins the key fields with | and reads fields.<Name>", () => {
  const event = { host: "WIN-1", component: "CBS", level: "info", fields: { Pid: "42" } };
  assert.equal(eventKey(event, ["host", "component"]), "WIN-1|CBS");
  assert.equal(eventKey(event, ["host", "fields.Pid"]), "WIN-1|42");
  assert.equal(eventKey(event, ["missing", "component"]), "|CBS");
  assert.equal(eventKey(event, ["component"]), "CBS");
});

Deno.test("dlqTopic appends .dlq", () => {
  assert.equal(dlqTopic("vigil.events"), "vigil.events.dlq");
});

Deno.test("ensureTopic rejects bad names and partition counts", async () => {
  const admin = createKafkaAdmin(config);
  try {
    await assert.rejects(() => admin.ensureTopic("bad topic!", 1), TypeError);
    await assert.rejects(() => admin.ensureTopic("ok", 0), RangeError);
    await assert.rejects(() => admin.ensureTopic("ok", 1.5), RangeError);
  } finally {
    await admin.close();
  }
});

Deno.test({
  name: "ensureTopic creates once; producer and group consumer round-trip keyed messages (real Kafka)",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const topic = `test.kafka-client.${crypto.randomUUID()}`;
    const admin = createKafkaAdmin(config);
    try {
      assert.deepEqual(await admin.ensureTopic(topic, 3), { created: true, partitions: 3 });
      assert.deepEqual(await admin.ensureTopic(topic, 5), { created: false, partitions: 3 });
      const producer = createKafkaProducer(config);
      const sent = Array.from(
        { length: 30 },
        (_, i) => ({ topic, key: `h${i % 4}|CBS`, value: `{"n":${i}}` }),
      );
      await producer.send({ messages: sent });
      await producer.close();
      const consumer = createKafkaConsumer(config, { groupId: `test-${crypto.randomUUID()}` });
      const stream = await consumer.consume({ topics: [topic], mode: "earliest" });
      const got: { key: string; value: string; partition: number }[] = [];
      const timer = setTimeout(() => stream.close(), 20_000);
      for await (const m of stream) {
        got.push({ key: m.key, value: m.value, partition: m.partition });
        if (got.length === sent.length) break;
      }
      clearTimeout(timer);
      await stream.close();
      await consumer.close();
      assert.equal(got.length, 30);
      assert.deepEqual(new Set(got.map((g) => g.value)), new Set(sent.map((s) => s.value)));
      // Same key → same partition.
      const partitionOf = new Map<string, number>();
      for (const g of got) {
        const p = partitionOf.get(g.key);
        if (p !== undefined) assert.equal(g.partition, p);
        partitionOf.set(g.key, g.partition);
      }
    } finally {
      await admin.deleteTopics([topic]);
      await admin.close();
    }
  },
});
