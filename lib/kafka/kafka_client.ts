/**
 * vigil's one Kafka client factory, shared by the producer (`deno task produce`) and the engine's KafkaSource.
 *
 * The client library is **`@platformatic/kafka`** (pinned in deno.json). It was chosen over `kafkajs@2.2.4`
 * after measuring both against the local Kafka 4.1 under Deno (evidence: bench/README.md, "Kafka client"):
 * both connect, produce idempotently with acks=all and consume in a group, but platformatic produced about 2×
 * the events/s of kafkajs at vigil's event size and supports gzip, snappy, lz4 and zstd out of the box on Deno
 * (kafkajs: gzip only without native codec packages), and it is maintained (kafkajs: no release since 2023,
 * and it prints `TimeoutNegativeWarning` on current runtimes).
 *
 * What this module fixes for every caller, so producer and consumers agree:
 * - keys and values are UTF-8 strings (values are JSON of {@link LogEvent});
 * - the key of an event is {@link eventKey} (`kafka.keyFields` joined by `|`, default `host|component`);
 * - partitioning is Java-compatible murmur2 ({@link compatibilityPartitioner}), so the same key lands on the
 *   same partition as with any Java client;
 * - producers are idempotent with acks=all and use `kafka.compression`;
 * - every client connects with the same TLS / SASL settings ({@link kafkaConnectionOptions}).
 *
 * Known client behaviour to guard against: the first `send()` of an idempotent producer (which runs
 * InitProducerId) does not settle when no broker is reachable; later sends fail normally after the retries.
 * Check reachability first (e.g. {@link KafkaAdmin.ensureTopic}, which fails fast) or bound sends with a timeout
 * (the producer's `EventPublisher` does both).
 *
 * Usage (consumer side, as the KafkaSource does it; it consumes until stopped, so the doc test does not run it):
 * ```ts ignore
 * import { loadConfig } from "../config/vigil_config.ts";
 * import { createKafkaConsumer } from "./kafka_client.ts";
 * const config = await loadConfig();
 * const consumer = createKafkaConsumer(config);
 * const stream = await consumer.consume({ topics: [config.kafka.topic], mode: "committed", fallbackMode: "earliest" });
 * for await (const message of stream) {
 *   // message.key / message.value: string; message.partition: number; message.offset: bigint
 *   await message.commit(); // when autocommit is off
 * }
 * await stream.close();
 * await consumer.close();
 * ```
 *
 * @module
 */
import {
  Admin,
  compatibilityPartitioner,
  Consumer,
  type ConsumerOptions,
  Producer,
  type ProducerOptions,
  stringDeserializers,
  stringSerializers,
} from "@platformatic/kafka";
import type { VigilConfig } from "../config/vigil_config.ts";
import { ensureTopicWith, isTopicName, topicPartitionCount } from "./ensure_topic.ts";
import { kafkaConnectionOptions } from "./kafka_connection.ts";
import { KafkaAccessError, kafkaAccessProblem, rethrowAccessProblem } from "./kafka_access_error.ts";

/** The name and version of the Kafka client library in use (for logs, metrics and the dashboard). */
export const KAFKA_CLIENT_LIBRARY = "@platformatic/kafka@2.12.1";

/** A producer of string keys and values. */
export type VigilKafkaProducer = Producer<string, string, string, string>;
/** A consumer-group consumer of string keys and values. */
export type VigilKafkaConsumer = Consumer<string, string, string, string>;

/** Overrides for {@link createKafkaProducer}; anything the library accepts, validated by it. */
export type KafkaProducerOverrides = Partial<ProducerOptions<string, string, string, string>>;
/** Overrides for {@link createKafkaConsumer}; anything the library accepts, validated by it. */
export type KafkaConsumerOverrides = Partial<ConsumerOptions<string, string, string, string>>;

/**
 * Creates an idempotent (acks=all) producer for `config.kafka.brokers` using `config.kafka.compression`.
 * It connects lazily on the first send; call `close()` when done.
 *
 * @param config vigil's configuration
 * @param overrides extra library options (e.g. `clientId`), applied last
 */
export function createKafkaProducer(
  config: VigilConfig,
  overrides: KafkaProducerOverrides = {},
): VigilKafkaProducer {
  return new Producer<string, string, string, string>({
    clientId: `${config.kafka.clientId}-producer`,
    bootstrapBrokers: config.kafka.brokers,
    ...kafkaConnectionOptions(config),
    serializers: stringSerializers,
    idempotent: true,
    acks: -1,
    compression: config.kafka.compression,
    partitioner: compatibilityPartitioner,
    // Topics are created explicitly with the configured partition count (KafkaAdmin.ensureTopic), never by a
    // produce request, which would use the broker's default partition count.
    autocreateTopics: false,
    ...overrides,
  });
}

