/**
 * KafkaSource: reads LogEvents from Kafka in a consumer group, validates them, hands them to the pipeline with
 * backpressure, and commits offsets only once both tiers hold every event up to them.
 *
 * - **Backpressure**: each message is handed to the pipeline with `await out.send(...)` ({@link KafkaSource.run},
 *   the engine's `Source` entry, the only way in); while that waits (a full mailbox
 *   downstream), the source stops pulling, the client's buffer fills and fetching stops. The client library
 *   (`@platformatic/kafka`) has no per-partition pause, so the whole source pauses — all partitions feed the
 *   same mailbox, so pausing one would not free it anyway. `metrics.paused` shows it.
 * - **Validation**: a value that is not JSON or not a {@link LogEvent} goes to the dead-letter topic with the
 *   reason (stage `source`) and counts as done in both tiers: never a crash, never silent loss.
 * - **A blocked dead-letter topic** (it refused a write `delivery.deadLetterAttempts` times, see
 *   {@link DeadLetterOutbox}) pauses the source: nothing more is consumed, the held offsets are not committed,
 *   `metrics.pausedReason` says why (and the engine's `/health` answers 503 with it); the waiting letters are
 *   tried again every `delivery.deadLetterProbeMs` and consumption resumes once they are stored.
 * - **Commits**: an {@link OffsetWatermark} over acknowledgements from the sinks ({@link KafkaSource.ack}); the
 *   committable offsets are committed every `commitIntervalMs`, after a rebalance and at {@link KafkaSource.stop}.
 * - **Rebalance**: the library gives no hook to flush before partitions are released; when a partition is
 *   revoked, this source commits what is done and forgets the rest, and the new owner re-reads from the last
 *   commit. The sinks' idempotent writes (document `_id`, deterministic object keys) make that re-read harmless.
 * - **Stalls**: a {@link StallWatchdog} over the watermark checks on every commit tick that no event has been
 *   in flight (neither acknowledged by every tier nor dead-lettered) longer than `stallAgeMs`, and reports it
 *   (`metrics.stalled`, a log line, {@link KafkaSource.stallWatchdog} for `/metrics`).
 *
 * @module
 */
import { type KafkaCoordinates, type LogEvent, LogEventSchema } from "../lib/event/log_event.ts";
import { fastLogEvent } from "../lib/event/log_event_fast_check.ts";
import { decodeStrictUtf8 } from "../lib/streams/decode_strict_utf8.ts";
import type { VigilConfig } from "../lib/config/vigil_config.ts";
import { createKafkaConsumer, type VigilKafkaConsumer } from "../lib/kafka/kafka_client.ts";
import { stringDeserializers } from "@platformatic/kafka";
import type { DeadLetterWriter } from "./dead_letter_record.ts";
import {
  type DeadLetterBlock,
  DeadLetterBlockedError,
  type DeadLetterOutbox,
  deadLetterOutboxOf,
} from "./dead_letter_outbox.ts";
import type { DeliveryAck, Sourced } from "./delivery_record.ts";
import type { Source } from "../engine/pipeline.ts";
import type { Sender } from "../engine/actor_ref.ts";
import { OffsetWatermark, type PendingOffset } from "./offset_watermark.ts";
import { StallWatchdog } from "./stall_watchdog.ts";
import { retry } from "../lib/timing/retry.ts";
import { jsonLogger, type Logger } from "../engine/logger.ts";

/** One message of the consumer's stream (values kept as bytes, see `#open`). */
type KafkaMessage = Awaited<ReturnType<VigilKafkaConsumer["consume"]>> extends AsyncIterable<infer M> ? M
  : never;

