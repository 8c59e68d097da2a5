/**
 * `deno task bench [--quick]` — vigil measured as a whole against the raw limits of the same machine, in one
 * run: (1) Kafka / OpenSearch / S3 raw limits, (2) the engine alone (and cut after each stage), (3) the full
 * pipeline into both tiers, (4) latency at fixed offered loads, (5) 10× overload and catch-up, (6) 1 vs 2
 * engine processes, (7) the component micro-benchmarks of bench/. Writes `bench/results/<date>[-quick].json`
 * and `.md` and prints the Markdown.
 *
 * Uses the local stack (started, and installed on first use, when not running; stopped again at the end if
 * this run started it) unless the configuration points elsewhere. Every scenario uses its own topic / index prefix / S3 prefix and removes them.
 * Exits non-zero only when something failed (an error), never because a figure is slow: CI runs `--quick`.
 *
 * @module
 */
import { parseArgs } from "node:util";
import os from "node:os";
import { loadConfig } from "../lib/config/vigil_config.ts";
import { leaseLocalStackIfUsed } from "../infra/uses_local_stack.ts";
import type { LogEvent } from "../lib/event/log_event.ts";
import { measureRawLimits } from "./raw_limits/raw_limits.ts";
import { EventMaker } from "./suite/event_feeder.ts";
import { measureLatency } from "./suite/latency.ts";
import { runMicroBenches } from "./suite/micro_benches.ts";
import { measureOverload } from "./suite/overload.ts";
import { type BenchReport, renderMarkdown } from "./suite/report.ts";
import { spread } from "./suite/stats.ts";
import { measureThroughput, type ThroughputResult } from "./suite/throughput.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: { quick: { type: "boolean", default: false }, out: { type: "string" } },
});
const quick = values.quick;
/** Sizes: `--quick` ≈ 2–3 minutes on the shared 2-core machine, the full run < 15 minutes. */
const P = quick
  ? {
    events: 10_000,
    kafkaRecords: 20_000,
    bulkDocs: 6_000,
    objectRows: 10_000,
    puts: 4,
    rawRepeats: 1,
    repeats: 1,
    cuts: false,
    latencyRates: [1000, 5000],
    latencySeconds: 5,
    overloadSeconds: 3,
    catchUpMs: 60_000,
    scaleOut: false,
    micro: ["bench/engine_chain_bench.ts"],
  }
  : {
    events: 30_000,
    kafkaRecords: 100_000,
    bulkDocs: 20_000,
    objectRows: 25_000,
    puts: 8,
    rawRepeats: 3,
    repeats: 2,
    cuts: true,
    latencyRates: [1000, 5000, 10000],
    latencySeconds: 10,
    overloadSeconds: 10,
    catchUpMs: 240_000,
    scaleOut: true,
    micro: [
      "bench/engine_chain_bench.ts",
      "bench/engine_worker_pool_bench.ts",
      "bench/parser_bench.ts",
      "bench/producer_bench.ts",
      "bench/delivery_bench.ts",
      "bench/web_live_latency_bench.ts",
    ],
  };

const started = performance.now();
const startedAt = new Date().toISOString();
const runId = Date.now().toString(36);
const config = await loadConfig();
const errors: string[] = [];
const log = (m: string) =>
  console.error(`[bench ${((performance.now() - started) / 1000).toFixed(0)}s] ${m}`);
// On a fresh clone this installs and starts the local stack; services it starts stop again at the end.
const stack = await leaseLocalStackIfUsed(config, (line) => log(`stack: ${line}`));

const maker = new EventMaker(`b${runId}-`);
const events: LogEvent[] = Array.from(
  { length: Math.max(P.events, P.bulkDocs, P.objectRows) },
  (_, i) => maker.make(i),
);
const engineEvents = events.slice(0, P.events);
const avgBytes = engineEvents.reduce((s, e) => s + JSON.stringify(e).length, 0) / engineEvents.length;

const report: BenchReport = {
  startedAt,
  quick,
  ...(Deno.env.get("BENCH_ENGINE_ROOT") ? { engineRoot: Deno.env.get("BENCH_ENGINE_ROOT") } : {}),
  seconds: 0,
  machine: {
    cpus: navigator.hardwareConcurrency,
    loadBefore: os.loadavg(),
    loadAfter: [],
    deno: Deno.version.deno,
  },
  events: { count: P.events, avgBytes },
  engine: { source: [], parse: [], discard: [] },
  full: [],
  micro: [],
  errors,
};

