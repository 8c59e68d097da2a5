/**
 * Markdown for a scale-out series (see `scale_out.ts`): one row per engine per run, then per engine count the
 * spread of events/s and of CPU seconds per 1,000 events per engine, and the ratio of the medians to one
 * engine's.
 *
 * @module
 */
import type { ScaleOutResult, TierCheck } from "./scale_out.ts";
import { spread } from "./stats.ts";

/** The header facts of a series. */
export interface ScaleOutSeries {
  startedAt: string;
  cpus: number;
  events: number;
  partitions: number;
  /** The quota asked for, fraction of one CPU (undefined: pinning only). */
  quota?: number;
  runs: ScaleOutResult[];
}

const f = (x: number, d = 0) => Number.isFinite(x) ? x.toFixed(d) : "–";
const tier = (t: TierCheck | undefined) =>
  t === undefined
    ? "–"
    : t.missing === 0 && t.duplicates === 0
    ? `${t.once} once`
    : `${t.once} once, ${t.missing} missing, ${t.duplicates} dup.`;

/** Renders a series as Markdown. */
export function renderScaleOut(s: ScaleOutSeries): string {
  const notes = new Set(s.runs.flatMap((r) => r.perEngine.map((e) => e.quotaNote)).filter((x) => x));
  const lines = [
    `Scale-out, ${s.startedAt}: ${
      s.events.toLocaleString("en")
    } events per run, ${s.partitions} partitions, ` +
    `${s.cpus} CPUs; each engine pinned to its own CPU (\`taskset\`)` +
    (s.quota === undefined ? "" : `, capped at ${s.quota} of it (cgroup)`) + ".",
    ...[...notes].map((n) => `Quota not applied: ${n}.`),
    "",
    "| run | engines | load 1m | events/s | engine (CPU) | partitions | events | CPU s | CPU s / 1,000 | throttled | delivered again | hot | cold |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  ];
  s.runs.forEach((r, i) => {
    if (r.error) {
      lines.push(`| ${i + 1} | ${r.engines} | ${f(r.load[0], 1)} | error: ${r.error.slice(0, 120)} |`);
      return;
    }
    r.perEngine.forEach((e, j) => {
      lines.push(
        `| ${j === 0 ? i + 1 : ""} | ${j === 0 ? r.engines : ""} | ${
          j === 0 ? `${f(r.load[0], 1)}→${f(r.load[1], 1)}` : ""
        } | ${j === 0 ? f(r.eventsPerSecond) : ""} | #${j + 1} (cpu ${e.cpu}) | ${e.partitions.join(",")} | ${
          e.events.toLocaleString("en")
        } | ${f(e.cpuSeconds, 2)} | ${f(e.cpuPerThousand, 3)} | ${
          e.throttled ? `${e.throttled.periods} × / ${f(e.throttled.throttledMs)} ms` : "–"
        } | ${j === 0 ? f(r.redelivered ?? NaN) : ""} | ${j === 0 ? tier(r.hot) : ""} | ${
          j === 0 ? tier(r.cold) : ""
        } |`,
      );
    });
  });
  const counts = [...new Set(s.runs.map((r) => r.engines))].sort((a, b) => a - b);
  const ok = (n: number) => s.runs.filter((r) => r.engines === n && r.completed && !r.error);
  const eps = (n: number) => spread(ok(n).map((r) => r.eventsPerSecond));
  const cost = (n: number) => spread(ok(n).flatMap((r) => r.perEngine.map((e) => e.cpuPerThousand)));
  const svc = (n: number, k: string) => spread(ok(n).map((r) => r.services[k] ?? NaN));
  const one = counts[0];
  lines.push(
    "",
    "| engines | runs | events/s median (min–max) | × first | engine CPU s / 1,000 per engine, median (min–max) | × first | OpenSearch | Kafka | S3 |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  );
  for (const n of counts) {
    const e = eps(n), c = cost(n);
    lines.push(
      `| ${n} | ${ok(n).length} | ${f(e.median)} (${f(e.min)}–${f(e.max)}) | ${
        f(e.median / eps(one).median, 2)
      } | ${f(c.median, 3)} (${f(c.min, 3)}–${f(c.max, 3)}) | ${f(c.median / cost(one).median, 2)} | ${
        f(svc(n, "opensearch").median, 3)
      } | ${f(svc(n, "kafka").median, 3)} | ${f(svc(n, "s3").median, 3)} |`,
    );
  }
  // Each repeat's runs ran back to back: their ratio is the least disturbed by the host's changing load.
  const repeats = [...new Set(s.runs.map((r) => r.repeat).filter((r) => r !== undefined))];
  for (const n of counts.slice(1)) {
    const ratios = repeats.map((rep) => {
      const at = (k: number) => ok(k).find((r) => r.repeat === rep)?.eventsPerSecond ?? NaN;
      return f(at(n) / at(one), 2);
    });
    if (ratios.length > 0) {
      lines.push("", `Events/s, ${n} ÷ ${one} engine(s), per repeat: ${ratios.join(", ")}.`);
    }
  }
  return lines.join("\n") + "\n";
}
