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
import { coldFlushWaitText, type DeliveryFigures, deliveryWait } from "../lib/web/delivery_wait.ts";

/** The hot and cold sinks' state in the dashboard's terms. */
export function sinkMetricsOf(
  engine: Pick<VigilEngine, "hot" | "cold">,
  coldRetentionDays = 0,
): SinkMetrics[] {
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
      retention: retentionText(hot.retention),
    },
    {
      name: "cold (Parquet on S3)",
      status: cold.healthy ? "healthy" : "retrying",
      delivered: cold.delivered,
      retries: cold.retries,
      dlq: 0,
      lastError: cold.lastError,
      // Applied by `deno task compact`, not by the engine.
      retention: coldRetentionDays > 0
        ? `${coldRetentionDays} days of event time (deno task compact)`
        : "for ever",
    },
  ];
}

const RETENTION_BY = { ism: "ISM policy", ilm: "ILM policy", sweep: "sink sweep", off: "" } as const;

/**
 * The hot tier's retention as the Pipeline page shows it: `7 days (ISM policy)`, `for ever`, or undefined before
 * the sink started.
 */
export function retentionText(
  retention: { mode: keyof typeof RETENTION_BY; days: number } | undefined,
): string | undefined {
  if (retention === undefined) return undefined;
  if (retention.mode === "off" || retention.days <= 0) return "for ever";
  const days = Number.isInteger(retention.days) ? `${retention.days}` : retention.days.toPrecision(3);
  return `${days} day${retention.days === 1 ? "" : "s"} (${RETENTION_BY[retention.mode]})`;
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

/**
 * The plain numbers behind the status line (see {@link formatStatusLine}); the Pipeline page reads the same
 * {@link DeliveryFigures} through {@link deliveryWait}.
 */
export interface StatusNumbers extends DeliveryFigures {
  /** The producer running in this process, if any: a bare number is events acknowledged. */
  produced?: number | ProducedStatus;
  hotDelivered: number;
  hotHealthy: boolean;
  coldDelivered: number;
  coldHealthy: boolean;
  flagged?: number;
  paused: boolean;
  /** Why the source is paused when it is not backpressure (the dead-letter topic refuses writes). */
  pausedReason?: string;
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
  const wait = deliveryWait(n);
  const parts = [
    n.produced === undefined ? undefined : producedPart(n.produced),
    `consumed ${int(n.consumed)}`,
    wait.processing > 0 ? `processing ${int(wait.processing)}` : undefined,
    `hot ${int(n.hotDelivered)}${n.hotHealthy ? "" : " (retrying)"}`,
    `cold ${int(n.coldDelivered)}${n.coldHealthy ? "" : " (retrying)"}`,
    coldFlushWaitText(wait),
    n.flagged === undefined ? undefined : `flagged ${int(n.flagged)}`,
    wait.consumerLag === undefined ? "consumer lag —" : `consumer lag ${int(wait.consumerLag)}`,
    n.pausedReason !== undefined
      ? `PAUSED: ${n.pausedReason}`
      : n.paused
      ? "paused (backpressure)"
      : undefined,
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
    pausedReason: s.pausedReason,
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