/** Options of the Kafka source. */
export interface KafkaSourceOptions {
  /** vigil's configuration: brokers, group, topic, start position. */
  config: VigilConfig;
  /** Where invalid messages go. */
  deadLetters: DeadLetterWriter;
  /** Topics to read. Default `[config.kafka.topic]`. */
  topics?: string[];
  /** Consumer group. Default `config.kafka.groupId`. */
  groupId?: string;
  /** Where a new group starts: earliest (true) or latest. Default `config.kafka.fromBeginning`. */
  fromBeginning?: boolean;
  /** Tiers that must acknowledge every event. Default `["hot", "cold"]`. */
  tiers?: string[];
  /** How often done offsets are committed. Default `config.delivery.commitIntervalMs` (1000 ms). */
  commitIntervalMs?: number;
  /** How often lag is measured. Default `5000` ms. */
  lagIntervalMs?: number;
  /** A silent group member is declared dead after this long. Default `config.delivery.sessionTimeoutMs`. */
  sessionTimeoutMs?: number;
  /** Most events handed over but not yet done in every tier; the source waits beyond it. Default `config.delivery.maxInFlight` (200 000). */
  maxInFlight?: number;
  /**
   * Most bytes (Kafka message values) of the events handed over but not yet done in every tier; the source
   * waits beyond it, so a backlog of large events cannot hold `maxInFlight` of them in memory. Default
   * `config.delivery.maxInFlightBytes`.
   */
  maxInFlightBytes?: number;
  /** An event in flight this long is reported as a stall, ms. Default `config.delivery.stallAgeMs`. */
  stallAgeMs?: number;
  /** Told of each notable event (a consumer reopened, a partition revoked, a stall). Default: JSON on stderr. */
  logger?: Logger;
}

/** Per-partition state shown in metrics. */
export interface PartitionMetrics {
  topic: string;
  partition: number;
  /** Next offset committed to the group (undefined before the first commit by this process). */
  committed?: string;
  /** Events handed over and not yet done in every tier. */
  inFlight: number;
  /** Messages between the end of the partition and what this group consumed (from the client). */
  lag?: string;
  /** The oldest offset not yet done in every tier, and how long it has been in flight (none when idle). */
  oldestUnacked?: { offset: string; ageMs: number };
}

/** Counters of the Kafka source. */
export interface KafkaSourceMetrics {
  consumed: number;
  /** Messages dead-lettered at the source (not JSON, not a LogEvent). */
  invalid: number;
  /** Messages seen again after a rebalance while their first copy was in flight (skipped). */
  redelivered: number;
  commits: number;
  commitErrors: number;
  /** True while the source waits: backpressure (downstream full, too much in flight) or a blocked DLQ. */
  paused: boolean;
  /** Why the source is paused when it is not plain backpressure: the dead-letter topic refuses writes. */
  pausedReason?: string;
  /** Set while dead letters cannot be stored (see {@link DeadLetterOutbox}). */
  deadLettersBlocked?: DeadLetterBlock;
  /** Events handed over and not yet done in every tier. */
  inFlight: number;
  /** Their bytes (Kafka message values), bounded by `maxInFlightBytes`. */
  inFlightBytes: number;
  /** Partitions the group assigned to this member at its last join (`topic-partition`), sorted. */
  assigned: string[];
  partitions: PartitionMetrics[];
  /** Partitions whose oldest in-flight event is older than `stallAgeMs`, at the last check (see module doc). */
  stalled: readonly PendingOffset[];
  /** Stalls reported so far. */
  stallsReported: number;
  lastError?: string;
}

/** The Kafka source; see the module doc. Also an engine pipeline `Source` (`run` / `complete`). */
export class KafkaSource implements Source<Sourced<LogEvent>> {
  #opts: Required<KafkaSourceOptions>;
  /** Where valid events go: the pipeline's sender given to {@link KafkaSource.run}. */
  #out?: Sender<Sourced<LogEvent>>;
  #consumer?: VigilKafkaConsumer;
  #stream?: Awaited<ReturnType<VigilKafkaConsumer["consume"]>>;
  #watermark: OffsetWatermark;
  /** Reports events in flight longer than `stallAgeMs` (checked on the commit tick). */
  readonly stallWatchdog: StallWatchdog;
  /** The leader epoch of each partition's latest message, by topic then partition (no key string per message). */
  #leaderEpochs = new Map<string, number[]>();
  #committed = new Map<string, string>();
  #lag = new Map<string, string>();
  #assigned: string[] = [];
  #loop?: Promise<void>;
  #commitTimer?: ReturnType<typeof setInterval>;
  #committing: Promise<void> = Promise.resolve();
  #stopping = false;
  #inFlightWaiters: (() => void)[] = [];
  #stopAbort = new AbortController();
  #deadLetters: DeadLetterOutbox;
  #metrics = { consumed: 0, invalid: 0, redelivered: 0, commits: 0, commitErrors: 0, paused: false };
  #lastError?: string;

