/**
 * Helpers for delivery tests against the real Kafka: unique topics, producing LogEvents and raw bytes,
 * reading a topic back, and reading a group's committed offsets.
 *
 * @module
 */
import { stringSerializers } from "@platformatic/kafka";
import { parseConfig, type VigilConfig } from "../lib/config/vigil_config.ts";
import {
  createKafkaAdmin,
  createKafkaConsumer,
  createKafkaProducer,
  ensureEventTopics,
} from "../lib/kafka/kafka_client.ts";
import type { LogEvent } from "../lib/event/log_event.ts";

/** A config for a fresh topic (and group) of this test run. */
export async function freshTopic(partitions: number, name = "delivery"): Promise<VigilConfig> {
  const topic = `test.${name}.${crypto.randomUUID().slice(0, 8)}`;
  const config = parseConfig(
    { kafka: { topic, partitions, groupId: `group-${topic}`, fromBeginning: true } },
    Deno.env.toObject(),
  );
  await ensureEventTopics(config, { dlqPartitions: 1 });
  return config;
}

/** Deletes the test's topics. */
export async function dropTopic(config: VigilConfig): Promise<void> {
  const admin = createKafkaAdmin(config);
  try {
    await admin.deleteTopics([config.kafka.topic, `${config.kafka.topic}.dlq`]);
  } finally {
    await admin.close();
  }
}

/** Produces values (strings or raw bytes) with keys to the config's topic. */
export async function produceRaw(
  config: VigilConfig,
  messages: { key: string; value: string | Uint8Array }[],
): Promise<void> {
  const producer = createKafkaProducer(config, {
    serializers: {
      ...stringSerializers,
      value: (v?: unknown) => typeof v === "string" ? stringSerializers.value(v) : v,
    } as unknown as typeof stringSerializers,
  });
  try {
    for (let i = 0; i < messages.length; i += 500) {
      await producer.send({
        messages: messages.slice(i, i + 500).map((m) => ({
          topic: config.kafka.topic,
          key: m.key,
          value: m.value as string,
        })),
      });
    }
  } finally {
    await producer.close();
  }
}

/** Produces LogEvents keyed `host|component`. */
export function produceEvents(config: VigilConfig, events: LogEvent[]): Promise<void> {
  return produceRaw(
    config,
    events.map((e) => ({ key: `${e.host}|${e.component}`, value: JSON.stringify(e) })),
  );
}

/** Reads `count` messages of a topic from the beginning (fails after `timeoutMs`). */
export async function readTopic(
  config: VigilConfig,
  topic: string,
  count: number,
  timeoutMs = 20_000,
): Promise<{ key: string; value: string; partition: number; offset: bigint }[]> {
  const consumer = createKafkaConsumer(config, { groupId: `reader-${crypto.randomUUID()}` });
  const out: { key: string; value: string; partition: number; offset: bigint }[] = [];
  const stream = await consumer.consume({ topics: [topic], mode: "earliest" });
  const timer = setTimeout(() => stream.close(), timeoutMs);
  try {
    if (count > 0) {
      for await (const m of stream) {
        out.push({ key: m.key, value: m.value, partition: m.partition, offset: m.offset });
        if (out.length >= count) break;
      }
    }
  } finally {
    clearTimeout(timer);
    await stream.close().catch(() => {});
    await consumer.close().catch(() => {});
  }
  return out;
}

/** The committed offsets of the config's group on its topic, by partition ("-1" when none). */
export async function committedOffsets(
  config: VigilConfig,
  groupId = config.kafka.groupId,
): Promise<string[]> {
  const consumer = createKafkaConsumer(config, { groupId });
  try {
    const offsets = await consumer.listCommittedOffsets({
      topics: [{
        topic: config.kafka.topic,
        partitions: Array.from({ length: config.kafka.partitions }, (_, i) => i),
      }],
    });
    return (offsets.get(config.kafka.topic) ?? []).map((o) => o.toString());
  } finally {
    await consumer.close().catch(() => {});
  }
}
