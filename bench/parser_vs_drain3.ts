/**
 * Parser throughput vs Drain3 in the same run, on the same ≥ 1M lines: the 8 shared Loghub 2k samples, each
 * repeated 63× (1,008,000 lines), or with `--synthetic` 1,000,000 lines of the synthetic Windows CBS source
 * (`lib/producer/synthetic_windows.ts`, seed 1); generated at bench time into `.vigil/bench/` (never committed).
 *
 * vigil: bytes → lines (line decoder) → LogEvent (format parsing, timestamps, levels) → template mining, one
 * core (this thread), one miner per system. Drain3 (PyPI `drain3`, in `.vigil/venv`): template mining only, on
 * the pre-extracted `Content` of the same lines. Prints a Markdown table.
 *
 * Run: `python3 -m venv .vigil/venv && .vigil/venv/bin/pip install drain3==0.9.11` once, then
 * `deno run -A bench/parser_vs_drain3.ts [--repeat N] [--rounds N] [--masked] [--synthetic]` (`--masked` adds one Drain3 run
 * with the masking instructions of its example drain3.ini, closer to vigil's work but ~10× slower).
 * @module
 */
import { parseArgs } from "node:util";
import process from "node:process";
import { resolveLogFormat } from "../lib/parsing/log_format.ts";
import { LineSplitter } from "../lib/parsing/line_decoder.ts";
import { LineAssembler } from "../lib/parsing/line_assembler.ts";
import { TemplateMiner } from "../lib/parsing/template_miner.ts";
import { mineEvent } from "../lib/parsing/mine_event.ts";
import { SyntheticWindowsSource } from "../lib/producer/synthetic_windows.ts";

const SYSTEMS = ["Apache", "BGL", "HDFS", "Hadoop", "Linux", "OpenSSH", "Windows", "Zookeeper"];
const { values } = parseArgs({
  args: Deno.args,
  options: {
    repeat: { type: "string", default: "63" },
    rounds: { type: "string", default: "3" },
    masked: { type: "boolean", default: false },
    synthetic: { type: "boolean", default: false },
  },
});
const repeat = Number(values.repeat);
const shared = new URL("../../shared/loghub/", import.meta.url);
const dir = new URL("../.vigil/bench/", import.meta.url);
await Deno.mkdir(dir, { recursive: true });

const inputs: { system: string; bytes: Uint8Array }[] = [];
const contents: string[] = [];
if (values.synthetic) {
  const source = new SyntheticWindowsSource({ seed: 1 });
  const format = resolveLogFormat("windows");
  const lines: string[] = [];
  for (let i = 0; i < 1_000_000; i++) lines.push(source.next().line);
  const text = lines.join("\n") + "\n";
  await Deno.writeTextFile(new URL("synthetic_windows_1m.log", dir), text);
  inputs.push({ system: "windows", bytes: new TextEncoder().encode(text) });
  contents.push(lines.map((l) => format.match(l)?.Content ?? l).join("\n") + "\n");
} else {
  for (const system of SYSTEMS) {
    let text = await Deno.readTextFile(new URL(`${system}/${system}_2k.log`, shared));
    if (!text.endsWith("\n")) text += "\n";
    const big = text.repeat(repeat);
    await Deno.writeTextFile(new URL(`${system}_x${repeat}.log`, dir), big);
    inputs.push({ system, bytes: new TextEncoder().encode(big) });
    const format = resolveLogFormat(system);
    const c = text.split("\n").slice(0, -1).map((l) => format.match(l)?.Content ?? l).join("\n") + "\n";
    contents.push(c.repeat(repeat));
  }
}
const contentsFile = new URL(values.synthetic ? "contents_synthetic_1m.txt" : `contents_x${repeat}.txt`, dir);
await Deno.writeTextFile(contentsFile, contents.join(""));

interface Run {
  lines: number;
  /** Wall-clock seconds. */
  seconds: number;
  /** CPU seconds of this process (user + system): robust to other processes competing for the cores. */
  cpuSeconds: number;
}

