/**
 * Island: the Overview's KPI tiles. Seeded from the hot tier; events/s then follows live ticks, the critical
 * count adds live criticals, open incidents by severity follow live incident frames (only while the window
 * reaches now), and lag / sink health are polled from `/api/pipeline`.
 */
import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import type { JSX } from "preact";
import { formatCount, formatRate } from "../lib/web/components/format.ts";
import { liveStatus, onIncident, onTick } from "../lib/web/client/live_stream.ts";
import type { IncidentSeverity } from "../lib/incidents/incident.ts";
import type { PipelineSnapshot } from "../lib/web/pipeline_snapshot.ts";

/** Props of {@link LiveKpis}. */
export interface LiveKpisProps {
  /** Events per second over the last minute (hot tier). */
  eventsPerSec: number;
  /** `open` incidents in the window by severity (exact, from the hot tier). */
  openIncidents: Record<IncidentSeverity, number>;
  /** Ids of (up to a few hundred of) those open incidents, so live changes to them are not counted twice. */
  openIncidentIds: string[];
  /** Whether the window ends now (live frames apply); false for a window in the past. */
  live: boolean;
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

/**
 * Messages not consumed yet. Kafka's own lag (end − committed, summed over partitions) is the fallback only:
 * it also counts events consumed and waiting for the cold flush, which are no backlog.
 */
export function totalLag(snapshot: PipelineSnapshot): number {
  return snapshot.delivery?.consumerLag ?? snapshot.kafkaLag.reduce((sum, p) => sum + p.lag, 0);
}

/** The KPI tiles. */
export default function LiveKpis(props: LiveKpisProps): JSX.Element {
  const rate = useSignal(props.eventsPerSec);
  const openCritical = useSignal(props.openIncidents.CRITICAL_ANOMALY);
  const openAnomaly = useSignal(props.openIncidents.ANOMALY);
  const critical = useSignal(props.criticalCount);
  const total = useSignal(props.total);
  const lag = useSignal(props.consumerLag);
  const health = useSignal(props.sinkHealth);

  useEffect(() => {
    if (!props.live) return;
    // Which incidents are counted as open now; a frame moves an incident in or out of the count once.
    const open = new Set(props.openIncidentIds);
    return onIncident(({ incident }) => {
      const was = open.has(incident.id);
      const is = incident.status === "open";
      if (was === is) return;
      if (is) open.add(incident.id);
      else open.delete(incident.id);
      const counter = incident.severity === "CRITICAL_ANOMALY" ? openCritical : openAnomaly;
      counter.value = Math.max(0, counter.value + (is ? 1 : -1));
    });
  }, []);

  useEffect(() => {
    // Ticks are summed per second: several engines each send their own tick for the same second.
    const recent = new Map<number, number>();
    const off = onTick((tick) => {
      recent.set(tick.t, (recent.get(tick.t) ?? 0) + tick.total);
      const seconds = [...recent.keys()].sort((x, y) => x - y);
      for (const t of seconds.slice(0, Math.max(0, seconds.length - 60))) recent.delete(t);
      // "Now" is the mean of the last 5 seconds: one-second counts jitter too much to read.
      const last5 = seconds.slice(-5).map((t) => recent.get(t) ?? 0);
      rate.value = last5.reduce((a, n) => a + n, 0) / Math.max(1, last5.length);
      // Window totals grow with live events only while the window reaches now.
      if (!props.live) return;
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
        <span class="kpi-label">Open incidents</span>
        <span class="kpi-value" data-kpi="open-incidents">
          <a href="/anomalies" class={openCritical.value > 0 ? "crit" : ""} data-kpi="open-critical">
            {formatCount(openCritical.value)}
          </a>
          <span class="muted">/</span>
          <a href="/anomalies" class={openAnomaly.value > 0 ? "warn" : ""} data-kpi="open-anomaly">
            {formatCount(openAnomaly.value)}
          </a>
        </span>
        <span class="kpi-sub">
          <a href="/anomalies">critical / anomaly →</a>
        </span>
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
        <span class="kpi-value" data-kpi="events">{formatCount(total.value)}</span>
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
