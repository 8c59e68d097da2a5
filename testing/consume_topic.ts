/**
 * Test helper (producer, ingest and publisher tests): reads every message of a topic with a fresh consumer
 * group, until `expected` messages have arrived and then `settleMs` passes with nothing more (so extra messages
 * would be seen), or `timeoutMs`.
 *
 * @module
 */
import type { VigilConfig } from "../lib/config/vigil_config.ts";
import { createKafkaConsumer } from "../lib/kafka/kafka_client.ts";

/** One consumed message. */
export interface ConsumedMessage {
  key: string;
  value: string;
  partition: number;
  offset: bigint;
  timestamp: bigint;
}

/**
 * Consumes a whole topic.
 *
 * @param config configuration (brokers)
 * @param topic the topic
 * @param expected how many messages to wait for
 * @param settleMs quiet time after reaching `expected` (default 1500)
 * @param timeoutMs overall limit (default 60 s)
 */
export async function consumeTopic(
  config: VigilConfig,
  topic: string,
  expected: number,
  settleMs = 1500,
  timeoutMs = 60_000,
): Promise<ConsumedMessage[]> {
  const consumer = createKafkaConsumer(config, { groupId: `test-${crypto.randomUUID()}` });
  const stream = await consumer.consume({ topics: [topic], mode: "earliest" });
  const out: ConsumedMessage[] = [];
  const iterator = stream[Symbol.asyncIterator]();
  const deadline = Date.now() + timeoutMs;
  let pending = iterator.next();
  try {
    for (;;) {
      const wait = out.length >= expected ? settleMs : Math.max(0, deadline - Date.now());
      let timer: ReturnType<typeof setTimeout> | undefined;
      const r = await Promise.race([
        pending,
        new Promise<"timeout">((res) => timer = setTimeout(() => res("timeout"), wait)),
      ]);
      clearTimeout(timer);
      if (r === "timeout" || r.done) break;
      const m = r.value;
      out.push({
        key: m.key,
        value: m.value,
        partition: m.partition,
        offset: m.offset,
        timestamp: m.timestamp,
      });
      pending = iterator.next();
    }
  } finally {
    await stream.close();
    await consumer.close();
  }
  return out;
}

/** A topic name unique to this test run. */
export function uniqueTopic(name: string): string {
  return `test.producer.${name}.${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
}
