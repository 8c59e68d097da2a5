/**
 * Island: the Overview's KPI tiles. Seeded from the hot tier; events/s and anomaly rate then follow live ticks
 * (last 60 s), the critical count adds live criticals, and lag / sink health are polled from `/api/pipeline`.
 */
import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import type { JSX } from "preact";
import { formatCount, formatPercent, formatRate } from "../lib/web/components/format.ts";
import { liveStatus, onTick } from "../lib/web/client/live_stream.ts";
import type { PipelineSnapshot } from "../lib/web/pipeline_snapshot.ts";

/** Props of {@link LiveKpis}. */
export interface LiveKpisProps {
  /** Events per second over the last minute (hot tier). */
  eventsPerSec: number;
  /** Flagged share of events in the window. */
  anomalyRate: number;
  criticalCount: number;
  total: number;
  consumerLag: number;
  /** `healthy` / `degraded` / `down` / `unknown`. */
  sinkHealth: string;
  windowLabel: string;
}

/** Summarises sink status across sinks. */
export function sinkHealthOf(snapshot: PipelineSnapshot): string {
  if (snapshot.sinks.length === 0) return "unknown";
  if (snapshot.sinks.some((s) => s.status === "down")) return "down";
  if (snapshot.sinks.some((s) => s.status !== "healthy")) return "degraded";
  return "healthy";
}

/** Total consumer lag across partitions. */
export function totalLag(snapshot: PipelineSnapshot): number {
  return snapshot.kafkaLag.reduce((sum, p) => sum + p.lag, 0);
}

/** The KPI tiles. */
export default function LiveKpis(props: LiveKpisProps): JSX.Element {
  const rate = useSignal(props.eventsPerSec);
  const anomalyRate = useSignal(props.anomalyRate);
  const critical = useSignal(props.criticalCount);
  const total = useSignal(props.total);
  const lag = useSignal(props.consumerLag);
  const health = useSignal(props.sinkHealth);
  const rateBasis = useSignal(props.windowLabel);

  useEffect(() => {
    // Ticks are summed per second: several engines each send their own tick for the same second.
    const recent = new Map<number, { total: number; flagged: number }>();
    const off = onTick((tick) => {
      const flagged = (tick.byClassification.ANOMALY ?? 0) + (tick.byClassification.CRITICAL_ANOMALY ?? 0);
      const slot = recent.get(tick.t) ?? { total: 0, flagged: 0 };
      slot.total += tick.total;
      slot.flagged += flagged;
      recent.set(tick.t, slot);
      const seconds = [...recent.keys()].sort((x, y) => x - y);
      for (const t of seconds.slice(0, Math.max(0, seconds.length - 60))) recent.delete(t);
      const sum = [...recent.values()].reduce((a, r) => a + r.total, 0);
      const sumFlagged = [...recent.values()].reduce((a, r) => a + r.flagged, 0);
      // "Now" is the mean of the last 5 seconds: one-second counts jitter too much to read.
      const last5 = seconds.slice(-5).map((t) => recent.get(t)?.total ?? 0);
      rate.value = last5.reduce((a, n) => a + n, 0) / Math.max(1, last5.length);
      if (sum > 0) {
        anomalyRate.value = sumFlagged / sum;
        rateBasis.value = "live, last 60 s";
      }
      critical.value += tick.byClassification.CRITICAL_ANOMALY ?? 0;
      total.value += tick.total;
    });
    const poll = async () => {
      try {
        const snap = (await (await fetch("/api/pipeline")).json()) as PipelineSnapshot;
        lag.value = totalLag(snap);
        health.value = sinkHealthOf(snap);
      } catch { /* keep the last values; the status pill shows connectivity */ }
    };
    const timer = setInterval(poll, 5000);
    return () => {
      off();
      clearInterval(timer);
    };
  }, []);

  return (
    <section class="kpis" aria-label="Key figures">
      <div class="kpi">
        <span class="kpi-label">Events/s now</span>
        <span class="kpi-value" data-kpi="rate">{formatRate(rate.value)}</span>
        <span class={`kpi-sub status-${liveStatus.value}`}>● {liveStatus.value}</span>
      </div>
      <div class="kpi">
        <span class="kpi-label">Anomaly rate</span>
        <span class={`kpi-value ${anomalyRate.value > 0.05 ? "warn" : ""}`}>
          {formatPercent(anomalyRate.value)}
        </span>
        <span class="kpi-sub">flagged / all · {rateBasis.value}</span>
      </div>
      <div class="kpi">
        <span class="kpi-label">Critical</span>
        <span class={`kpi-value ${critical.value > 0 ? "crit" : ""}`} data-kpi="critical">
          {formatCount(critical.value)}
        </span>
        <span class="kpi-sub">{props.windowLabel}</span>
      </div>
      <div class="kpi">
        <span class="kpi-label">Events</span>
        <span class="kpi-value">{formatCount(total.value)}</span>
        <span class="kpi-sub">{props.windowLabel}</span>
      </div>
      <div class="kpi">
        <span class="kpi-label">Consumer lag</span>
        <span class={`kpi-value ${lag.value > 10_000 ? "warn" : ""}`}>{formatCount(lag.value)}</span>
        <span class="kpi-sub">messages</span>
      </div>
      <div class="kpi">
        <span class="kpi-label">Sinks</span>
        <span class={`kpi-value health-${health.value}`}>{health.value}</span>
        <span class="kpi-sub">hot + cold</span>
      </div>
    </section>
  );
}
