/**
 * Dead-letter bounds against the real Kafka: a huge invalid message gives a capped, flagged envelope; a
 * dead-letter topic that refuses writes (its `max.message.bytes` below the envelope) pauses the source with
 * the reason on `/health` after bounded tries, holds the offset, and once the topic accepts again the letter
 * is stored and consumption resumes — nothing lost.
 */
import assert from "node:assert/strict";
import { silentLogger } from "../../engine/logger.ts";
import { Admin } from "@platformatic/kafka";
import { KafkaSource } from "../../actors/kafka_source.ts";
import { DeadLetterProducer } from "../../actors/dead_letter_producer.ts";
import { decodeDeadLetter } from "../../actors/dead_letter_envelope.ts";
import { engineHealth } from "../../cli/engine_health.ts";
import { redriveDeadLetters } from "../../cli/dlq.ts";
import { parseConfig, type VigilConfig } from "../../lib/config/vigil_config.ts";
import { dlqTopic } from "../../lib/kafka/kafka_client.ts";
import type { KafkaCoordinates } from "../../lib/event/log_event.ts";
import { logEvent } from "../../testing/delivery_fixtures.ts";
import {
  committedOffsets,
  dropTopic,
  freshTopic,
  produceEvents,
  produceRaw,
  readTopic,
} from "../../testing/kafka_test_topics.ts";
import { runKafkaSource, type RunningSource } from "../../testing/run_kafka_source.ts";
import { until } from "../../testing/until.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

/** Sets `max.message.bytes` of a topic (the broker's per-batch limit). */
async function setMaxMessageBytes(config: VigilConfig, topic: string, bytes: number): Promise<void> {
  const admin = new Admin({ clientId: "test-dlq-bounds", bootstrapBrokers: config.kafka.brokers });
  try {
    await admin.incrementalAlterConfigs({
      resources: [{
        resourceType: 2, // TOPIC
        resourceName: topic,
        configs: [{ name: "max.message.bytes", configOperation: 0, value: String(bytes) }], // SET
      }],
    });
  } finally {
    await admin.close();
  }
}

/**
 * A source run as the pipeline runs it, acknowledging every valid event in both tiers at once (the sinks are not
 * under test); `start` runs it.
 */
function ackingSource(config: VigilConfig, dlq: DeadLetterProducer, got: KafkaCoordinates[]) {
  const source = new KafkaSource({ config, deadLetters: dlq, commitIntervalMs: 200, logger: silentLogger });
  const start = (): RunningSource =>
    runKafkaSource(source, ({ kafka }) => {
      got.push(kafka);
      source.ackAll(kafka);
    });
  return { source, start };
}

function withDelivery(config: VigilConfig, delivery: Record<string, number>): VigilConfig {
  return parseConfig({ kafka: config.kafka, delivery: { ...config.delivery, ...delivery } }, {});
}

Deno.test({
  ...opts,
  name: "DLQ bounds: a 1 MB invalid message is dead-lettered as a capped envelope, flagged, with its size",
  fn: async () => {
    const config = withDelivery(await freshTopic(1, "dlqcap"), { deadLetterMaxBytes: 64 * 1024 });
    const dlq = new DeadLetterProducer(config);
    const got: KafkaCoordinates[] = [];
    const { source: s, start } = ackingSource(config, dlq, got);
    let running: RunningSource | undefined;
    try {
      const huge = JSON.stringify({ content: "x".repeat(1_000_000 - 14) }); // 1,000,000 bytes, not a LogEvent
      assert.equal(huge.length, 1_000_000);
      await produceRaw(config, [{ key: "huge", value: huge }]);
      await produceEvents(config, [logEvent(1)]);
      running = start();
      await until(
        async () =>
          got.length === 1 && s.metrics.invalid === 1 && (await committedOffsets(config))[0] === "2",
        { what: "both messages done and committed", deadlineMs: 60_000 },
      );
      const [letter] = await readTopic(config, dlqTopic(config.kafka.topic), 1);
      assert.ok(new TextEncoder().encode(letter.value).length <= 64 * 1024, `${letter.value.length} bytes`);
      const decoded = decodeDeadLetter(letter.value);
      assert.equal(decoded.truncated, true);
      assert.equal(decoded.originalBytes, 1_000_000);
      assert.equal(decoded.kafka?.offset, "0");
      assert.match(decoded.reason, /not a LogEvent/);
      assert.equal(new TextDecoder().decode(decoded.original), huge.slice(0, decoded.original.length));
      assert.equal(s.metrics.pausedReason, undefined);
      // A cut letter is never re-driven as if it were the message.
      assert.deepEqual(
        await redriveDeadLetters(config, { dryRun: true, groupId: `redrive-${crypto.randomUUID()}` }),
        { sent: 0, skipped: 1 },
      );
    } finally {
      await (running?.stop(0) ?? s.stop(0));
      await dlq.close();
      await dropTopic(config);
    }
  },
});