async function step<T>(name: string, f: () => Promise<T>): Promise<T | undefined> {
  log(`${name}...`);
  try {
    return await f();
  } catch (err) {
    errors.push(`${name}: ${(err as Error).message}`);
    log(`${name} failed: ${(err as Error).message}`);
    return undefined;
  }
}

function keep(into: ThroughputResult[], name: string, r: ThroughputResult): void {
  into.push(r);
  if (r.error) errors.push(`${name}: ${r.error}`);
  log(`${name}: ${Math.round(r.eventsPerSecond)} events/s, CPU ${Math.round(r.cpuPercent)} %`);
}

report.raw = await step("raw limits", () =>
  measureRawLimits({
    runId,
    config,
    events: events.slice(0, P.bulkDocs),
    kafkaRecords: P.kafkaRecords,
    objectRows: P.objectRows,
    puts: P.puts,
    bulkSettings: quick
      ? [{ batch: 1000, concurrency: 1 }, { batch: 2000, concurrency: 2 }]
      : [{ batch: 1000, concurrency: 1 }, { batch: 2000, concurrency: 2 }, { batch: 5000, concurrency: 2 }],
    repeats: P.rawRepeats,
  }));
if (report.raw) {
  log(
    `raw: consume ${Math.round(report.raw.kafkaConsume.median)}/s, bulk ${
      Math.round(report.raw.opensearchBulk.median)
    }/s`,
  );
}

for (let r = 0; r < P.repeats; r++) {
  const modes = P.cuts ? (["source", "parse", "discard"] as const) : (["discard"] as const);
  for (const mode of modes) {
    const res = await measureThroughput({
      runId,
      name: `${mode}${r}`,
      events: engineEvents,
      mode,
      timeoutMs: 180_000,
    });
    keep(report.engine[mode], `engine ${mode}`, res);
  }
  const res = await measureThroughput({
    runId,
    name: `full${r}`,
    events: engineEvents,
    mode: "full",
    timeoutMs: 180_000,
  });
  keep(report.full, "full pipeline", res);
}

report.latency = await step("latency", () => measureLatency(runId, P.latencyRates, P.latencySeconds));
if (report.latency?.error) errors.push(`latency: ${report.latency.error}`);

const sustainable = spread(report.full.map((r) => r.eventsPerSecond)).median;
report.overload = await step(
  "overload",
  () =>
    measureOverload(
      runId,
      Number.isFinite(sustainable) ? sustainable : 1000,
      P.overloadSeconds,
      P.catchUpMs,
      {
        countTiers: true,
      },
    ),
);
if (report.overload?.error) errors.push(`overload: ${report.overload.error}`);
for (const [tier, c] of [["hot", report.overload?.hotCheck], ["cold", report.overload?.coldCheck]] as const) {
  if (c && c.lost + c.duplicated > 0) {
    errors.push(`overload: the ${tier} tier lost ${c.lost} and duplicated ${c.duplicated} events`);
  }
}
if (report.overload?.crashed) errors.push("overload: the engine crashed");

if (P.scaleOut) {
  const one = await measureThroughput({
    runId,
    name: "scale1",
    events: engineEvents,
    mode: "full",
    feed: "live",
    timeoutMs: 180_000,
  });
  const two = await measureThroughput({
    runId,
    name: "scale2",
    events: engineEvents,
    mode: "full",
    engines: 2,
    feed: "live",
    timeoutMs: 180_000,
  });
  for (const [n, r] of [["scale-out 1", one], ["scale-out 2", two]] as const) {
    if (r.error) errors.push(`${n}: ${r.error}`);
  }
  report.scaleOut = { one, two };
  log(`scale-out: 1 → ${Math.round(one.eventsPerSecond)}/s, 2 → ${Math.round(two.eventsPerSecond)}/s`);
}

log("micro-benchmarks...");
report.micro = await runMicroBenches(P.micro, quick ? 60_000 : 150_000);
for (const f of report.micro) if (!f.ok) errors.push(`micro ${f.file}: ${f.error}`);

report.machine.loadAfter = os.loadavg();
report.seconds = (performance.now() - started) / 1000;
const md = renderMarkdown(report);
const base = values.out ?? `bench/results/${startedAt.slice(0, 10)}${quick ? "-quick" : ""}`;
await Deno.mkdir("bench/results", { recursive: true });
await Deno.writeTextFile(`${base}.json`, JSON.stringify(report, null, 2) + "\n");
await Deno.writeTextFile(`${base}.md`, md + "\n");
console.log(md);
log(`wrote ${base}.json and ${base}.md`);
await stack?.release();
Deno.exit(errors.length > 0 ? 1 : 0);
