/**
 * The one implementation of "make sure this Kafka topic exists": the product's {@link KafkaAdmin} (producer,
 * `deno task start`, tests) and the local stack's `infra/kafka_admin.ts` both call it with an admin client they
 * own, so creation races, leader waits and error messages behave the same everywhere.
 *
 * @module
 */
import type { Admin } from "@platformatic/kafka";

/** Options of {@link ensureTopicWith}. */
export interface EnsureTopicWithOptions {
  /** The brokers as the caller names them, e.g. `127.0.0.1:9092`; only used in error messages. */
  where: string;
  /**
   * Whether an existing topic with fewer partitions gets more. Default false: the product leaves an existing
   * topic as it is (its partition count is an operator's choice); the local stack grows its own topics.
   */
  grow?: boolean;
  /** Replication factor of a created topic. Default 1 (the local stack has one broker). */
  replicationFactor?: number;
  /** Topic configs of a created topic, e.g. `{ "retention.ms": "3600000" }`. Default none. */
  configs?: Record<string, string>;
  /** How long to wait for every partition to have a leader, in milliseconds. Default 10000. */
  timeoutMs?: number;
  /**
   * Whether a failure to reach the brokers is wrapped in an error naming brokers and topic. Default true.
   * False rethrows the client's own error: for callers that name brokers and topic themselves and print the
   * client's chain of reasons, which one more level would push past `describeKafkaError`'s depth (the
   * `ECONNREFUSED` a user needs to see would be cut off).
   */
  wrapUnreachable?: boolean;
}

/** What {@link ensureTopicWith} found or did. */
export interface EnsuredTopic {
  /** True when the topic did not exist when the call began and exists now (rarely, a concurrent caller's). */
  created: boolean;
  /** True when an existing topic had fewer partitions and now has enough (only with `grow`). */
  grown: boolean;
  /** The topic's partition count afterwards. */
  partitions: number;
}

const TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;

/**
 * Whether `name` is a legal Kafka topic name: 1-249 of `[a-zA-Z0-9._-]`, and not `.` or `..`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isTopicName } from "./ensure_topic.ts";
 * assert.equal(isTopicName("vigil.events"), true);
 * assert.equal(isTopicName("bad topic!"), false);
 * ```
 */
export function isTopicName(name: string): boolean {
  return TOPIC_NAME.test(name) && name !== "." && name !== "..";
}

/**
 * Makes sure topic `name` exists with `partitions` partitions: creates it when missing and, with `grow`, adds
 * partitions to an existing topic that has fewer (Kafka cannot shrink a topic; one with more is left alone).
 * Returns once every partition has a leader, so a produce right after creation does not fail with "unknown
 * topic or partition". Safe to call concurrently from several processes: a lost creation race is detected by
 * re-reading the metadata. The caller validates the topic name (each caller has its own error contract) and
 * owns (and closes) `admin`.
 *
 * @param admin an admin client for the brokers
 * @param name a valid topic name (see {@link isTopicName})
 * @param partitions the partition count of a created topic, and the minimum with `grow` (positive integer)
 * @param options `where` for error messages, grow, replication factor, configs, leader-wait timeout
 * @returns whether the topic was created or grown, and its partition count
 * @throws {RangeError} when partitions is not a positive integer
 * @throws {Error} naming brokers and topic when the brokers cannot be reached (unless `wrapUnreachable` is
 *   false), refuse the request, or the partitions get no leader in time (the client's error is kept as `cause`)
 *
 * @example
 * ```ts ignore
 * import { Admin } from "@platformatic/kafka";
 * import { ensureTopicWith } from "./ensure_topic.ts";
 * const admin = new Admin({ clientId: "example", bootstrapBrokers: ["127.0.0.1:9092"] });
 * await ensureTopicWith(admin, "vigil.events", 4, { where: "127.0.0.1:9092" });
 * await admin.close();
 * ```
 */
export async function ensureTopicWith(
  admin: Admin,
  name: string,
  partitions: number,
  options: EnsureTopicWithOptions,
): Promise<EnsuredTopic> {
  if (!Number.isInteger(partitions) || partitions < 1) {
    throw new RangeError(
      `Cannot ensure topic ${name} as partitions must be a positive integer: current value is ${partitions}`,
    );
  }
  const { where, grow = false, replicationFactor = 1, configs = {}, timeoutMs = 10_000 } = options;
  const existing = await topicPartitionCount(admin, name).catch((err) => {
    if (options.wrapUnreachable === false) throw err;
    throw new Error(`Cannot reach Kafka at ${where} to ensure topic ${name}`, { cause: err });
  });
  if (existing !== undefined && (existing >= partitions || !grow)) {
    return { created: false, grown: false, partitions: existing };
  }
  // Without `grow` only existence matters, so a concurrent creator's smaller topic also counts as done.
  const wanted = existing === undefined && !grow ? 1 : partitions;
  try {
    if (existing !== undefined) {
      await admin.createPartitions({ topics: [{ name, count: partitions }] });
    } else {
      await admin.createTopics({
        topics: [name],
        partitions,
        replicas: replicationFactor,
        configs: Object.entries(configs).map(([name, value]) => ({ name, value })),
      });
    }
  } catch (err) {
    // Lost a race with another caller, or the client retried a request that had in fact succeeded
    // ("already exists" / "already has N partitions"): fine if the topic is there in the end.
    const now = await untilLeaders(admin, name, wanted, timeoutMs, where).catch(() => undefined);
    if (now === undefined) {
      const verb = existing === undefined ? "create" : `grow to ${partitions} partitions`;
      throw new Error(`Cannot ${verb} Kafka topic ${name} on ${where}`, { cause: err });
    }
    return { created: existing === undefined, grown: existing !== undefined, partitions: now };
  }
  // The controller accepts the change before the leaders are elected and the brokers' metadata caches
  // catch up: wait until producers would find every partition with a leader.
  const now = await untilLeaders(admin, name, wanted, timeoutMs, where);
  return { created: existing === undefined, grown: existing !== undefined, partitions: now };
}

/**
 * The partition count of topic `name`, or undefined when it does not exist (fresh metadata, not the client's
 * cache, so a topic created or grown a moment ago is seen as it is).
 *
 * @param admin an admin client for the brokers
 * @param name the topic name
 * @throws {Error} the client's error when the brokers cannot be reached
 */
export async function topicPartitionCount(admin: Admin, name: string): Promise<number | undefined> {
  const topics = await admin.listTopics({ includeInternals: false });
  if (!topics.includes(name)) return undefined;
  const md = await admin.metadata({ topics: [name], forceUpdate: true });
  return md.topics.get(name)?.partitionsCount;
}

/** Polls metadata until `name` has at least `partitions` partitions, each with a leader. */
async function untilLeaders(
  admin: Admin,
  name: string,
  partitions: number,
  timeoutMs: number,
  where: string,
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
        `Kafka topic ${name} on ${where} did not show ${partitions} partitions with leaders within ${timeoutMs} ms`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
