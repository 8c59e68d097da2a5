/**
 * `deno run -A bench/scale_out.ts [--events 30000] [--repeats 3] [--engines 1,2] [--partitions 4]
 * [--quota 0.5] [--out bench/results/scale-out-<date>]` — scale-out with each engine's CPU share fixed: for
 * each repeat, runs of 1 and of 2 engine processes in one consumer group (interleaved, the order alternating),
 * each process pinned to its own CPU with `taskset` and, with `--quota`, capped at that fraction of it by a
 * cgroup (root only; see `suite/cpu_share.ts`). Reports events/s, each engine's CPU seconds per 1,000 events,
 * the partitions each owned and whether both tiers hold every event exactly once; writes `<out>.json` and
 * `<out>.md` and prints the Markdown.
 *
 * Needs `taskset` (util-linux). Uses the local stack (started if not running) unless the configuration points
 * elsewhere; every run has its own topic, group, index prefix and S3 prefix, removed afterwards.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { loadConfig } from "../lib/config/vigil_config.ts";
import { leaseLocalStackIfUsed } from "../infra/uses_local_stack.ts";
import { EventMaker } from "./suite/event_feeder.ts";
import { measureScaleOut, type ScaleOutResult } from "./suite/scale_out.ts";
import { renderScaleOut } from "./suite/scale_out_report.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    events: { type: "string", default: "30000" },
    repeats: { type: "string", default: "3" },
    engines: { type: "string", default: "1,2" },
    partitions: { type: "string", default: "4" },
    quota: { type: "string" },
    out: { type: "string" },
  },
});
const events = Number(values.events);
const repeats = Number(values.repeats);
const engineCounts = values.engines.split(",").map(Number);
const partitions = Number(values.partitions);
const quota = values.quota === undefined ? undefined : Number(values.quota);
for (const [name, v] of [["events", events], ["repeats", repeats], ["partitions", partitions]] as const) {
  if (!Number.isInteger(v) || v < 1) throw new RangeError(`--${name} must be a positive integer: got ${v}`);
}
if (engineCounts.some((n) => !Number.isInteger(n) || n < 1 || n > partitions)) {
  throw new RangeError(`--engines must be integers in 1..partitions (${partitions}): got ${values.engines}`);
}

const startedAt = new Date().toISOString();
const runId = Date.now().toString(36);
const log = (m: string) => console.error(`[scale-out ${new Date().toISOString().slice(11, 19)}] ${m}`);
const stack = await leaseLocalStackIfUsed(await loadConfig(), (line) => log(`stack: ${line}`));
const runs: ScaleOutResult[] = [];
try {
  for (let r = 0; r < repeats; r++) {
    // Alternate the order so neither count always runs first (a warmer page cache, a quieter machine).
    const order = r % 2 === 0 ? engineCounts : [...engineCounts].reverse();
    for (const n of order) {
      const maker = new EventMaker(`s${runId}-${r}-${n}-`);
      const res = await measureScaleOut({
        runId,
        name: `scale-${r}-${n}`,
        events: Array.from({ length: events }, (_, i) => maker.make(i)),
        engines: n,
        partitions,
        quota,
        timeoutMs: 300_000,
      });
      runs.push({ ...res, repeat: r });
      log(
        `repeat ${r + 1}, ${n} engine(s): ${
          res.error ?? `${Math.round(res.eventsPerSecond)} events/s, CPU s/1,000 ${
            res.perEngine.map((e) => e.cpuPerThousand.toFixed(3)).join(" / ")
          }`
        }`,
      );
    }
  }
} finally {
  await stack?.release();
}
const md = renderScaleOut({
  startedAt,
  cpus: navigator.hardwareConcurrency,
  events,
  partitions,
  ...(quota === undefined ? {} : { quota }),
  runs,
});
const out = values.out ?? `bench/results/scale-out-${startedAt.slice(0, 10)}`;
await Deno.writeTextFile(
  `${out}.json`,
  JSON.stringify({ startedAt, events, partitions, quota, runs }, null, 2),
);
await Deno.writeTextFile(`${out}.md`, md);
console.log(md);
if (runs.some((r) => r.error)) Deno.exit(1);
