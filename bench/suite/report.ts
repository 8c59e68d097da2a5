/**
 * The bench suite's report: one JSON document (every measured value) and its Markdown rendering (ratios
 * first; absolute figures for reference, since the machine is shared and noisy).
 *
 * @module
 */
import type { RawLimits } from "../raw_limits/raw_limits.ts";
import type { LatencyAtRate } from "./latency.ts";
import type { MicroBenchFile } from "./micro_benches.ts";
import type { OverloadResult } from "./overload.ts";
import { fmtInt, fmtRatio, fmtSpread, type Spread, spread } from "./stats.ts";
import type { ThroughputResult } from "./throughput.ts";

/** Everything one `deno task bench` run measured. */
export interface BenchReport {
  startedAt: string;
  quick: boolean;
  /** The checkout whose engine was measured when not this one (`BENCH_ENGINE_ROOT`, see engine_child.ts). */
  engineRoot?: string;
  seconds: number;
  machine: { cpus: number; loadBefore: number[]; loadAfter: number[]; deno: string };
  events: { count: number; avgBytes: number };
  raw?: RawLimits;
  /** Engine cut before storage: source only, + parser, + classifier (= the engine alone). */
  engine: Record<"source" | "parse" | "discard", ThroughputResult[]>;
  full: ThroughputResult[];
  latency?: { results: LatencyAtRate[]; error?: string };
  overload?: OverloadResult;
  scaleOut?: { one: ThroughputResult; two: ThroughputResult };
  micro: MicroBenchFile[];
  errors: string[];
}

const eps = (rs: ThroughputResult[]) => spread(rs.map((r) => r.eventsPerSecond));
const cpu = (rs: ThroughputResult[]) => spread(rs.map((r) => r.cpuPercent));
const div = (s: Spread, b: number): string =>
  fmtSpread({ ...s, min: s.min / b, median: s.median / b, max: s.max / b }, fmtRatio);

/** The slowest raw sink limit (events/s): OpenSearch bulk or S3 PUT, medians. */
export function slowestSinkLimit(raw: RawLimits | undefined): number {
  return raw ? Math.min(raw.opensearchBulk.median, raw.s3Events.median) : NaN;
}