/**
 * Creates a consumer in group `config.kafka.groupId` (override with `overrides.groupId`).
 * Call `consume({ topics, mode })` to get an async-iterable message stream.
 *
 * Defaults differ from the library's in three ways, all for a live monitor: `maxWaitTime` is 500 ms (not 5 s)
 * so a quiet topic does not delay the first events; `autocommit` is off so the caller commits only what it
 * has processed (at-least-once); fetches are bounded by `kafka.fetchMaxBytes` / `fetchMaxBytesPerPartition`
 * (2 MiB / 512 KiB, not 50 MiB), because each response is decoded into memory at once and a backlog would
 * otherwise be pulled into the process as fast as the broker can send it.
 *
 * @param config vigil's configuration
 * @param overrides extra library options, applied last
 */
export function createKafkaConsumer(
  config: VigilConfig,
  overrides: KafkaConsumerOverrides = {},
): VigilKafkaConsumer {
  return new Consumer<string, string, string, string>({
    clientId: `${config.kafka.clientId}-consumer`,
    groupId: config.kafka.groupId,
    bootstrapBrokers: config.kafka.brokers,
    ...kafkaConnectionOptions(config),
    deserializers: stringDeserializers,
    autocommit: false,
    maxWaitTime: 500,
    maxBytes: config.kafka.fetchMaxBytes,
    maxBytesPerPartition: config.kafka.fetchMaxBytesPerPartition,
    ...overrides,
  } as ConsumerOptions<string, string, string, string>);
}

/** Result of {@link KafkaAdmin.ensureTopic}. */
export interface EnsureTopicResult {
  /** True when this call created the topic. */
  created: boolean;
  /** The topic's partition count (as found when it already existed). */
  partitions: number;
}

/** Kafka administration that vigil needs: topics. */
export class KafkaAdmin {
  readonly #admin: Admin;
  readonly #where: string;
  readonly #config: VigilConfig;

