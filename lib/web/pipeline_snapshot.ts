/**
 * The typed pipeline metrics snapshot the Pipeline page renders. The engine's snapshot is adapted to this
 * shape by the wiring code (see {@link PipelineMetricsProvider}).
 *
 * @module
 */
import type { DeliveryWait } from "./delivery_wait.ts";

/** One actor's state and counters. */
export interface ActorMetrics {
  name: string;
  /** e.g. `running`, `restarting`, `stopped`, `failed`. */
  state: string;
  mailboxDepth: number;
  mailboxCapacity: number;
  /** Messages received / emitted / dropped since start. */
  in: number;
  out: number;
  dropped: number;
  restarts: number;
  /** Processing time quantiles in milliseconds. */
  processingMs?: { p50: number; p90: number; p99: number };
}

/** Consumer lag of one Kafka partition. */
export interface PartitionLag {
  topic: string;
  partition: number;
  lag: number;
}

/** One sink's delivery state. */
export interface SinkMetrics {
  name: string;
  /** e.g. `healthy`, `retrying`, `down`. */
  status: string;
  delivered: number;
  retries: number;
  /** Records sent to the dead-letter queue. */
  dlq: number;
  lastBatchSize?: number;
  lastError?: string;
  /** How long the tier keeps data and who enforces it, e.g. `7 days (ISM)`, `for ever`. */
  retention?: string;
}

/** The whole pipeline at one instant. */
export interface PipelineSnapshot {
  /** ISO 8601 time of the snapshot. */
  at: string;
  actors: ActorMetrics[];
  /** Kafka's lag per partition: end − committed offset (includes events waiting for the cold flush). */
  kafkaLag: PartitionLag[];
  sinks: SinkMetrics[];
  /** Kafka's lag split into the cold-flush wait and the real consumer lag; absent when no engine reports it. */
  delivery?: DeliveryWait;
  /**
   * What holds delivery back, one line each — the engine's `/health` reasons (a tier failing, a stalled
   * partition, the source paused because dead letters cannot be stored); absent or empty when healthy.
   */
  attention?: string[];
}

/** A snapshot with nothing in it, used when no engine runs in this process. */
export function emptyPipelineSnapshot(now = new Date()): PipelineSnapshot {
  return { at: now.toISOString(), actors: [], kafkaLag: [], sinks: [] };
}