function cpuNow(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

function runVigil(): Run & { templates: number } {
  let lines = 0;
  let templates = 0;
  const started = performance.now();
  const cpu0 = cpuNow();
  for (const { system, bytes } of inputs) {
    const format = resolveLogFormat(system);
    const assembler = new LineAssembler(format, { source: system, host: "bench" });
    const miner = new TemplateMiner();
    const ingest = Date.now();
    const splitter = new LineSplitter();
    const take = (batch: ReturnType<LineSplitter["push"]>) => {
      for (const line of batch) for (const e of assembler.push(line, ingest)) mineEvent(miner, e);
    };
    // 64 KiB chunks, as a file stream delivers them
    for (let o = 0; o < bytes.length; o += 65_536) take(splitter.push(bytes.subarray(o, o + 65_536)));
    take(splitter.end());
    for (const e of assembler.flush()) mineEvent(miner, e);
    lines += assembler.stats.lines;
    templates += miner.size;
  }
  return { lines, seconds: (performance.now() - started) / 1000, cpuSeconds: cpuNow() - cpu0, templates };
}

/** Mining only, on the same contents file Drain3 reads (the like-for-like comparison). */
function runVigilMineOnly(): Run & { templates: number } {
  const text = Deno.readTextFileSync(contentsFile);
  const lines = text.split("\n");
  lines.pop();
  const started = performance.now();
  const cpu0 = cpuNow();
  const miner = new TemplateMiner();
  for (const l of lines) miner.mine(l, 0);
  return {
    lines: lines.length,
    seconds: (performance.now() - started) / 1000,
    cpuSeconds: cpuNow() - cpu0,
    templates: miner.size,
  };
}

function runDrain3(masked: boolean): Run & { clusters: number } {
  const py = new Deno.Command(new URL("../.vigil/venv/bin/python", import.meta.url).pathname, {
    args: [
      new URL("parser_drain3.py", import.meta.url).pathname,
      contentsFile.pathname,
      ...(masked ? ["--masked"] : []),
    ],
    stdout: "piped",
    stderr: "inherit",
  }).outputSync();
  if (!py.success) throw new Error("Drain3 run failed (is .vigil/venv set up? see the module doc)");
  return JSON.parse(new TextDecoder().decode(py.stdout));
}

// Interleaved rounds, best of each: the machine is shared, so the least-disturbed run is the fairest figure.
// Rates are given per wall-clock second and per CPU second (the process's own CPU time: what one core does
// when it is not taken away by other processes).
const rounds = Number(values.rounds);
const none = { lines: 0, seconds: Infinity, cpuSeconds: Infinity };
let vigil = { ...none, templates: 0 };
let drain = { ...none, clusters: 0 };
let mineOnly = { ...none, templates: 0 };
const better = <T extends Run>(a: T, b: T): T => (b.cpuSeconds < a.cpuSeconds ? b : a);
for (let r = 0; r < rounds; r++) {
  const v = runVigil();
  vigil = better(vigil, v);
  const o = runVigilMineOnly();
  mineOnly = better(mineOnly, o);
  const d = runDrain3(false);
  drain = better(drain, d);
  const cpuRate = (x: Run) => Math.round(x.lines / x.cpuSeconds);
  console.error(
    `round ${r + 1} (lines per CPU s): vigil ${cpuRate(v)}, mine-only ${cpuRate(o)}, Drain3 ${cpuRate(d)}`,
  );
}
const masked = values.masked ? runDrain3(true) : undefined;

const wall = (x: Run) => x.lines / x.seconds;
const cpu = (x: Run) => x.lines / x.cpuSeconds;
const fmt = (n: number) => Math.round(n).toLocaleString("en");
const row = (name: string, x: Run, t: number) =>
  `| ${name} | ${x.lines} | ${fmt(wall(x))} | ${fmt(cpu(x))} | ${t} | ${
    (cpu(vigil) / cpu(x)).toFixed(1)
  }× | ${(cpu(mineOnly) / cpu(x)).toFixed(1)}× |`;
console.log(
  `| Parser | lines | lines/s (wall) | lines per CPU s | templates | vigil full path ÷ it (CPU) | vigil mine-only ÷ it (CPU) |
| --- | ---: | ---: | ---: | ---: | ---: | ---: |
${row("vigil full path (bytes → lines → LogEvent → template)", vigil, vigil.templates)}
${row("vigil mine only (same contents as Drain3, one miner)", mineOnly, mineOnly.templates)}
${row("Drain3 0.9.11, no masking (mine only)", drain, drain.clusters)}${
    masked ? "\n" + row("Drain3 0.9.11, example masks (mine only)", masked, masked.clusters) : ""
  }`,
);
