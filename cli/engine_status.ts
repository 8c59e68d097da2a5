/**
 * What a running engine reports about itself outside the engine snapshot: the sinks' delivery state (for the
 * dashboard's Pipeline page) and the one-line live status printed by `deno task start` / `deno task engine`.
 *
 * @module
 */
import type { VigilEngine } from "../actors/vigil_pipeline.ts";
import type { SinkMetrics } from "../lib/web/pipeline_snapshot.ts";

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

/**
 * One line: produced (when known), consumed, in flight, delivered per tier, anomalies seen, lag, health, and
 * stalled partitions (events in flight longer than `delivery.stallAgeMs`).
 *
 * @param produced events the in-process producer had acknowledged, or `undefined` when none runs here
 */
export function engineStatusLine(
  engine: Pick<VigilEngine, "source" | "hot" | "cold" | "system">,
  produced?: number,
): string {
  const s = engine.source.metrics;
  const hot = engine.hot.metrics;
  const cold = engine.cold.metrics;
  const lag = s.partitions.reduce((sum, p) => sum + Number(p.lag ?? 0), 0);
  const classifier = engine.system.snapshot().actors.find((a) => a.name === "classifier");
  const flagged = classifier?.custom.counters["flagged"];
  const parts = [
    produced === undefined ? undefined : `produced ${produced}`,
    `consumed ${s.consumed}`,
    `in flight ${s.inFlight}`,
    `hot ${hot.delivered}${hot.healthy ? "" : " (retrying)"}`,
    `cold ${cold.delivered} (+${cold.buffered} buffered)${cold.healthy ? "" : " (retrying)"}`,
    flagged === undefined ? undefined : `flagged ${flagged}`,
    `lag ${lag}`,
    s.paused ? "paused (backpressure)" : undefined,
    s.stalled.length === 0
      ? undefined
      : `STALLED ${
        s.stalled.map((p) => `${p.topic}-${p.partition}@${p.offset} for ${Math.round(p.ageMs / 1000)} s`)
          .join(", ")
      }`,
  ];
  return parts.filter((p) => p !== undefined).join(" · ");
}
