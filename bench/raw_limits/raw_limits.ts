/**
 * The raw limits of this machine's stack, measured in the same run as everything they are compared with:
 * Kafka produce and consume (Kafka's own Java perf tools on vigil's event JSON), OpenSearch `_bulk` of
 * pre-serialised vigil documents (best of a few client settings) and S3 PUT of a vigil Parquet object.
 *
 * @module
 */
import type { VigilConfig } from "../../lib/config/vigil_config.ts";
import type { LogEvent } from "../../lib/event/log_event.ts";
import { createTopic, deleteTopics } from "../suite/event_feeder.ts";
import { namespaceSettings, testNamespace } from "../../testing/test_namespace.ts";
import { dropTestNamespace } from "../../testing/drop_test_namespace.ts";
import { type Spread, spread } from "../suite/stats.ts";
import { consumerPerformance, ensurePerfJars, producerPerformance } from "./kafka_perf_tools.ts";
import { type BulkSetting, opensearchBulkLimit } from "./opensearch_bulk.ts";
import { s3PutLimit } from "./s3_put.ts";

/** Options of {@link measureRawLimits}. */
export interface RawLimitOptions {
  runId: string;
  config: VigilConfig;
  /** vigil events (their JSON is the Kafka payload; their documents the bulk bodies). */
  events: readonly LogEvent[];
  /** Kafka records per perf-tool run. */
  kafkaRecords: number;
  /** Rows of the Parquet object PUT to S3. */
  objectRows: number;
  /** PUTs per concurrency setting. */
  puts: number;
  /** Bulk client settings tried. */
  bulkSettings: BulkSetting[];
  repeats: number;
}

/** Raw limits: min/median/max over repeats (events/s unless named otherwise). */
export interface RawLimits {
  eventBytes: number;
  kafkaProduce: Spread;
  kafkaConsume: Spread;
  /** Best docs/s over the settings, per repeat. */
  opensearchBulk: Spread;
  bulkSettings: { batch: number; concurrency: number; docsPerSecond: number[] }[];
  s3MiBPerSecond: Spread;
  /** Events/s the S3 bandwidth carries at vigil's bytes per Parquet row. */
  s3Events: Spread;
  s3ObjectBytes: number;
  s3ObjectRows: number;
}

/** Measures every raw limit `repeats` times. @throws when a tool or service fails */
export async function measureRawLimits(o: RawLimitOptions): Promise<RawLimits> {
  await ensurePerfJars();
  const brokers = o.config.kafka.brokers;
  const payloads = o.events.map((e) => JSON.stringify(e));
  const eventBytes = payloads.reduce((s, p) => s + p.length, 0) / payloads.length;
  const payloadFile = await Deno.makeTempFile({ suffix: ".jsonl" });
  await Deno.writeTextFile(payloadFile, payloads.join("\n"));
  const topics: string[] = [];
  const produce: number[] = [];
  const consume: number[] = [];
  const bulk: number[] = [];
  const bulkBySetting = o.bulkSettings.map((s) => ({ ...s, docsPerSecond: [] as number[] }));
  const mib: number[] = [];
  const s3Events: number[] = [];
  let objectBytes = 0;
  // The bench's own namespace: indices `<prefix>-r<round>` and objects in the tests' bucket, removed after.
  const ns = testNamespace("raw", "bench");
  const nsConfig: VigilConfig = { ...o.config, s3: { ...o.config.s3, ...namespaceSettings(ns).s3 } };
  try {
    for (let r = 0; r < o.repeats; r++) {
      const topic = `bench.${o.runId}.raw.${r}`;
      topics.push(topic);
      await createTopic(o.config, topic, 4);
      produce.push(await producerPerformance({ brokers, topic, records: o.kafkaRecords, payloadFile }));
      consume.push(await consumerPerformance(brokers, topic, o.kafkaRecords));
      const b = await opensearchBulkLimit(
        o.config.hot.url,
        `${ns.indexPrefix}-r${r}`,
        o.events,
        o.bulkSettings,
      );
      bulk.push(b.best);
      b.settings.forEach((s, i) => bulkBySetting[i].docsPerSecond.push(s.docsPerSecond));
      const s3 = await s3PutLimit(nsConfig, ns.s3Prefix, o.events.slice(0, o.objectRows), o.puts);
      mib.push(s3.bestMiBPerSecond);
      s3Events.push(s3.eventsPerSecond);
      objectBytes = s3.objectBytes;
    }
  } finally {
    await Deno.remove(payloadFile).catch(() => {});
    await deleteTopics(o.config, topics);
    await dropTestNamespace(ns, o.config).catch(() => {});
  }
  return {
    eventBytes,
    kafkaProduce: spread(produce),
    kafkaConsume: spread(consume),
    opensearchBulk: spread(bulk),
    bulkSettings: bulkBySetting,
    s3MiBPerSecond: spread(mib),
    s3Events: spread(s3Events),
    s3ObjectBytes: objectBytes,
    s3ObjectRows: Math.min(o.objectRows, o.events.length),
  };
}
