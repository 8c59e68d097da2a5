/**
 * Island: the Pipeline page — delivery (the real consumer lag told apart from the events waiting for the cold
 * flush, the same figures as `start`'s status line), actors (mailbox depth/capacity, throughput, restarts,
 * latency), Kafka lag per partition and sink status — refreshed every 2 s from `/api/pipeline`.
 */
import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import type { JSX } from "preact";
import { formatCount, formatRate } from "../lib/web/components/format.ts";
import type { PipelineSnapshot } from "../lib/web/pipeline_snapshot.ts";
import { coldFlushWaitText, type DeliveryWait } from "../lib/web/delivery_wait.ts";

/** Props of {@link PipelineLive}. */
export interface PipelineLiveProps {
  snapshot: PipelineSnapshot;
  /** Refresh period in milliseconds. */
  refreshMs?: number;
}

/** The live pipeline view. */
export default function PipelineLive({ snapshot, refreshMs = 2000 }: PipelineLiveProps): JSX.Element {
  const snap = useSignal(snapshot);
  const rates = useSignal<Record<string, number>>({});
  const stale = useSignal(false);

  useEffect(() => {
    let prev = snapshot;
    const timer = setInterval(async () => {
      try {
        const next = (await (await fetch("/api/pipeline")).json()) as PipelineSnapshot;
        const dt = (Date.parse(next.at) - Date.parse(prev.at)) / 1000;
        if (dt > 0) {
          const r: Record<string, number> = {};
          for (const a of next.actors) {
            const before = prev.actors.find((p) => p.name === a.name);
            if (before) r[a.name] = Math.max(0, (a.out - before.out) / dt);
          }
          rates.value = r;
        }
        prev = next;
        snap.value = next;
        stale.value = false;
      } catch {
        stale.value = true;
      }
    }, refreshMs);
    return () => clearInterval(timer);
  }, []);

  const s = snap.value;
  return (
    <div class="pipeline">
      {(s.attention?.length ?? 0) > 0 && (
        <section class="panel attention" role="alert" data-attention>
          <h2>Delivery is held back</h2>
          <ul>{s.attention!.map((r) => <li key={r}>{r}</li>)}</ul>
        </section>
      )}
      {s.delivery && <DeliveryPanel wait={s.delivery} />}
      <section class="panel">
        <header class="panel-head">
          <h2>Actors</h2>
          <span class="muted mono">snapshot {s.at.slice(11, 19)} UTC{stale.value ? " · stale" : ""}</span>
        </header>
        {s.actors.length === 0
          ? <p class="muted empty">No engine is reporting to this web server.</p>
          : (
            <div class="table-wrap">
              <table class="dense">
                <thead>
                  <tr>
                    <th scope="col">Actor</th>
                    <th scope="col">State</th>
                    <th scope="col">Mailbox</th>
                    <th scope="col" class="num">In</th>
                    <th scope="col" class="num">Out</th>
                    <th scope="col" class="num">Out/s</th>
                    <th scope="col" class="num">Dropped</th>
                    <th scope="col" class="num">Restarts</th>
                    <th scope="col" class="num">p50 / p90 / p99 ms</th>
                  </tr>
                </thead>
                <tbody>
                  {s.actors.map((a) => {
                    const fill = a.mailboxCapacity > 0 ? a.mailboxDepth / a.mailboxCapacity : 0;
                    return (
                      <tr>
                        <td class="mono">{a.name}</td>
                        <td>
                          <span class={`state state-${a.state}`}>{a.state}</span>
                        </td>
                        <td>
                          <span class="meter" title={`${a.mailboxDepth} / ${a.mailboxCapacity}`}>
                            <span
                              class={`meter-fill ${fill > 0.8 ? "hot" : ""}`}
                              style={`width:${(fill * 100).toFixed(1)}%`}
                            />
                          </span>
                          <span class="mono small">{a.mailboxDepth}/{a.mailboxCapacity}</span>
                        </td>
                        <td class="num mono">{formatCount(a.in)}</td>
                        <td class="num mono">{formatCount(a.out)}</td>
                        <td class="num mono">
                          {rates.value[a.name] === undefined ? "–" : formatRate(rates.value[a.name])}
                        </td>
                        <td class={`num mono ${a.dropped > 0 ? "warn" : ""}`}>{formatCount(a.dropped)}</td>
                        <td class={`num mono ${a.restarts > 0 ? "warn" : ""}`}>{a.restarts}</td>
                        <td class="num mono">
                          {a.processingMs
                            ? `${a.processingMs.p50.toFixed(1)} / ${a.processingMs.p90.toFixed(1)} / ${
                              a.processingMs.p99.toFixed(1)
                            }`
                            : "–"}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
      </section>
      <div class="grid-2">
        <section class="panel">
          <header class="panel-head">
            <h2>Kafka lag per partition</h2>
            <span class="muted small">end − committed, including events waiting for the cold flush</span>
          </header>
          {s.kafkaLag.length === 0 ? <p class="muted empty">No lag reported.</p> : (
            <table class="dense">
              <thead>
                <tr>
                  <th scope="col">Topic</th>
                  <th scope="col" class="num">Partition</th>
                  <th scope="col" class="num">Lag</th>
                </tr>
              </thead>
              <tbody>
                {s.kafkaLag.map((p) => (
                  <tr>
                    <td class="mono">{p.topic}</td>
                    <td class="num mono">{p.partition}</td>
                    <td class={`num mono ${p.lag > 10_000 ? "warn" : ""}`}>{formatCount(p.lag)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        <section class="panel">
          <header class="panel-head">
            <h2>Sinks</h2>
          </header>
          {s.sinks.length === 0 ? <p class="muted empty">No sinks reported.</p> : (
            <table class="dense">
              <thead>
                <tr>
                  <th scope="col">Sink</th>
                  <th scope="col">Status</th>
                  <th scope="col" class="num">Delivered</th>
                  <th scope="col" class="num">Last batch</th>
                  <th scope="col" class="num">Retries</th>
                  <th scope="col" class="num">DLQ</th>
                  <th scope="col">Retention</th>
                </tr>
              </thead>
              <tbody>
                {s.sinks.map((k) => (
                  <tr title={k.lastError ?? ""}>
                    <td class="mono">{k.name}</td>
                    <td>
                      <span class={`state health-${k.status}`}>{k.status}</span>
                    </td>
                    <td class="num mono">{formatCount(k.delivered)}</td>
                    <td class="num mono">{k.lastBatchSize ?? "–"}</td>
                    <td class={`num mono ${k.retries > 0 ? "warn" : ""}`}>{formatCount(k.retries)}</td>
                    <td class={`num mono ${k.dlq > 0 ? "crit" : ""}`}>{formatCount(k.dlq)}</td>
                    <td>{k.retention ?? "–"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </div>
    </div>
  );
}

/** What Kafka's lag is made of: the consumer lag apart from the events waiting for the cold flush. */
function DeliveryPanel({ wait }: { wait: DeliveryWait }): JSX.Element {
  const coldWait = coldFlushWaitText(wait);
  return (
    <section class="panel" data-delivery>
      <header class="panel-head">
        <h2>Delivery</h2>
        <span class="muted small">consumed {formatCount(wait.consumed)}</span>
      </header>
      <div class="kpis">
        <div class="kpi">
          <span class="kpi-label">Consumer lag</span>
          <span
            class={`kpi-value ${(wait.consumerLag ?? 0) > 10_000 ? "warn" : ""}`}
            data-delivery="consumer-lag"
          >
            {wait.consumerLag === undefined ? "–" : formatCount(wait.consumerLag)}
          </span>
          <span class="kpi-sub">messages not consumed yet</span>
        </div>
        <div class="kpi">
          <span class="kpi-label">Processing</span>
          <span class="kpi-value" data-delivery="processing">{formatCount(wait.processing)}</span>
          <span class="kpi-sub">in the engine now</span>
        </div>
        <div class="kpi">
          <span class="kpi-label">Waiting for the cold flush</span>
          <span class="kpi-value" data-delivery="cold-waiting">{formatCount(wait.coldWaiting)}</span>
          <span class="kpi-sub">
            {wait.coldWaiting > 0 ? `next flush in ≤ ${wait.coldFlushInS} s` : "nothing buffered"}
          </span>
        </div>
      </div>
      <p class="muted small" data-delivery="explained">
        {coldWait === undefined
          ? "Every consumed event is in both tiers or on its way; Kafka's lag is the consumer lag."
          : `${coldWait[0].toUpperCase()}${coldWait.slice(1)}: consumed and searchable in the hot tier; ` +
            "their Kafka offsets are committed once the cold tier writes them (cold.timeoutMs) — " +
            "not a backlog."}
      </p>
    </section>
  );
}