/** Renders the report as Markdown. */
export function renderMarkdown(r: BenchReport): string {
  const L: string[] = [];
  const raw = r.raw;
  const consume = raw?.kafkaConsume.median ?? NaN;
  const sink = slowestSinkLimit(raw);
  const engineAlone = eps(r.engine.discard);
  const full = eps(r.full);
  L.push(`# vigil bench — ${r.startedAt}${r.quick ? " (--quick)" : ""}`);
  L.push("");
  if (r.engineRoot) L.push(`Engine measured: the checkout at \`${r.engineRoot}\` (this harness).`, "");
  L.push(
    `${r.machine.cpus} CPUs, load average ${
      r.machine.loadBefore.map((x) => x.toFixed(1)).join(" / ")
    } before and ${
      r.machine.loadAfter.map((x) => x.toFixed(1)).join(" / ")
    } after (1/5/15 min), Deno ${r.machine.deno}, ${
      Math.round(r.seconds)
    } s. Events: synthetic Windows LogEvents, ${
      Math.round(r.events.avgBytes)
    } B of JSON on average. Figures are median (min–max) over repeats; ratios are to baselines measured in this run.`,
  );
  L.push("");
  L.push("## Ratios");
  L.push("");
  L.push("| Measure | Ratio | Baseline (same run) | Goal |");
  L.push("|---|---:|---|---|");
  L.push(
    `| Engine alone (Kafka → parse → classify → discard) | ${
      div(engineAlone, consume)
    } | Kafka ConsumerPerformance ${fmtInt(consume)} ev/s | — |`,
  );
  L.push(`| Engine alone vs goal | ${div(engineAlone, 50_000)} | 50,000 ev/s (goal) | ≥ 1 |`);
  L.push(
    `| Full pipeline (both tiers) | ${div(full, 0.8 * sink)} | 0.8 × slowest raw sink = ${
      fmtInt(0.8 * sink)
    } ev/s | ≥ 1 |`,
  );
  L.push(
    `| Full pipeline vs engine alone | ${div(full, engineAlone.median)} | engine alone ${
      fmtInt(engineAlone.median)
    } ev/s | — |`,
  );
  if (r.scaleOut) {
    const one = r.scaleOut.one.eventsPerSecond;
    L.push(
      `| 2 engine processes vs 1 (4 partitions) | ${
        fmtRatio(r.scaleOut.two.eventsPerSecond / one)
      } | 1 process ${fmtInt(one)} ev/s | — |`,
    );
  }
  L.push("");
  if (raw) {
    L.push("## 1. Raw limits (same run)");
    L.push("");
    L.push("| Limit | Value | Unit |");
    L.push("|---|---:|---|");
    L.push(
      `| Kafka ProducerPerformance (acks=all, idempotent, zstd, vigil JSON) | ${
        fmtSpread(raw.kafkaProduce)
      } | events/s |`,
    );
    L.push(`| Kafka ConsumerPerformance (fetch rate) | ${fmtSpread(raw.kafkaConsume)} | events/s |`);
    L.push(
      `| OpenSearch \`_bulk\`, pre-serialised vigil documents, best setting | ${
        fmtSpread(raw.opensearchBulk)
      } | docs/s |`,
    );
    for (const s of raw.bulkSettings) {
      L.push(
        `| · ${s.batch} docs/request × ${s.concurrency} in flight | ${
          fmtSpread(spread(s.docsPerSecond))
        } | docs/s |`,
      );
    }
    L.push(
      `| S3 PUT, vigil Parquet object (${(raw.s3ObjectBytes / 1024 / 1024).toFixed(2)} MiB, ${
        fmtInt(raw.s3ObjectRows)
      } rows), best of 1/4 in flight | ${fmtSpread(raw.s3MiBPerSecond, (x) => x.toFixed(1))} | MiB/s |`,
    );
    L.push(`| · as events (rows) | ${fmtSpread(raw.s3Events)} | events/s |`);
    L.push("");
  }
  L.push("## 2. Engine alone (no storage)");
  L.push("");
  L.push("| Cut | events/s | × Kafka consume limit | MiB/s | CPU % of one core |");
  L.push("|---|---:|---:|---:|---:|");
  const cut = (name: string, rs: ThroughputResult[]) => {
    if (rs.length === 0) return;
    L.push(
      `| ${name} | ${fmtSpread(eps(rs))} | ${div(eps(rs), consume)} | ${
        fmtSpread(spread(rs.map((x) => x.mibPerSecond)), (x) => x.toFixed(2))
      } | ${fmtSpread(cpu(rs))} |`,
    );
  };
  cut("Kafka source only", r.engine.source);
  cut("+ parser", r.engine.parse);
  cut("+ classifier pool (**engine alone**)", r.engine.discard);
  L.push("");
  L.push("## 3. Full pipeline (product wiring, both tiers)");
  L.push("");
  L.push("| events/s | × 0.8 × slowest sink limit | CPU % | peak RSS MiB |");
  L.push("|---:|---:|---:|---:|");
  L.push(
    `| ${fmtSpread(full)} | ${div(full, 0.8 * sink)} | ${fmtSpread(cpu(r.full))} | ${
      fmtSpread(spread(r.full.map((x) => x.peakRssMiB)))
    } |`,
  );
  L.push("");
  const phased = r.full.filter((x) => x.phases !== undefined).map((x) => x.phases!);
  if (phased.length > 0) {
    // A bounded run is start-up + stream + tail; the stream is what a steady load sees (bench/README.md).
    const ph = (f: (p: NonNullable<ThroughputResult["phases"]>) => number) =>
      fmtSpread(spread(phased.map(f)));
    L.push(
      "| window start → first hot ack, ms | hot stream (10–90 %), events/s | hot done → cold done, ms |",
    );
    L.push("|---:|---:|---:|");
    L.push(
      `| ${ph((p) => p.firstDeliveryMs)} | ${ph((p) => p.hotStreamEventsPerSecond)} | ${
        ph((p) => p.coldTailMs)
      } |`,
    );
    L.push("");
  }
  L.push(...cpuCostTable(r.full));
  if (r.latency) {
    L.push("## 4. Latency at fixed offered loads (ms)");
    L.push("");
    L.push(
      "| Offered ev/s | achieved | indexed p50 / p95 / p99 | searchable p50 / p95 / p99 | SSE chart p50 / p95 / p99 | drained |",
    );
    L.push("|---:|---:|---|---|---|---|");
    for (const x of r.latency.results) {
      const f = (l: { p50: number; p95: number; p99: number }) =>
        `${fmtInt(l.p50)} / ${fmtInt(l.p95)} / ${fmtInt(l.p99)}`;
      L.push(
        `| ${fmtInt(x.offeredRate)} | ${fmtInt(x.achievedRate)} | ${f(x.indexed)} | ${f(x.searchable)} | ${
          x.sse ? f(x.sse) : "–"
        } | ${x.drained ? "yes" : "no"} |`,
      );
    }
    if (r.latency.error) L.push(`\nLatency run error: \`${r.latency.error.split("\n")[0]}\``);
    L.push("");
    L.push(
      "Goals at 5k/s: p99 indexed ≤ 500 ms, searchable ≤ 1.5 s (includes ≤ 100 ms polling), SSE ≤ 250 ms " +
        "(produce → the dashboard's live chart tick that counts the event).",
    );
    L.push("");
  }
  if (r.overload) {
    const o = r.overload;
    L.push("## 5. Overload");
    L.push("");
    L.push(
      "| Offered (10× sustainable) | achieved | for | RSS before / peak / end MiB | peak backlog | peak Kafka lag | caught up after | crashed |",
    );
    L.push("|---:|---:|---:|---|---:|---:|---:|---|");
    L.push(
      `| ${fmtInt(o.offeredRate)} | ${fmtInt(o.achievedRate)} | ${o.overloadSeconds} s | ${
        fmtInt(o.rssBeforeMiB)
      } / ${fmtInt(o.rssPeakMiB)} / ${fmtInt(o.rssEndMiB)} | ${fmtInt(o.peakBacklog)} | ${
        fmtInt(o.peakLag)
      } | ${o.caughtUp ? `${o.catchUpSeconds.toFixed(1)} s` : "not within timeout"} | ${
        o.crashed ? "yes" : "no"
      } |`,
    );
    L.push("");
    if (o.atPeak) {
      const m = o.atPeak;
      L.push(
        `At the peak: V8 heap ${fmtInt(m.heapUsedMiB)} used / ${
          fmtInt(m.heapTotalMiB)
        } reserved MiB, external ${fmtInt(m.externalMiB)} MiB, ${fmtInt(m.inFlight)} events in flight (${
          fmtInt(m.coldBuffered)
        } in the cold buffer).`,
      );
    }
    const check = (name: string, c?: { total: number; lost: number; duplicated: number }) =>
      c
        ? `${name} ${fmtInt(c.total)} (${fmtInt(c.lost)} lost, ${fmtInt(c.duplicated)} duplicated)`
        : undefined;
    const checks = [check("hot tier", o.hotCheck), check("cold tier", o.coldCheck)].filter((x) => x);
    if (checks.length > 0) L.push(`Counted by id: ${checks.join(", ")}.`);
    const noLoss = o.caughtUp && (o.hotCheck?.lost ?? 0) + (o.coldCheck?.lost ?? 0) === 0;
    L.push(
      `Goal (issue 14): peak RSS ≤ 500 MB with no loss — ${
        o.rssPeakMiB <= 500 && noLoss ? "met" : "**not met**"
      }.`,
    );
    L.push("");
  }
  if (r.scaleOut) {
    const { one, two } = r.scaleOut;
    L.push("## 6. Scale out (one consumer group, 4 partitions, full pipeline)");
    L.push("");
    L.push("| Engine processes | events/s | × 1 process | CPU % (sum) |");
    L.push("|---:|---:|---:|---:|");
    L.push(`| 1 | ${fmtInt(one.eventsPerSecond)} | 1.00 | ${fmtInt(one.cpuPercent)} |`);
    L.push(
      `| 2 | ${fmtInt(two.eventsPerSecond)} | ${fmtRatio(two.eventsPerSecond / one.eventsPerSecond)} | ${
        fmtInt(two.cpuPercent)
      } |`,
    );
    L.push("");
  }
  if (r.micro.length > 0) {
    L.push("## 7. Component micro-benchmarks (`deno bench`, ratio to each group's baseline)");
    L.push("");
    L.push("| File | Benchmark | time/iter | × baseline |");
    L.push("|---|---|---:|---:|");
    for (const f of r.micro) {
      if (!f.ok && f.rows.length === 0) {
        L.push(`| ${f.file} | failed: ${(f.error ?? "").split("\n")[0].slice(0, 120)} | — | — |`);
        continue;
      }
      for (const row of f.rows) {
        const t = row.avgMs >= 1 ? `${row.avgMs.toFixed(1)} ms` : `${(row.avgMs * 1000).toFixed(1)} µs`;
        L.push(
          `| ${f.file.replace("bench/", "")} | ${row.name}${row.baseline ? " (baseline)" : ""} | ${t} | ${
            fmtRatio(row.ratio)
          } |`,
        );
      }
    }
    L.push("");
  }
  if (r.errors.length > 0) {
    L.push("## Errors");
    L.push("");
    for (const e of r.errors) L.push(`- ${e.split("\n")[0].slice(0, 300)}`);
    L.push("");
  }
  return L.join("\n");
}

