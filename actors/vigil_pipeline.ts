/**
 * vigil's data path in one place:
 *
 * ```
 * KafkaSource ─▶ parser ─▶ classifier pool ───────┬─▶ hot sink  (OpenSearch bulk, _id = topic-partition-offset;
 *   ▲   (LogEvent)  (MinedEvent)  + incident       │              incidents into <prefix>-incidents, versioned)
 *   │                             detection        ├─▶ cold sink (Parquet on S3, deterministic keys)
 *   │                             (Classified +    ├─▶ live tap  (dashboard frames; drops, never blocks)
 *   │                              incidents)      └─▶ notify    (incident webhook; drops, never blocks)
 *   └──── acks from both sinks: offsets are committed once an event is durable in both tiers
 *
 * cold-compaction (background, supervised, when cold.compaction.enabled): every cold.compaction.intervalMs
 *   expires the cold tier past cold.retentionDays, merges ended hours, then ended days into ~64 MiB day objects
 * ```
 *
 * Every edge is a bounded mailbox that blocks when full, so a slow sink pauses the Kafka source instead of
 * buffering; only the live tap drops (oldest first, counted), because a dashboard must never slow delivery.
 * Invalid messages and documents the hot tier rejects go to the dead-letter topic `<topic>.dlq`.
 *
 * Incidents (lib/incidents) are made in the classifier stage, in event order: each event's label is its
 * incident's, and the incident documents an event changed ride on its record, so the hot sink stores them
 * with the event (before its offset can commit) and the live tap and the webhook see them. At start and every
 * {@link ADOPT_INTERVAL_MS} the engine adopts the unresolved incidents stored in the hot tier, so an episode
 * that continues here after a crash or a rebalance stays one incident (see `IncidentTracker.adopt`), and
 * merges the operators' feedback (mutes, undos, "real problem") every engine of the group shares in
 * `<prefix>-feedback` (`feedback_sync.ts`), so an action taken on any engine's dashboard applies on all.
 *
 * @module
 */
import { ActorSystem } from "../engine/actor_system.ts";
import { jsonLogger, type Logger, withFields } from "../engine/logger.ts";
import { Pipeline } from "../engine/pipeline.ts";
import type { ShutdownReport } from "../engine/actor_system.ts";
import type { VigilConfig } from "../lib/config/vigil_config.ts";
import type { LogEvent } from "../lib/event/log_event.ts";
import { ColdSink } from "./cold_sink/sink.ts";
import { coldSinkOptionsFromConfig } from "./cold_sink/config.ts";
import { coldSinkNode } from "./cold_sink/cold_sink_actor.ts";
import { deadLetterBridge } from "./dead_letter_bridge.ts";
import { DeadLetterProducer } from "./dead_letter_producer.ts";
import { DeadLetterOutbox } from "./dead_letter_outbox.ts";
import type { DeliveryRecord, Sourced } from "./delivery_record.ts";
import { HotSink } from "./hot_sink/sink.ts";
import { hotSinkOptionsFromConfig } from "./hot_sink/config.ts";
import { hotSinkNode } from "./hot_sink/hot_sink_actor.ts";
import { KafkaSource } from "./kafka_source.ts";
import { fileTemplateStore, loadTemplateMiner, parserStage } from "./parser.ts";
import type { TemplateRegistry } from "../lib/parsing/template_registry.ts";
import { ClassifierPool } from "./classifier_pool.ts";
import { IncidentWebhook } from "./incident_webhook.ts";
import { FeedbackSync } from "./feedback_sync.ts";
import { FeedbackStore } from "./hot_sink/feedback_store.ts";
import { createHotService } from "./hot_sink/service.ts";
import { coldCompactionActor, coldCompactionFromConfig } from "./cold_compaction/cold_compaction_actor.ts";

/** How often an engine adopts the unresolved incidents the hot tier holds, ms. */
export const ADOPT_INTERVAL_MS = 15_000;

