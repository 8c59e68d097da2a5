/**
 * One isolated measurement or chaos scenario on the shared stack: its own topic (4 partitions), consumer
 * group, index prefix, S3 prefix and classifier data directory, so runs never touch anyone else's data —
 * and the clean-up that removes all of it afterwards.
 *
 * @module
 */
import { DeleteObjectsCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { parseConfig, type VigilConfig } from "../../lib/config/vigil_config.ts";
import { createTopic, deleteTopics } from "./event_feeder.ts";

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
    VIGIL_HOT_INDEX_PREFIX: `vigilbench-${tag}`,
    VIGIL_S3_PREFIX: `bench-${tag}/`,
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
  const url = config.hot.url;
  const p = config.hot.indexPrefix;
  const del = async (path: string) =>
    await (await fetch(`${url}/${path}`, { method: "DELETE" }).catch(() => undefined))?.body?.cancel();
  await del(`${p}-*`);
  for (const t of ["events", "templates", "incidents"]) await del(`_index_template/${p}-${t}`);
  await deleteS3Prefix(config, config.s3.prefix).catch(() => {});
  await Deno.remove(s.env.VIGIL_CLASSIFIER_DATA_DIR, { recursive: true }).catch(() => {});
}

/** Deletes every object under `prefix` (which must be non-empty) in the configured bucket. */
export async function deleteS3Prefix(config: VigilConfig, prefix: string): Promise<void> {
  if (prefix.length === 0) throw new RangeError("Cannot delete S3 objects as prefix must not be empty");
  const c = config.s3;
  const client = new S3Client({
    endpoint: c.endpoint,
    region: c.region,
    forcePathStyle: c.forcePathStyle,
    credentials: { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey },
  });
  try {
    let token: string | undefined;
    do {
      const page = await client.send(
        new ListObjectsV2Command({ Bucket: c.bucket, Prefix: prefix, ContinuationToken: token }),
      );
      const keys = (page.Contents ?? []).map((o) => ({ Key: o.Key! }));
      if (keys.length > 0) {
        await client.send(new DeleteObjectsCommand({ Bucket: c.bucket, Delete: { Objects: keys } }));
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  } finally {
    client.destroy();
  }
}
