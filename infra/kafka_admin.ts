/**
 * Small Kafka admin operations the stack, the tests and the engine share: making sure a topic exists with
 * enough partitions, and asking a broker whether it is ready. Uses `@platformatic/kafka` (maintained, pure
 * TypeScript, tested against Kafka 4).
 *
 * @module
 */
import { Admin } from "@platformatic/kafka";

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

/** What {@link ensureTopic} found or did. */
export interface EnsureTopicResult {
  /** True when the topic did not exist when the call began and exists now (rarely, a concurrent caller's). */
  created: boolean;
  /** True when an existing topic had fewer partitions and now has enough. */
  grown: boolean;
  /** The topic's partition count afterwards. */
  partitions: number;
}

const TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;

/**
 * Makes sure `name` exists with at least `partitions` partitions: creates it when missing, adds partitions
 * when it has fewer (Kafka cannot shrink a topic; a topic with more is left alone). Returns once every
 * partition has a leader in the metadata. Safe to call concurrently from several processes: a lost
 * creation race is detected by re-reading the metadata.
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
 * ```ts
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
  if (!TOPIC_NAME.test(name) || name === "." || name === "..") {
    throw new RangeError(
      `Cannot ensure a topic as name must be 1-249 chars of [a-zA-Z0-9._-]: current value is ${
        JSON.stringify(name)
      }`,
    );
  }
  if (!Number.isInteger(partitions) || partitions < 1) {
    throw new RangeError(
      `Cannot ensure topic ${name} as partitions must be a positive integer: current value is ${partitions}`,
    );
  }
  const replicas = options.replicationFactor ?? 1;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const admin = new Admin({
    clientId: options.clientId ?? "vigil-admin",
    bootstrapBrokers: [...brokers],
    timeout: timeoutMs,
    retries: 2,
  });
  const where = brokers.join(",");
  try {
    const existing = await partitionCount(admin, name).catch((err) => {
      throw new Error(`Cannot reach Kafka at ${where} to ensure topic ${name}`, { cause: err });
    });
    if (existing !== undefined && existing >= partitions) {
      return { created: false, grown: false, partitions: existing };
    }
    try {
      if (existing !== undefined) {
        await admin.createPartitions({ topics: [{ name, count: partitions }] });
      } else {
        await admin.createTopics({
          topics: [name],
          partitions,
          replicas,
          configs: Object.entries(options.configs ?? {}).map(([name, value]) => ({ name, value })),
        });
      }
    } catch (err) {
      // Lost a race with another caller, or the client retried a request that had in fact succeeded
      // ("already exists" / "already has N partitions"): fine if the topic is there in the end.
      const now = await waitForTopic(admin, name, partitions, timeoutMs).catch(() => undefined);
      if (now === undefined) {
        const verb = existing === undefined ? "create" : `grow to ${partitions} partitions`;
        throw new Error(`Cannot ${verb} Kafka topic ${name} on ${where}`, { cause: err });
      }
      return { created: existing === undefined, grown: existing !== undefined, partitions: now };
    }
    // Metadata reaches the broker's caches a moment after the controller accepts the change: wait until
    // producers would find every partition with a leader, so callers can use the topic straight away.
    const now = await waitForTopic(admin, name, partitions, timeoutMs);
    return { created: existing === undefined, grown: existing !== undefined, partitions: now };
  } finally {
    await admin.close().catch(() => {});
  }
}

async function partitionCount(admin: Admin, name: string): Promise<number | undefined> {
  const topics = await admin.listTopics({ includeInternals: false });
  if (!topics.includes(name)) return undefined;
  const md = await admin.metadata({ topics: [name], forceUpdate: true });
  return md.topics.get(name)?.partitionsCount;
}

/** Polls metadata until `name` has at least `partitions` partitions, each with a leader. */
async function waitForTopic(
  admin: Admin,
  name: string,
  partitions: number,
  timeoutMs: number,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const topics = await admin.listTopics({ includeInternals: false }).catch(() => [] as string[]);
    if (topics.includes(name)) {
      const md = await admin.metadata({ topics: [name], forceUpdate: true }).catch(() => undefined);
      const topic = md?.topics.get(name);
      if (topic && topic.partitionsCount >= partitions && topic.partitions.every((p) => p.leader >= 0)) {
        return topic.partitionsCount;
      }
    }
    if (Date.now() >= deadline) {
      throw new Error(
        `Kafka topic ${name} did not show ${partitions} partitions with leaders within ${timeoutMs} ms`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
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