/** Options of {@link startVigilEngine}. */
export interface VigilEngineOptions {
  config: VigilConfig;
  /** Sees every classified event (the in-process dashboard's live feed). Must not block. Default: none. */
  onClassified?: (records: readonly DeliveryRecord[]) => void;
  /**
   * The one logger of the engine and its adapters (each adapter's lines carry `component`). Default: JSON lines
   * on stderr.
   */
  logger?: Logger;
}

/** A running engine: the pipeline and the adapters it drives (for metrics and shutdown). */
export interface VigilEngine {
  system: ActorSystem;
  pipeline: Pipeline;
  source: KafkaSource;
  hot: HotSink;
  cold: ColdSink;
  classifier: ClassifierPool;
  /** The incident webhook, when `incidents.webhookUrl` is set. */
  webhook: IncidentWebhook | undefined;
  /** Operators' feedback shared with the other engines of the group through the hot tier. */
  feedback: FeedbackSync;
  /**
   * Stops gracefully: the source stops reading, every mailbox drains in topological order, the sinks flush,
   * final offsets are committed; after `deadlineMs` it stops hard and the report says what was left.
   */
  stop(deadlineMs?: number): Promise<ShutdownReport>;
}

/**
 * Starts vigil's engine: prepares the hot tier's index templates and the cold tier's bucket, loads the
 * template registry and the model, and starts consuming.
 *
 * @throws when the hot tier or the S3 bucket cannot be prepared, or the model file is refused.
 */
