/**
 * What a running engine reports about itself outside the engine snapshot: the sinks' delivery state (for the
 * dashboard's Pipeline page) and the one-line live status printed by `deno task start` / `deno task engine`.
 *
 * @module
 */
import type { VigilEngine } from "../actors/vigil_pipeline.ts";
import type { SinkMetrics } from "../lib/web/pipeline_snapshot.ts";
import type { ProduceSummary } from "../lib/producer/produce_run.ts";
import { dashboardRangeUrl } from "../lib/web/dashboard_range_url.ts";

/** The hot and cold sinks' state in the dashboard's terms. */
export function sinkMetricsOf(engine: Pick<VigilEngine, "hot" | "cold">): SinkMetrics[] {
  const hot = engine.hot.metrics;
  const cold = engine.cold.metrics;
  return [
    {
      name: "hot (OpenSearch)",
      status: hot.healthy ? "healthy" : "retrying",
      delivered: hot.delivered,
      retries: hot.retries,
      dlq: hot.rejected,
      lastError: hot.lastError,
    },
    {
      name: "cold (Parquet on S3)",
      status: cold.healthy ? "healthy" : "retrying",
      delivered: cold.delivered,
      retries: cold.retries,
      dlq: 0,
      lastError: cold.lastError,
    },
  ];
}

/** What the in-process producer has done so far, as the status line shows it. */
export interface ProducedStatus {
  /** Events acknowledged by Kafka. */
  acked: number;
  /** Input lines read so far (file input). */
  linesRead?: number;
  /** Lines of the input file, when counted (file input). */
  totalLines?: number;
  /** True once the producer finished (the input ended or the run was stopped). */
  done?: boolean;
}

/** The plain numbers behind the status line (see {@link formatStatusLine}). */
export interface StatusNumbers {
  /** The producer running in this process, if any: a bare number is events acknowledged. */
  produced?: number | ProducedStatus;
  consumed: number;
  /** Events handed over by the source and not yet done in every tier. */
  inFlight: number;
  hotDelivered: number;
  hotHealthy: boolean;
  coldDelivered: number;
  /** Events the cold sink buffers until its next flush (their offsets cannot be committed before it). */
  coldBuffered: number;
  coldHealthy: boolean;
  /** Ms until the cold tier's `timeoutMs` flush is due, when one is scheduled. */
  coldFlushInMs?: number;
  /** The cold tier's `timeoutMs` (the bound of the wait when no flush time is known). */
  coldTimeoutMs: number;
  flagged?: number;
  /** Kafka's lag (end of the partitions − committed offsets) summed over partitions; undefined before measured. */
  kafkaLag?: number;
  paused: boolean;
  stalled: readonly { topic: string; partition: number; offset: string; ageMs: number }[];
}

const int = (n: number) => Math.round(n).toLocaleString("en-US");

/** A ten-cell progress bar, e.g. `[######----]`. */
export function progressBar(fraction: number, cells = 10): string {
  const f = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
  const full = Math.floor(f * cells);
  return `[${"#".repeat(full)}${"-".repeat(cells - full)}]`;
}

function producedPart(p: number | ProducedStatus): string {
  if (typeof p === "number") return `produced ${int(p)}`;
  if (p.totalLines === undefined) return `produced ${int(p.acked)}${p.done ? " (done)" : ""}`;
  if (p.done) return `produced ${int(p.acked)} events from ${int(p.totalLines)} lines (done)`;
  const lines = Math.min(p.linesRead ?? 0, p.totalLines);
  const fraction = p.totalLines > 0 ? lines / p.totalLines : 1;
  return `produced ${int(lines)} / ${int(p.totalLines)} lines ${progressBar(fraction)} ${
    Math.floor(fraction * 100)
  } %`;
}

/**
 * Splits Kafka's lag (end − committed) into what it is made of:
 * - `coldWaiting`: events handed to the cold sink and buffered until its flush — processed, their offsets wait
 *   for the cold tier (`cold.timeoutMs`), not a backlog;
 * - `processing`: the rest of the events in flight (parsing, classifying, the hot tier);
 * - `backlog`: messages not consumed yet — the real consumer lag.
 * Kafka's lag is sampled every few seconds while the in-flight counts are current, so the backlog is clamped
 * at 0.
 */
export function splitLag(
  n: Pick<StatusNumbers, "inFlight" | "coldBuffered" | "kafkaLag">,
): { coldWaiting: number; processing: number; backlog?: number } {
  const coldWaiting = Math.min(n.coldBuffered, n.inFlight);
  return {
    coldWaiting,
    processing: n.inFlight - coldWaiting,
    backlog: n.kafkaLag === undefined ? undefined : Math.max(0, n.kafkaLag - n.inFlight),
  };
}

