/**
 * `deno task chaos [--quick] [--only name,...] [--outage-seconds 30] [--kills 3] [--repeat N] [--out path]` —
 * fault scenarios against the real local stack with exact counts: each produces events with known ids, injects
 * a fault (kill -9, SIGTERM, OpenSearch or S3 unreachable, OpenSearch answering 429, a Kafka broker restart, a
 * classifier worker killed, a garbage model file on restart, a bad-input corpus), waits for recovery and counts
 * every id in the hot tier (documents) and the cold tier (Parquet rows across objects). Prints a table and writes
 * `bench/results/chaos-<date>[-quick][-only].{json,md}` (`--out path` writes `path.json` and `path.md` instead:
 * the CI subset, `tests/chaos/chaos_subset_test.ts`, reads its rows there). Exits 1 when any event was lost or
 * duplicated, or a scenario failed to run.
 *
 * `--quick` (CI): one kill -9, a 10 s OpenSearch outage, one worker kill and the bad-input corpus.
 *
 * `--repeat N` runs each scenario N times (fresh topic, group, index and prefix each time) and reports k / N
 * passes per scenario: a race shows as an intermittent LOSS, so one pass proves little.
 *
 * The broker restart runs on a throwaway broker of its own (testing/throwaway_kafka.ts): the stack's
 * broker is shared by every session on this machine.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { loadConfig } from "../../lib/config/vigil_config.ts";
import { leaseLocalStackIfUsed } from "../../infra/uses_local_stack.ts";
import { type ChaosResult, type ChaosScenario, runChaosScenario } from "./chaos_harness.ts";
import {
  badInputScenario,
  garbageModelScenario,
  kafkaRestartScenario,
  killScenario,
  opensearch429Scenario,
  opensearchOutage,
  s3Outage,
  sigtermScenario,
  workerKillScenario,
} from "./chaos_scenarios.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    quick: { type: "boolean", default: false },
    only: { type: "string" },
    "outage-seconds": { type: "string" },
    kills: { type: "string" },
    repeat: { type: "string" },
    out: { type: "string" },
  },
});
const quick = values.quick;
const outage = Number(values["outage-seconds"] ?? (quick ? 10 : 30));
const kills = Number(values.kills ?? (quick ? 1 : 3));
const repeat = Number(values.repeat ?? 1);
if (!Number.isInteger(repeat) || repeat < 1) {
  throw new RangeError(
    `Cannot run chaos as --repeat must be an integer ≥ 1: current value is ${values.repeat}`,
  );
}
if (!(outage > 0) || !Number.isInteger(kills) || kills < 1) {
  throw new RangeError(
    `Cannot run chaos as --outage-seconds must be > 0 and --kills ≥ 1: current values are ${outage}, ${kills}`,
  );
}
let scenarios: ChaosScenario[] = quick
  ? [killScenario(kills), opensearchOutage(outage), workerKillScenario(1), badInputScenario()]
  : [
    killScenario(kills),
    sigtermScenario(),
    opensearchOutage(outage),
    opensearch429Scenario(Math.min(outage, 20)),
    s3Outage(outage),
    kafkaRestartScenario("SIGTERM"),
    kafkaRestartScenario("SIGKILL"),
    workerKillScenario(kills),
    garbageModelScenario(),
    badInputScenario(),
  ];
if (values.only) {
  const only = values.only.split(",");
  scenarios = scenarios.filter((s) => only.some((o) => s.name.startsWith(o)));
}

// On a fresh clone this installs and starts the local stack; services it starts stop again at the end.
const stack = await leaseLocalStackIfUsed(await loadConfig(), (line) => console.error(`stack: ${line}`));
const startedAt = new Date().toISOString();
const runId = `c${Date.now().toString(36)}`;
const results: ChaosResult[] = [];
for (const s of scenarios) {
  for (let i = 1; i <= repeat; i++) {
    const run = repeat > 1 ? ` (run ${i}/${repeat})` : "";
    console.error(`[chaos] ${s.name}${run}: ${s.rate} events/s for ${s.seconds} s...`);
    // Each repeat gets its own run id: its own topic, group, indices and prefix.
    const r = await runChaosScenario(repeat > 1 ? `${runId}r${i}` : runId, s);
    results.push(r);
    console.error(
      `[chaos] ${s.name}${run}: ${r.verdict} (produced ${r.produced}, lost ${r.lost}) in ${
        r.seconds.toFixed(0)
      } s`,
    );
  }
}
const passes = repeat === 1 ? [] : scenarios.map((s) => {
  const runs = results.filter((r) => r.scenario === s.name);
  return `- **${s.name}**: ${runs.filter((r) => r.verdict === "PASS").length} / ${runs.length} runs PASS`;
});

const rows = results.map((r) =>
  `| ${r.scenario} | ${r.produced} | ${r.hotUnique} | ${r.hotDuplicates} | ${r.coldRows} | ${r.coldDuplicates} | ${r.dlq} | ${r.lost} | ${
    r.verdict === "PASS" ? "PASS" : `**${r.verdict}**`
  } | ${r.seconds.toFixed(0)} | ${
    Object.entries(r.observed).map(([k, v]) => `${k}: ${v}`).join(", ") || "—"
  } |`
);
const md = [
  `# vigil chaos — ${startedAt}${quick ? " (--quick)" : ""}`,
  "",
  "| Scenario | Produced | Hot unique | Hot duplicates | Cold rows | Cold duplicates | DLQ | Lost | Verdict | Time (s) | Fault observed |",
  "|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---|",
  ...rows,
  "",
  "Lost = produced ids missing from the hot or the cold tier. Time = the scenario's wall time, production, fault and recovery included. The Kafka restarts use a throwaway broker (same jars, own ports and data), not the shared one.",
  "",
  ...(passes.length > 0 ? [...passes, ""] : []),
  ...results.flatMap((r) => [
    `- **${r.scenario}** (${r.seconds.toFixed(0)} s): ${
      [...r.notes, ...(r.error ? [`error: ${r.error.split("\n")[0]}`] : [])].join("; ") || "—"
    }`,
  ]),
].join("\n");
console.log(md);
// A partial run (--only) must not overwrite the full run's report.
const base = values.out ??
  `bench/results/chaos-${startedAt.slice(0, 10)}${quick ? "-quick" : ""}${values.only ? "-only" : ""}${
    repeat > 1 ? `-x${repeat}` : ""
  }`;
if (!values.out) await Deno.mkdir("bench/results", { recursive: true });
await Deno.writeTextFile(
  `${base}.json`,
  JSON.stringify({ startedAt, quick, repeat, results }, null, 2) + "\n",
);
await Deno.writeTextFile(`${base}.md`, md + "\n");
await stack?.release();
Deno.exit(results.every((r) => r.verdict === "PASS") ? 0 : 1);