  /**
   * @throws {RangeError} when a number option is not a positive integer
   * @throws {TypeError} when deadLetters is missing
   */
  constructor(options: KafkaSourceOptions) {
    const { config } = options;
    if (typeof options.deadLetters?.write !== "function") {
      throw new TypeError(
        "Cannot create KafkaSource as deadLetters must be a DeadLetterWriter: current value is missing",
      );
    }
    this.#opts = {
      config,
      deadLetters: options.deadLetters,
      topics: options.topics ?? [config.kafka.topic],
      groupId: options.groupId ?? config.kafka.groupId,
      fromBeginning: options.fromBeginning ?? config.kafka.fromBeginning,
      tiers: options.tiers ?? ["hot", "cold"],
      commitIntervalMs: options.commitIntervalMs ?? config.delivery.commitIntervalMs,
      lagIntervalMs: options.lagIntervalMs ?? 5000,
      maxInFlight: options.maxInFlight ?? config.delivery.maxInFlight,
      maxInFlightBytes: options.maxInFlightBytes ?? config.delivery.maxInFlightBytes,
      stallAgeMs: options.stallAgeMs ?? config.delivery.stallAgeMs,
      sessionTimeoutMs: options.sessionTimeoutMs ?? config.delivery.sessionTimeoutMs,
      logger: options.logger ?? jsonLogger("info", { component: "kafka_source" }),
    };
    for (
      const name of [
        "commitIntervalMs",
        "lagIntervalMs",
        "maxInFlight",
        "maxInFlightBytes",
        "sessionTimeoutMs",
        "stallAgeMs",
      ] as const
    ) {
      const v = this.#opts[name];
      if (!Number.isInteger(v) || v <= 0) {
        throw new RangeError(
          `Cannot create KafkaSource as ${name} must be a positive integer: current value is ${v}`,
        );
      }
    }
    this.#deadLetters = deadLetterOutboxOf(options.deadLetters, {
      attempts: config.delivery.deadLetterAttempts,
      probeIntervalMs: config.delivery.deadLetterProbeMs,
      logger: this.#opts.logger,
    });
    this.#watermark = new OffsetWatermark({ tiers: this.#opts.tiers });
    this.stallWatchdog = new StallWatchdog({
      pending: () => this.#watermark.oldestPending(),
      maxAgeMs: this.#opts.stallAgeMs,
      logger: this.#opts.logger,
    });
  }

  /** Counters, per-partition commit state and lag. */
  get metrics(): KafkaSourceMetrics {
    const oldest = new Map(this.#watermark.oldestPending().map((p) => [`${p.topic}-${p.partition}`, p]));
    const partitions = this.#watermark.partitions().map(([topic, partition]): PartitionMetrics => {
      const k = `${topic}-${partition}`;
      const o = oldest.get(k);
      return {
        topic,
        partition,
        committed: this.#committed.get(k),
        inFlight: this.#watermark.inFlight(topic, partition),
        lag: this.#lag.get(k),
        oldestUnacked: o === undefined ? undefined : { offset: o.offset, ageMs: o.ageMs },
      };
    });
    const blocked = this.#deadLetters.blocked;
    return {
      ...this.#metrics,
      paused: this.#metrics.paused || blocked !== undefined,
      pausedReason: blocked === undefined
        ? undefined
        : `${blocked.reason} (blocked since ${blocked.since}, ${blocked.waiting} waiting)`,
      deadLettersBlocked: blocked,
      inFlight: this.#watermark.totalInFlight,
      inFlightBytes: this.#watermark.totalInFlightBytes,
      assigned: this.#assigned,
      partitions,
      stalled: this.stallWatchdog.stalled,
      stallsReported: this.stallWatchdog.stallsReported,
      lastError: this.#lastError,
    };
  }

  /** Joins the group and starts consuming in the background. Resolves once the stream is open. */
  async #start(): Promise<void> {
    await this.#open();
    this.#commitTimer = setInterval(() => {
      void this.commit();
      this.stallWatchdog.check();
      this.#wakeInFlightWaiters(); // a blocked DLQ is polled here: it recovers without an ack to wake us
    }, this.#opts.commitIntervalMs);
    this.#loop = this.#runForever();
  }

  async #open(): Promise<void> {
    const { config, groupId, topics, fromBeginning } = this.#opts;
    const consumer = createKafkaConsumer(config, {
      groupId,
      // A crashed engine's partitions move after this long (the library's default is a minute).
      sessionTimeout: this.#opts.sessionTimeoutMs,
      heartbeatInterval: Math.max(1000, Math.floor(this.#opts.sessionTimeoutMs / 5)),
      // Keep the value's bytes: an invalid message is dead-lettered exactly as it arrived.
      deserializers: {
        ...stringDeserializers,
        value: (b?: unknown) => b,
      } as unknown as typeof stringDeserializers,
    });
    this.#consumer = consumer;
    consumer.on("consumer:group:rebalance", () => this.#onRebalance());
    consumer.on("consumer:group:join", (payload) => this.#onJoin(payload.assignments));
    consumer.on("consumer:lag", (lag) => {
      for (const [topic, perPartition] of lag) {
        perPartition.forEach((l, p) => this.#lag.set(`${topic}-${p}`, l.toString()));
      }
    });
    consumer.on("consumer:lag:error", () => {});
    this.#stream = await consumer.consume({
      topics,
      mode: "committed",
      fallbackMode: fromBeginning ? "earliest" : "latest",
    });
    consumer.startLagMonitoring({ topics }, this.#opts.lagIntervalMs);
  }

  /**
   * Consumes until stopped; a failed stream (broker gone, topic deleted) is reopened after a backoff, which
   * {@link KafkaSource.stopConsuming} interrupts.
   */
  async #runForever(): Promise<void> {
    await retry(async () => {
      if (this.#stopping) return;
      if (this.#consumer === undefined) {
        try {
          await this.#open();
        } catch (err) {
          this.#lastError = `consumer reopen failed: ${(err as Error).message}`;
          throw err;
        }
      }
      try {
        await this.#run();
        if (this.#stopping) return;
        throw new Error("the message stream ended");
      } catch (err) {
        if (this.#stopping) return;
        this.#lastError = `consumer failed, reopening: ${(err as Error).message}`;
        this.#opts.logger.warn(this.#lastError);
        await this.commit();
        const old = this.#consumer;
        this.#consumer = undefined;
        old?.stopLagMonitoring();
        await this.#stream?.close().catch(() => {});
        await old?.close(true).catch(() => {});
        throw err;
      }
    }, { maxAttempts: Infinity, initialBackoffMs: 500, maxBackoffMs: 10_000, signal: this.#stopAbort.signal })
      .catch(() => {}); // ends only when stopping
  }

  /** Records acknowledgements from a sink (any order, repeats ignored). */
  ack(acks: readonly DeliveryAck[]): void {
    for (const a of acks) this.#watermark.ack(a.kafka.topic, a.kafka.partition, a.kafka.offset, a.tier);
    this.#wakeInFlightWaiters();
  }

  /** Marks an event as done in every tier (e.g. a later stage dead-lettered it). */
  ackAll(kafka: KafkaCoordinates): void {
    this.#watermark.ackAll(kafka.topic, kafka.partition, kafka.offset);
    this.#wakeInFlightWaiters();
  }

  /** Commits every offset that advanced since the last commit. Never throws (errors are counted). */
  commit(): Promise<void> {
    this.#committing = this.#committing.then(async () => {
      const commits = this.#watermark.takeCommits();
      if (commits.length === 0 || this.#consumer === undefined) return;
      try {
        await this.#consumer.commit({
          offsets: commits.map((c) => ({
            topic: c.topic,
            partition: c.partition,
            offset: BigInt(c.offset),
            leaderEpoch: this.#leaderEpochs.get(c.topic)?.[c.partition] ?? -1,
          })),
        });
        this.#metrics.commits++;
        for (const c of commits) this.#committed.set(`${c.topic}-${c.partition}`, c.offset);
      } catch (err) {
        this.#watermark.resetCommitted(commits);
        this.#metrics.commitErrors++;
        this.#lastError = `commit failed: ${(err as Error).message}`;
      }
    });
    return this.#committing;
  }

  /**
   * Engine pipeline entry: consumes and sends `{ event, kafka }` to `out` (waiting when it is full) until
   * `signal` aborts, then stops consuming. Offsets keep being committed until {@link KafkaSource.complete}.
   */
  async run(out: Sender<Sourced<LogEvent>>, signal: AbortSignal): Promise<void> {
    this.#out = out;
    if (signal.aborted) return;
    await this.#start();
    // A stop asked while the consumer was joining its group has already fired its "abort" event: waiting for
    // one more would hold the stop until its deadline (an idle engine took 30 s to answer SIGTERM).
    if (!signal.aborted) {
      await new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
    }
    await this.stopConsuming();
  }

  /** Engine pipeline exit (after the sinks drained and flushed): final commit, leave the group. */
  complete(): Promise<void> {
    return this.stop(this.#opts.config.engine.shutdownDeadlineMs);
  }

  /** Stops taking messages from Kafka (in-flight events are still acknowledged and committed). */
  async stopConsuming(): Promise<void> {
    this.#stopping = true;
    this.#stopAbort.abort();
    this.#wakeInFlightWaiters();
    await this.#stream?.close().catch(() => {});
    await this.#loop?.catch(() => {});
  }

  /**
   * Stops consuming, waits up to `drainMs` for in-flight events to be acknowledged (call the sinks' `flush`
   * meanwhile), commits what is done and leaves the group. Events not done are redelivered to the group.
   */
  async stop(drainMs = 30_000): Promise<void> {
    await this.stopConsuming();
    clearInterval(this.#commitTimer);
    const deadline = Date.now() + drainMs;
    while (this.#watermark.totalInFlight > 0 && Date.now() < deadline) {
      await this.commit();
      await new Promise((r) => setTimeout(r, 50));
    }
    await this.commit();
    this.#consumer?.stopLagMonitoring();
    await this.#consumer?.close().catch(() => {});
  }

  async #run(): Promise<void> {
    const stream = this.#stream;
    if (stream === undefined) throw new Error("no message stream");
    for await (const first of stream) {
      // The iterator costs a yield to the event loop per message, and each yield ran the parser on the one
      // event just handed over (a backlog measured 26,207 parser runs of one event in 26,305). The messages
      // the stream already holds are taken here without yielding, so the parser runs on batches; each one
      // still waits whenever the in-flight bound, a full mailbox or the dead-letter topic says so.
      let message: KafkaMessage | null = first;
      while (message !== null) {
        const taken = this.#take(message);
        if (!(taken === true || await taken)) return;
        message = this.#stopping || stream.destroyed ? null : stream.read() as KafkaMessage | null;
      }
    }
  }

  /**
   * Tracks, validates and hands over one message, synchronously unless something makes it wait; resolves to
   * false when the source stopped meanwhile (consuming ends).
   */
  #take(message: KafkaMessage): boolean | Promise<boolean> {
    if (this.#stopping) return false;
    const kafka: KafkaCoordinates = {
      topic: message.topic,
      partition: message.partition,
      offset: message.offset.toString(),
    };
    let epochs = this.#leaderEpochs.get(kafka.topic);
    if (epochs === undefined) this.#leaderEpochs.set(kafka.topic, epochs = []);
    epochs[kafka.partition] = message.leaderEpoch;
    const last = this.#watermark.lastTrackedOffset(kafka.topic, kafka.partition);
    if (last !== undefined && message.offset <= last) {
      this.#metrics.redelivered++; // its first copy is still being delivered
      return true;
    }
    if (this.#mustWait()) {
      return this.#waitForRoom().then(() => !this.#stopping && this.#handOver(message, kafka));
    }
    this.#metrics.paused = false;
    return this.#handOver(message, kafka);
  }

  #handOver(message: KafkaMessage, kafka: KafkaCoordinates): boolean | Promise<boolean> {
    const bytes = message.value as unknown as Uint8Array | undefined;
    this.#watermark.track(kafka.topic, kafka.partition, message.offset, bytes?.byteLength ?? 0);
    this.#metrics.consumed++;
    const parsed = this.#validate(bytes);
    if (!parsed.ok) {
      this.#metrics.invalid++;
      return this.#deadLetter(bytes ?? new Uint8Array(), parsed.reason, kafka, message.key).then(
        () => {
          this.ackAll(kafka);
          return true;
        },
        (err) => {
          // Stopped while the DLQ was blocked: not stored, so not acknowledged — Kafka redelivers it.
          if (err instanceof DeadLetterBlockedError && this.#stopping) return false;
          throw err;
        },
      );
    }
    const msg = { event: parsed.event, kafka };
    if (this.#out === undefined || this.#out.trySend(msg)) return true;
    return this.#waitToSend(this.#out, msg);
  }

  async #waitToSend(out: Sender<Sourced<LogEvent>>, msg: Sourced<LogEvent>): Promise<boolean> {
    const started = Date.now();
    const timer = setTimeout(() => this.#metrics.paused = true, 100);
    try {
      await out.send(msg);
    } finally {
      clearTimeout(timer);
      if (Date.now() - started >= 100) this.#metrics.paused = false;
    }
    return true;
  }

  #validate(bytes: Uint8Array | undefined): { ok: true; event: LogEvent } | { ok: false; reason: string } {
    if (bytes === undefined || bytes.byteLength === 0) return { ok: false, reason: "empty message value" };
    let json: unknown;
    try {
      // Strict: invalid UTF-8 is an error (dead-lettered), not replaced.
      json = JSON.parse(decodeStrictUtf8(bytes));
    } catch (err) {
      return { ok: false, reason: `value is not UTF-8 JSON: ${(err as Error).message}` };
    }
    // The common case without zod (see log_event_fast_check.ts); zod decides the rest and words the reason.
    const event = fastLogEvent(json);
    if (event !== undefined) return { ok: true, event };
    const result = LogEventSchema.safeParse(json);
    if (result.success) return { ok: true, event: result.data };
    const issues = result.error.issues.slice(0, 5).map((i) =>
      `${i.path.join(".") || "(root)"}: ${i.message}`
    );
    return { ok: false, reason: `not a LogEvent: ${issues.join("; ")}` };
  }

  async #deadLetter(bytes: Uint8Array, reason: string, kafka: KafkaCoordinates, key?: string): Promise<void> {
    const record = {
      original: bytes,
      reason,
      stage: "source" as const,
      ts: new Date().toISOString(),
      kafka,
      key: key === undefined || key === null ? undefined : new TextEncoder().encode(key),
    };
    try {
      await this.#deadLetters.deliver([record], this.#stopAbort.signal);
    } catch (err) {
      this.#lastError = `dead-letter write failed: ${(err as Error).message}`;
      throw err;
    }
  }

  #mustWait(): boolean {
    return !this.#stopping &&
      (this.#watermark.totalInFlight >= this.#opts.maxInFlight ||
        this.#watermark.totalInFlightBytes >= this.#opts.maxInFlightBytes ||
        this.#deadLetters.blocked !== undefined);
  }

  async #waitForRoom(): Promise<void> {
    while (this.#mustWait()) {
      this.#metrics.paused = true;
      await new Promise<void>((resolve) => this.#inFlightWaiters.push(resolve));
    }
    this.#metrics.paused = false;
  }

  #wakeInFlightWaiters(): void {
    if (this.#inFlightWaiters.length === 0) return;
    if (this.#mustWait()) return;
    const waiters = this.#inFlightWaiters;
    this.#inFlightWaiters = [];
    for (const w of waiters) w();
  }

  #onRebalance(): void {
    // Partitions are about to move: commit what is done while this member still owns them.
    void this.commit();
  }

  #onJoin(assignments: { topic: string; partitions: number[] }[] | undefined): void {
    if (assignments === undefined) return;
    this.#assigned = assignments.flatMap((a) => a.partitions.map((p) => `${a.topic}-${p}`)).sort();
    const assigned = new Set(assignments.flatMap((a) => a.partitions.map((p) => `${a.topic}\u0000${p}`)));
    for (const [topic, partition] of this.#watermark.partitions()) {
      if (!assigned.has(`${topic}\u0000${partition}`)) {
        // Acks for it are ignored from now on; its new owner re-reads from the last commit.
        this.#watermark.forget(topic, partition);
        this.#opts.logger.info(
          `partition ${topic}-${partition} revoked; its unfinished events will be re-read by its new owner`,
        );
      }
    }
    this.#wakeInFlightWaiters();
  }
}