export async function startVigilEngine(options: VigilEngineOptions): Promise<VigilEngine> {
  const { config, onClassified } = options;
  const logger = options.logger ?? jsonLogger("info", { system: "vigil" });
  const of = (component: string) => withFields(logger, { component });
  const producer = new DeadLetterProducer(config);
  // One outbox for every stage: a DLQ that refuses writes pauses the source and shows on /health whoever hit it.
  const deadLetters = new DeadLetterOutbox(producer, {
    attempts: config.delivery.deadLetterAttempts,
    probeIntervalMs: config.delivery.deadLetterProbeMs,
    logger: of("dead_letters"),
  });
  const source = new KafkaSource({
    config,
    deadLetters,
    commitIntervalMs: config.delivery.commitIntervalMs,
    maxInFlight: config.delivery.maxInFlight,
    logger: of("kafka_source"),
  });
  const hot = new HotSink({ ...hotSinkOptionsFromConfig(config), deadLetters, logger: of("hot_sink") });
  const cold = new ColdSink({ ...coldSinkOptionsFromConfig(config), logger: of("cold_sink") });
  const store = fileTemplateStore(`${config.classifier.dataDir}/templates.json`);
  // Detection follows a template to the id it takes when it generalises (the miner's registry of aliases); the
  // model loads beside the miner, so a corrupt one refuses the start before anything else is touched.
  const mined: { registry?: TemplateRegistry; feedback?: FeedbackSync } = {};
  const [miner, classifier] = await Promise.all([
    loadTemplateMiner(store),
    ClassifierPool.create(config, {
      currentTemplateId: (id) => mined.registry?.resolve(id) ?? id,
      formerTemplateIds: (id) => mined.registry?.formerIds(id) ?? [],
      onFeedback: (change) => mined.feedback?.publish(change) ?? Promise.resolve(),
    }),
    hot.start(),
    cold.start(),
  ]);
  mined.registry = miner.registry;

  const webhook = IncidentWebhook.fromConfig(config, { logger: of("incident_webhook") });
  const adopt = async () => {
    try {
      classifier.detection.tracker.adopt(await hot.openIncidents());
    } catch (error) {
      logger.warn("incidents: could not read open incidents from the hot tier", { error });
    }
  };
  await adopt();
  const adopting = setInterval(() => void adopt(), ADOPT_INTERVAL_MS);
  Deno.unrefTimer(adopting);
  // Its own client: a merge or an action's write never queues behind the sink's bulk requests.
  const feedbackService = createHotService(hot.config);
  const feedback = mined.feedback = new FeedbackSync({
    store: new FeedbackStore(feedbackService, hot.config.indexPrefix),
    detection: classifier.detection,
    persist: () => classifier.saveSuppressions(),
    logger: of("feedback_sync"),
    intervalMs: ADOPT_INTERVAL_MS,
  });
  await feedback.start();
  const system = new ActorSystem({ name: "vigil", logger });
  const mailbox = config.engine.mailbox;
  const pipeline = Pipeline.start(system, {
    defaultMailbox: mailbox,
    nodes: {
      kafka: { kind: "source", create: () => source },
      parser: parserStage({ miner, store }),
      classifier: classifier.stage(),
      hot: hotSinkNode(hot, (acks) => source.ack(acks), { concurrency: config.hot.concurrency }),
      cold: coldSinkNode(cold, (acks) => source.ack(acks)),
      live: {
        kind: "sink",
        // The dashboard's tap may lose frames under load; the tiers may not.
        mailbox: { capacity: mailbox.capacity, whenFull: "drop_oldest" },
        create: (ctx) => ({
          receiveBatch: (records: DeliveryRecord[]) => {
            // Never fail here: a record the engine gives up on is dead-lettered and acknowledged, and the
            // tap must not acknowledge what the tiers have not stored yet.
            try {
              onClassified?.(records);
            } catch (error) {
              ctx.log.warn("live tap failed", { error: String(error) });
            }
          },
        }),
      },
      notify: {
        kind: "sink",
        // A slow or failing receiver must never slow delivery: the webhook queues (bounded) and sends apart.
        mailbox: { capacity: mailbox.capacity, whenFull: "drop_oldest" },
        create: () => ({
          receiveBatch: (records: DeliveryRecord[]) => {
            if (webhook === undefined) return;
            for (const r of records) if (r.incidents !== undefined) webhook.offer(r.incidents);
          },
        }),
      },
    },
    edges: [
      { from: "kafka", to: "parser", mailbox },
      { from: "parser", to: "classifier", mailbox },
      { from: "classifier", to: ["hot", "cold", "live", "notify"], mailbox },
    ],
  });

  // The cold tier's lifecycle runs beside the data path, under the system's supervision (restart with backoff);
  // it shares the cold sink's S3 client. Aborted first at shutdown: it stops before its next merge.
  const compactionStop = new AbortController();
  const compactionOptions = coldCompactionFromConfig(config, cold.service, compactionStop.signal);
  const compaction = compactionOptions && system.spawn(coldCompactionActor(compactionOptions));

  // Records the engine gives up on (poison, a worker batch failed twice) go to the DLQ and are then marked
  // done, so their partition's commits keep moving.
  // Aborted once the pipeline stopped: a letter the DLQ still refuses then stays unacknowledged (redelivered).
  const bridgeStop = new AbortController();
  system.deadLetters.subscribe(deadLetterBridge(deadLetters, source, of("dead_letters"), bridgeStop.signal));

  let stopped: Promise<ShutdownReport> | undefined;
  const stop = (deadlineMs = config.engine.shutdownDeadlineMs) =>
    stopped ??= (async () => {
      clearInterval(adopting);
      await feedback.stop();
      compactionStop.abort();
      if (compaction !== undefined) await system.stop(compaction);
      const report = await pipeline.stop({ deadlineMs });
      bridgeStop.abort();
      const rest = Math.max(1000, deadlineMs - report.elapsedMs);
      await Promise.allSettled([
        hot.close(rest),
        cold.close(rest),
        classifier.close(),
        webhook?.close(Math.min(rest, 5_000)),
      ]);
      await producer.close().catch(() => {});
      await feedbackService.close().catch(() => {});
      return report;
    })();
  return { system, pipeline, source, hot, cold, classifier, webhook, feedback, stop };
}

/** The pipeline's input type, for tests that feed it without Kafka. */
export type PipelineInput = Sourced<LogEvent>;
