/**
 * One isolated measurement or chaos scenario on the shared stack: its own topic (4 partitions), consumer
 * group, test namespace (index prefix, bucket and S3 prefix, `testing/test_namespace.ts`) and classifier data
 * directory, so runs never touch anyone else's data — and the clean-up that removes all of it afterwards.
 *
 * @module
 */
import { parseConfig, type VigilConfig } from "../../lib/config/vigil_config.ts";
import { createTopic, deleteTopics } from "./event_feeder.ts";
import { namespaceEnv, testNamespace } from "../../testing/test_namespace.ts";
import { dropTestNamespace } from "../../testing/drop_test_namespace.ts";

/** A scenario's names and the environment its engine processes get. */
export interface Scenario {
  name: string;
  config: VigilConfig;
  /** `VIGIL_*` variables for engine processes of this scenario. */
  env: Record<string, string>;
}

/**
 * Creates the scenario's topic and names.
 * @param extraEnv more `VIGIL_*` settings for the engine (e.g. a proxied hot.url)
 */
export async function newScenario(
  runId: string,
  name: string,
  extraEnv: Record<string, string> = {},
  partitions = 4,
): Promise<Scenario> {
  const tag = `${runId}-${name}`;
  const env: Record<string, string> = {
    VIGIL_KAFKA_TOPIC: `bench.${tag}`,
    VIGIL_KAFKA_GROUP_ID: `bench-${tag}`,
    VIGIL_KAFKA_PARTITIONS: String(partitions),
    VIGIL_KAFKA_FROM_BEGINNING: "true",
    ...namespaceEnv(
      testNamespace(name.toLowerCase().replace(/[^a-z0-9-]+/g, "-").slice(0, 30) || "run", "bench"),
    ),
    // The product defaults (offset windows of 100k, 300 s timeout) suit object storage: under sustained load a
    // window fills and is written once, long before its timeout. A bounded run of tens of thousands of events
    // keeps that shape scaled down — windows of 2,500 offsets that complete during the run, and a timeout that
    // flushes the last, partial ones within seconds. (A timeout much shorter than a window's fill time would
    // instead rewrite every window several times: read, merge, write — measured separately as "merges".)
    VIGIL_COLD_OFFSET_WINDOW: "2500",
    VIGIL_COLD_TIMEOUT_MS: "3000",
    VIGIL_CLASSIFIER_DATA_DIR: `.vigil/bench/${tag}`,
    VIGIL_DELIVERY_COMMIT_INTERVAL_MS: "500",
    ...extraEnv,
  };
  const config = parseConfig({}, { ...Deno.env.toObject(), ...env });
  await createTopic(config, config.kafka.topic, partitions);
  return { name, config, env };
}

/** Removes the scenario's topic, indices, index templates, S3 objects and classifier data. */
export async function dropScenario(s: Scenario): Promise<void> {
  const { config } = s;
  await deleteTopics(config, [config.kafka.topic]);
  await dropTestNamespace(
    { indexPrefix: config.hot.indexPrefix, bucket: config.s3.bucket, s3Prefix: config.s3.prefix },
    config,
  ).catch(() => {});
  await Deno.remove(s.env.VIGIL_CLASSIFIER_DATA_DIR, { recursive: true }).catch(() => {});
}
