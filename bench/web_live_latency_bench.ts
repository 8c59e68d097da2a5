/**
 * Live path latency: an event recorded by the engine (LiveAggregator.record) → its per-second counts arriving
 * at a browser-like SSE client over real HTTP (Deno.serve → /api/live), at 5,000 events/s for 5 s.
 * Goal (issue 7): produce→chart p99 ≤ 250 ms. The latency of each event is the time from `record` until the
 * tick that counts it is received; the baseline is the same path with the aggregator flushing on every event
 * (no batching), measured in the same run.
 *
 * Run: `deno bench -A bench/web_live_latency_bench.ts` (prints the percentiles; each bench runs once).
 *
 * @module
 */
import { createWebApp } from "../lib/web/create_web_app.tsx";
import { ROUTES } from "../routes/_manifest.ts";
import { LiveAggregator } from "../lib/web/live_aggregator.ts";
import { LiveHub } from "../lib/web/live_hub.ts";
import type { HotTierQueries } from "../lib/web/web_deps.ts";
import { makeEvent } from "../testing/memory_hot_tier.ts";

const RATE = 5_000;
const SECONDS = 5;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function measure(
  intervalMs: number,
): Promise<{ p50: number; p99: number; max: number; events: number }> {
  const hub = new LiveHub({ clientCapacity: 100_000 });
  let pending: number[] = [];
  const flushedTicks: number[][] = [];
  const aggregator = new LiveAggregator({
    intervalMs: Math.max(1, intervalMs),
    publish: (f) => {
      if (f.type === "tick") {
        flushedTicks.push(pending);
        pending = [];
      }
      hub.publish(f);
    },
  });
  const web = createWebApp({ routes: ROUTES, hot: {} as HotTierQueries, live: hub, heartbeatMs: 60_000 });
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, web.fetch);
  const res = await fetch(`http://127.0.0.1:${server.addr.port}/api/live?types=tick`);
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  const latencies: number[] = [];
  let ticksSeen = 0;
  const reading = (async () => {
    let buf = "";
    while (true) {
      const { value, done } = await reader.read();
      if (done) return;
      const now = performance.now();
      buf += value;
      let i;
      while ((i = buf.indexOf("\n\n")) >= 0) {
        const frame = buf.slice(0, i);
        buf = buf.slice(i + 2);
        if (!frame.startsWith("event: tick")) continue;
        for (const t of flushedTicks[ticksSeen++] ?? []) latencies.push(now - t);
      }
    }
  })();
  await new Promise((r) => setTimeout(r, 100));
  if (intervalMs > 0) aggregator.start();
  const event = makeEvent({ id: "x" });
  const started = performance.now();
  let sent = 0;
  while (performance.now() - started < SECONDS * 1000) {
    // Send what is due at RATE events/s, then yield so timers and the server run.
    const due = Math.floor(((performance.now() - started) / 1000) * RATE);
    for (; sent < due; sent++) {
      pending.push(performance.now());
      aggregator.record(event);
      if (intervalMs === 0) aggregator.flush();
    }
    await new Promise((r) => setTimeout(r, 1));
  }
  aggregator.stop();
  aggregator.flush();
  await new Promise((r) => setTimeout(r, 300));
  await reader.cancel();
  await reading.catch(() => {});
  await server.shutdown();
  latencies.sort((a, b) => a - b);
  return {
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? NaN,
    events: latencies.length,
  };
}

for (
  const [name, intervalMs, baseline] of [["flush per event (baseline)", 0, true], [
    "200 ms ticks (default)",
    200,
    false,
  ]] as const
) {
  Deno.bench({
    name: `record → SSE tick received, ${name}`,
    baseline,
    n: 1,
    warmup: 0,
    fn: async () => {
      const r = await measure(intervalMs);
      console.log(
        `${name}: ${r.events} events, latency p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, max ${
          r.max.toFixed(1)
        } ms`,
      );
    },
  });
}