Deno.test({
  ...opts,
  name:
    "DLQ bounds: a DLQ that refuses the envelope pauses the source with the reason on /health; fixed, it resumes with nothing lost",
  fn: async () => {
    const config = withDelivery(await freshTopic(1, "dlqblock"), {
      deadLetterAttempts: 2,
      deadLetterProbeMs: 300,
    });
    const topic = dlqTopic(config.kafka.topic);
    await setMaxMessageBytes(config, topic, 2000); // below any envelope of the 8 KB message below
    const dlq = new DeadLetterProducer(config);
    const got: KafkaCoordinates[] = [];
    const { source: s, start } = ackingSource(config, dlq, got);
    let running: RunningSource | undefined;
    // Random text: the producer compresses (zstd) and the broker's limit applies to the compressed batch.
    const bad = `not json ${btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(6000))))}`;
    try {
      await produceEvents(config, [logEvent(0)]);
      await produceRaw(config, [{ key: "bad", value: bad }]);
      await produceEvents(config, [logEvent(2)]);
      running = start();

      await until(() => s.metrics.pausedReason !== undefined, {
        what: "the source paused on the blocked DLQ",
        deadlineMs: 60_000,
      });
      const m = s.metrics;
      assert.equal(m.paused, true);
      assert.match(
        m.pausedReason ?? "",
        new RegExp(`dead-letter topic ${topic.replaceAll(".", "\\.")} refused`),
      );
      assert.match(m.pausedReason ?? "", /max\.message\.bytes/, "says what to change");
      assert.equal(m.deadLettersBlocked?.waiting, 1);
      assert.deepEqual(got.map((k) => k.offset), ["0"], "nothing after the held message is consumed");
      const health = engineHealth({ hotHealthy: true, coldHealthy: true, source: m });
      assert.equal(health.healthy, false);
      assert.match(health.reasons.join("\n"), /source paused: dead letters cannot be stored/);
      assert.equal(health.deadLetters?.waiting, 1);
      // Offset 0 is done and committed; the held offset 1 is not (a restart would re-read it).
      await until(async () => (await committedOffsets(config))[0] === "1", {
        what: "offset 0 committed",
        deadlineMs: 60_000,
      });
      assert.equal(dlq.written, 0);

      await setMaxMessageBytes(config, topic, 1_048_588); // the operator fixes the topic
      await until(async () => got.length === 2 && (await committedOffsets(config))[0] === "3", {
        what: "the letter stored, consumption resumed and everything committed",
        deadlineMs: 60_000,
      });
      assert.equal(s.metrics.paused, false);
      assert.equal(s.metrics.pausedReason, undefined);
      assert.equal(engineHealth({ hotHealthy: true, coldHealthy: true, source: s.metrics }).healthy, true);
      const letters = await readTopic(config, topic, 1);
      const decoded = decodeDeadLetter(letters[0].value);
      assert.equal(decoded.kafka?.offset, "1");
      assert.equal(decoded.truncated, undefined, "an 8 KB message is kept whole");
      assert.equal(new TextDecoder().decode(decoded.original), bad);
      assert.deepEqual(got.map((k) => k.offset), ["0", "2"]);
    } finally {
      await (running?.stop(0) ?? s.stop(0));
      await dlq.close();
      await dropTopic(config);
    }
  },
});
