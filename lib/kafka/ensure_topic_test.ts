import assert from "node:assert/strict";
import { Admin } from "@platformatic/kafka";
import { parseConfig } from "../config/vigil_config.ts";
import { ensureTopicWith, isTopicName } from "./ensure_topic.ts";

const { kafka } = parseConfig({}, Deno.env.toObject());

Deno.test("isTopicName accepts Kafka's legal names only", () => {
  for (const ok of ["vigil.events", "a", "A-b_c.1", "x".repeat(249)]) assert.equal(isTopicName(ok), true, ok);
  for (const bad of ["", ".", "..", "bad topic!", "x".repeat(250), "é"]) {
    assert.equal(isTopicName(bad), false, bad);
  }
});

Deno.test({
  name: "ensureTopicWith creates, leaves an existing topic alone unless asked to grow it (real Kafka)",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const topic = `test.ensure-topic.${crypto.randomUUID()}`;
    const where = kafka.brokers.join(",");
    const admin = new Admin({ clientId: "vigil-test-ensure", bootstrapBrokers: kafka.brokers });
    try {
      await assert.rejects(
        ensureTopicWith(admin, topic, 0, { where }),
        /Cannot ensure topic \S+ as partitions must be a positive integer: current value is 0/,
      );
      assert.deepEqual(await ensureTopicWith(admin, topic, 2, { where }), {
        created: true,
        grown: false,
        partitions: 2,
      });
      assert.deepEqual(await ensureTopicWith(admin, topic, 3, { where }), {
        created: false,
        grown: false,
        partitions: 2,
      });
      assert.deepEqual(await ensureTopicWith(admin, topic, 3, { where, grow: true }), {
        created: false,
        grown: true,
        partitions: 3,
      });
    } finally {
      await admin.deleteTopics({ topics: [topic] }).catch(() => {});
      await admin.close().catch(() => {});
    }
  },
});

Deno.test("ensureTopicWith names brokers and topic when Kafka is unreachable, unless told not to wrap", async () => {
  for (const wrapUnreachable of [true, false]) {
    const admin = new Admin({
      clientId: "vigil-test-ensure",
      bootstrapBrokers: ["127.0.0.1:1"],
      timeout: 1_000,
      retries: false,
    });
    try {
      const err = await ensureTopicWith(admin, "vigil.unreachable", 1, {
        where: "127.0.0.1:1",
        wrapUnreachable,
      })
        .then(() => undefined, (e: Error) => e);
      assert.ok(err instanceof Error);
      assert.equal(
        /^Cannot reach Kafka at 127\.0\.0\.1:1 to ensure topic vigil\.unreachable$/.test(err.message),
        wrapUnreachable,
        err.message,
      );
    } finally {
      await admin.close().catch(() => {});
    }
  }
});
