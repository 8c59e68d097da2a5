/**
 * Small Kafka admin operations of the local stack and its tests, addressed by broker list (the stack has no
 * vigil config at hand): making sure a topic exists with enough partitions (the product's implementation,
 * `lib/kafka/ensure_topic.ts`), and asking a broker whether it is ready. Uses `@platformatic/kafka`.
 *
 * @module
 */
import { Admin } from "@platformatic/kafka";
import { type EnsuredTopic, ensureTopicWith, isTopicName } from "../lib/kafka/ensure_topic.ts";

/** Options of {@link ensureTopic}. */
export interface EnsureTopicOptions {
  /** Replication factor of a created topic. Default 1 (the local stack has one broker). */
  replicationFactor?: number;
  /** Topic configs of a created topic, e.g. `{ "retention.ms": "3600000" }`. Default none. */
  configs?: Record<string, string>;
  /** Client id. Default `vigil-admin`. */
  clientId?: string;
  /** Per-request timeout in milliseconds. Default 10000. */
  timeoutMs?: number;
}

/** What {@link ensureTopic} found or did: created, grown, partition count afterwards. */
export type EnsureTopicResult = EnsuredTopic;

/**
 * Makes sure `name` exists with at least `partitions` partitions on `brokers`: creates it when missing, adds
 * partitions when it has fewer (Kafka cannot shrink a topic; a topic with more is left alone). Returns once
 * every partition has a leader in the metadata. Safe to call concurrently from several processes. The work is
 * the product's {@link ensureTopicWith} (one implementation for stack and product); this wrapper owns the
 * admin client and checks the arguments the stack's callers pass.
 *
 * Note: a just-created topic may still answer NOT_LEADER_OR_FOLLOWER for a few milliseconds; produce with an
 * idempotent producer (vigil's does) so the client's retries cannot duplicate records.
 *
 * @param brokers bootstrap brokers, e.g. `["127.0.0.1:9092"]`
 * @param name the topic name (letters, digits, `.`, `_`, `-`; at most 249 chars)
 * @param partitions the minimum partition count (positive integer)
 * @param options replication factor, configs, client id, timeout
 * @returns whether the topic was created or grown, and its partition count
 * @throws {RangeError} on an empty broker list, an invalid name or partition count
 * @throws {Error} when the brokers cannot be reached or refuse the request (the cause is kept)
 *
 * @example
 * ```ts ignore
 * import { ensureTopic } from "./kafka_admin.ts";
 * await ensureTopic(["127.0.0.1:9092"], "vigil.events", 4);
 * ```
 */
export async function ensureTopic(
  brokers: readonly string[],
  name: string,
  partitions: number,
  options: EnsureTopicOptions = {},
): Promise<EnsureTopicResult> {
  if (brokers.length === 0) {
    throw new RangeError(
      "Cannot ensure a topic as brokers must name at least one broker: current value is []",
    );
  }
  // RangeError (the product's KafkaAdmin throws TypeError): the stack's callers and tests rely on it.
  if (!isTopicName(name)) {
    throw new RangeError(
      `Cannot ensure a topic as name must be 1-249 chars of [a-zA-Z0-9._-]: current value is ${
        JSON.stringify(name)
      }`,
    );
  }
  const timeoutMs = options.timeoutMs ?? 10_000;
  const admin = new Admin({
    clientId: options.clientId ?? "vigil-admin",
    bootstrapBrokers: [...brokers],
    timeout: timeoutMs,
    retries: 2,
  });
  try {
    return await ensureTopicWith(admin, name, partitions, {
      where: brokers.join(","),
      grow: true,
      replicationFactor: options.replicationFactor,
      configs: options.configs,
      timeoutMs,
    });
  } finally {
    await admin.close().catch(() => {});
  }
}

/**
 * Whether a Kafka broker answers a metadata request within `timeoutMs` (and names at least one broker).
 * Never throws.
 *
 * @param brokers bootstrap brokers
 * @param timeoutMs overall bound in milliseconds (default 3000)
 */
export async function isKafkaReady(brokers: readonly string[], timeoutMs = 3_000): Promise<boolean> {
  const admin = new Admin({
    clientId: "vigil-probe",
    bootstrapBrokers: [...brokers],
    timeout: timeoutMs,
    retries: false,
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const ready = admin.metadata({ topics: [] }).then((md) => md.brokers.size > 0, () => false);
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    return await Promise.race([ready, timeout]);
  } finally {
    clearTimeout(timer);
    await admin.close().catch(() => {});
  }
}