/**
 * Formats the one-line status from plain numbers: produced (with lines / total and a bar for a file),
 * consumed, per-tier delivery, the cold-flush wait apart from the consumer lag, flagged, health and stalls.
 *
 * @example
 * ```ts
 * // produced 2,000 events from 2,000 lines (done) · consumed 2,000 · hot 2,000 · cold 0 ·
 * // waiting for the cold flush: 2,000 events, next flush in ≤ 287 s · consumer lag 0
 * ```
 */
export function formatStatusLine(n: StatusNumbers): string {
  const { coldWaiting, processing, backlog } = splitLag(n);
  const flushIn = Math.ceil(Math.max(0, n.coldFlushInMs ?? n.coldTimeoutMs) / 1000);
  const parts = [
    n.produced === undefined ? undefined : producedPart(n.produced),
    `consumed ${int(n.consumed)}`,
    processing > 0 ? `processing ${int(processing)}` : undefined,
    `hot ${int(n.hotDelivered)}${n.hotHealthy ? "" : " (retrying)"}`,
    `cold ${int(n.coldDelivered)}${n.coldHealthy ? "" : " (retrying)"}`,
    coldWaiting > 0
      ? `waiting for the cold flush: ${int(coldWaiting)} event${
        coldWaiting === 1 ? "" : "s"
      }, next flush in ≤ ${flushIn} s`
      : undefined,
    n.flagged === undefined ? undefined : `flagged ${int(n.flagged)}`,
    backlog === undefined ? "consumer lag —" : `consumer lag ${int(backlog)}`,
    n.paused ? "paused (backpressure)" : undefined,
    n.stalled.length === 0
      ? undefined
      : `STALLED ${
        n.stalled.map((p) => `${p.topic}-${p.partition}@${p.offset} for ${Math.round(p.ageMs / 1000)} s`)
          .join(", ")
      }`,
  ];
  return parts.filter((p) => p !== undefined).join(" · ");
}

/** Reads the status numbers off a running engine. */
export function engineStatusNumbers(
  engine: Pick<VigilEngine, "source" | "hot" | "cold" | "system">,
  produced?: number | ProducedStatus,
  now: number = Date.now(),
): StatusNumbers {
  const s = engine.source.metrics;
  const hot = engine.hot.metrics;
  const cold = engine.cold.metrics;
  const lags = s.partitions.map((p) => p.lag).filter((l): l is string => l !== undefined);
  const classifier = engine.system.snapshot().actors.find((a) => a.name === "classifier");
  return {
    produced,
    consumed: s.consumed,
    inFlight: s.inFlight,
    hotDelivered: hot.delivered,
    hotHealthy: hot.healthy,
    coldDelivered: cold.delivered,
    coldBuffered: cold.buffered,
    coldHealthy: cold.healthy,
    coldFlushInMs: cold.flushDueAt === undefined ? undefined : cold.flushDueAt - now,
    coldTimeoutMs: engine.cold.config.timeoutMs,
    flagged: classifier?.custom.counters["flagged"],
    kafkaLag: lags.length === 0 ? undefined : lags.reduce((sum, l) => sum + Math.max(0, Number(l)), 0),
    paused: s.paused,
    stalled: s.stalled,
  };
}

/**
 * One line: produced (when known), consumed, events processing, delivered per tier, the events waiting for the
 * cold flush, anomalies seen, the real consumer lag, health, and stalled partitions (events in flight longer
 * than `delivery.stallAgeMs`).
 *
 * @param produced what the in-process producer did, or `undefined` when none runs here
 */
export function engineStatusLine(
  engine: Pick<VigilEngine, "source" | "hot" | "cold" | "system">,
  produced?: number | ProducedStatus,
): string {
  return formatStatusLine(engineStatusNumbers(engine, produced));
}

/**
 * What `start` prints once a file has been produced: how many events, their event-time range and the dashboard
 * URL that opens exactly that range (a replayed file keeps its own dates, usually far from "the last 15 minutes").
 */
export function landedMessage(
  input: string,
  summary: Pick<ProduceSummary, "acked" | "eventTimeRange">,
  dashboard: string,
): string {
  const head = `vigil: ${summary.acked.toLocaleString("en-US")} events from ${input} delivered to Kafka`;
  const range = summary.eventTimeRange;
  if (range === undefined) {
    return `${head}; they carry no time of their own (stamped at ingest: the last minutes)`;
  }
  return [
    `${head}; event time ${range.from} … ${range.to}`,
    `vigil: see them at ${dashboardRangeUrl(dashboard, range.from, range.to)}`,
  ].join("\n");
}