/** Order of the per-process CPU table's rows. */
const CPU_ROWS = ["producer", "kafka (produce)", "engine", "kafka", "opensearch", "s3"];

/**
 * The full pipeline's CPU cost per event, per process: CPU seconds per 1,000 events (median of the runs and
 * their spread), and each process's share of the total — what to cut first.
 */
export function cpuCostTable(runs: readonly ThroughputResult[]): string[] {
  const withCost = runs.filter((x) => x.cpuPerThousand !== undefined);
  if (withCost.length === 0) return [];
  const names = [
    ...CPU_ROWS,
    ...new Set(withCost.flatMap((x) => Object.keys(x.cpuPerThousand!)).filter((k) => !CPU_ROWS.includes(k))),
  ];
  const rows = names.flatMap((name) => {
    const values = withCost.map((x) => x.cpuPerThousand![name]).filter((v): v is number => v !== undefined);
    return values.length === 0 ? [] : [{ name, s: spread(values) }];
  });
  const total = rows.reduce((sum, x) => sum + x.s.median, 0);
  const f = (v: number) => v.toFixed(3);
  return [
    "CPU per event, by process (CPU seconds per 1,000 events, from `/proc/<pid>/stat` and the engine's own CPU",
    "time; services only when the local stack runs them; a shared stack's other clients count too):",
    "",
    "| process | CPU s / 1,000 events | share |",
    "|---|---:|---:|",
    ...rows.map((x) =>
      `| ${x.name} | ${fmtSpread(x.s, f)} | ${
        total > 0 ? `${Math.round((x.s.median / total) * 100)} %` : "–"
      } |`
    ),
    `| **total** | ${f(total)} | 100 % |`,
    "",
  ];
}