  /**
   * @param config vigil's configuration (brokers, client id, TLS and SASL)
   */
  constructor(config: VigilConfig) {
    this.#config = config;
    this.#admin = new Admin({
      clientId: `${config.kafka.clientId}-admin`,
      bootstrapBrokers: config.kafka.brokers,
      ...kafkaConnectionOptions(config),
    });
    this.#where = config.kafka.brokers.join(",");
  }

  /**
   * Creates topic `name` with `partitions` partitions unless it exists; an existing topic is left as it is
   * (its partition count is the operator's choice). Returns once every partition has a leader (up to 15 s),
   * so a produce right after creation does not fail. The work is {@link ensureTopicWith}, shared with the
   * local stack.
   *
   * @param name the topic name (Kafka's rules: 1–249 of `[a-zA-Z0-9._-]`)
   * @param partitions partition count for a new topic (positive integer)
   * @throws {TypeError} when the name is not a valid topic name
   * @throws {RangeError} when partitions is not a positive integer
   * @throws {KafkaAccessError} when Kafka refuses the SASL login or its certificate is not trusted
   * @throws {Error} the client's error when Kafka cannot be reached; one naming brokers and topic when Kafka
   *   refuses the topic or its partitions get no leader in time (cause kept)
   */
  async ensureTopic(name: string, partitions: number): Promise<EnsureTopicResult> {
    if (!isTopicName(name)) {
      throw new TypeError(
        `Cannot ensure topic as the name must be 1-249 of [a-zA-Z0-9._-]: current value is ${
          JSON.stringify(name)
        }`,
      );
    }
    const { created, partitions: count } = await ensureTopicWith(this.#admin, name, partitions, {
      where: this.#where,
      timeoutMs: 15_000,
      // Callers (produce) name brokers and topic and print the client's reasons themselves.
      wrapUnreachable: false,
    }).catch((err) => rethrowAccessProblem(err, this.#config));
    return { created, partitions: count };
  }

  /**
   * Returns the partition count of a topic, or undefined when it does not exist.
   *
   * @param name the topic name
   * @throws {KafkaAccessError} when Kafka refuses the SASL login or its certificate is not trusted
   */
  async partitionCount(name: string): Promise<number | undefined> {
    return await topicPartitionCount(this.#admin, name).catch((err) =>
      rethrowAccessProblem(err, this.#config)
    );
  }

  /**
   * Deletes topics (missing ones are ignored). Used by tests and benchmarks to clean up their unique topics.
   *
   * @param names topic names
   */
  async deleteTopics(names: string[]): Promise<void> {
    const existing = new Set(await this.#admin.listTopics());
    const present = names.filter((n) => existing.has(n));
    if (present.length > 0) await this.#admin.deleteTopics({ topics: present });
  }

  /** Closes the connections. */
  async close(): Promise<void> {
    await this.#admin.close();
  }
}

/**
 * Creates a {@link KafkaAdmin} for the configured brokers.
 *
 * @param config vigil's configuration
 */
export function createKafkaAdmin(config: VigilConfig): KafkaAdmin {
  return new KafkaAdmin(config);
}

/**
 * Fails fast when Kafka refuses vigil's credentials or its certificate is not trusted — which no retry fixes —
 * so a long-running consumer reports it in one line instead of reconnecting for ever. Any other outcome
 * (reachable, or down for now: the consumer waits for it) returns; the check gives up after `timeoutMs`.
 *
 * @param config vigil's configuration
 * @param timeoutMs the most this check waits
 * @throws {KafkaAccessError} naming the setting to fix
 */
export async function checkKafkaAccess(config: VigilConfig, timeoutMs = 20_000): Promise<void> {
  const admin = new Admin({
    clientId: `${config.kafka.clientId}-admin`,
    bootstrapBrokers: config.kafka.brokers,
    ...kafkaConnectionOptions(config),
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const outcome = await Promise.race([
      admin.metadata({ topics: [] }).then(() => undefined, (err: unknown) => kafkaAccessProblem(err, config)),
      new Promise<undefined>((resolve) => timer = setTimeout(() => resolve(undefined), timeoutMs)),
    ]);
    if (outcome !== undefined) throw new KafkaAccessError(outcome);
  } finally {
    clearTimeout(timer);
    await admin.close().catch(() => {});
  }
}

/**
 * Builds the Kafka key of an event: the values of `keyFields` joined by `|` (missing values are empty).
 * A key field may name a top-level event field (`host`, `component`, `system`, `level`...) or one of its
 * format fields as `fields.<Name>`.
 *
 * @param event the event (a LogEvent or any record)
 * @param keyFields the config's `kafka.keyFields`, e.g. `["host", "component"]`
 * @returns e.g. `WIN-7SRV-0042|CBS`
 */
export function eventKey(event: Readonly<Record<string, unknown>>, keyFields: readonly string[]): string {
  let key = "";
  for (let i = 0; i < keyFields.length; i++) {
    const name = keyFields[i];
    let value: unknown;
    if (name.startsWith("fields.")) {
      const fields = event.fields as Record<string, unknown> | undefined;
      value = fields?.[name.slice(7)];
    } else {
      value = event[name];
    }
    if (i > 0) key += "|";
    if (value !== undefined && value !== null) key += String(value);
  }
  return key;
}

/** The dead-letter topic of a topic: `<topic>.dlq` (the shared contract). */
export function dlqTopic(topic: string): string {
  return `${topic}.dlq`;
}

/**
 * Creates vigil's live-frame topic (`web.liveTopic`, one partition: the frames of each engine stay ordered)
 * unless it exists. Engines publish to it and web servers with `web.liveSource: "kafka"` read it; whichever
 * starts first creates it (produce requests never create topics here).
 *
 * @param config vigil's configuration
 * @throws the client's error when Kafka refuses or cannot be reached (see {@link KafkaAdmin.ensureTopic})
 */
export async function ensureLiveTopic(config: VigilConfig): Promise<void> {
  const admin = createKafkaAdmin(config);
  try {
    await admin.ensureTopic(config.web.liveTopic, 1);
  } finally {
    await admin.close().catch(() => {});
  }
}

/**
 * Ensures an event topic and its dead-letter topic exist (each call opens and closes its own admin client).
 *
 * @param config vigil's configuration (brokers; the topic and partition count by default)
 * @param options the topic (default `kafka.topic`), its partitions (default `kafka.partitions`) and the
 *   dead-letter topic's (default: the same)
 */
export async function ensureEventTopics(
  config: VigilConfig,
  { topic = config.kafka.topic, partitions = config.kafka.partitions, dlqPartitions = partitions }: {
    topic?: string;
    partitions?: number;
    dlqPartitions?: number;
  } = {},
): Promise<void> {
  const admin = createKafkaAdmin(config);
  try {
    await admin.ensureTopic(topic, partitions);
    await admin.ensureTopic(dlqTopic(topic), dlqPartitions);
  } finally {
    await admin.close();
  }
}
