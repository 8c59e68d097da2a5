/**
 * Parser throughput vs Drain3 in the same run, on the same ≥ 1M lines: the 8 shared Loghub 2k samples, each
 * repeated 63× (1,008,000 lines), generated at bench time into `.vigil/bench/` (never committed).
 *
 * vigil: bytes → lines (line decoder) → LogEvent (format parsing, timestamps, levels) → template mining, one
 * core (this thread), one miner per system. Drain3 (PyPI `drain3`, in `.vigil/venv`): template mining only, on
 * the pre-extracted `Content` of the same lines. Prints a Markdown table.
 *
 * Run: `python3 -m venv .vigil/venv && .vigil/venv/bin/pip install drain3==0.9.11` once, then
 * `deno run -A bench/parser_vs_drain3.ts [--repeat N]`.
 * @module
 */
import { parseArgs } from "node:util";
import { resolveLogFormat } from "../lib/parsing/log_format.ts";
import { LineSplitter } from "../lib/parsing/line_decoder.ts";
import { LineAssembler } from "../lib/parsing/line_assembler.ts";
import { TemplateMiner } from "../lib/parsing/template_miner.ts";
import { mineEvent } from "../lib/parsing/mine_event.ts";

const SYSTEMS = ["Apache", "BGL", "HDFS", "Hadoop", "Linux", "OpenSSH", "Windows", "Zookeeper"];
const { values } = parseArgs({ args: Deno.args, options: { repeat: { type: "string", default: "63" } } });
const repeat = Number(values.repeat);
const shared = new URL("../../shared/loghub/", import.meta.url);
const dir = new URL("../.vigil/bench/", import.meta.url);
await Deno.mkdir(dir, { recursive: true });

const inputs: { system: string; bytes: Uint8Array }[] = [];
const contents: string[] = [];
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
const contentsFile = new URL(`contents_x${repeat}.txt`, dir);
await Deno.writeTextFile(contentsFile, contents.join(""));

// vigil
let lines = 0;
let templates = 0;
const started = performance.now();
for (const { system, bytes } of inputs) {
  const format = resolveLogFormat(system);
  const assembler = new LineAssembler(format, { source: system, host: "bench" });
  const miner = new TemplateMiner();
  const ingest = Date.now();
  const splitter = new LineSplitter();
  const take = (lines: ReturnType<LineSplitter["push"]>) => {
    for (const line of lines) for (const e of assembler.push(line, ingest)) mineEvent(miner, e);
  };
  // 64 KiB chunks, as a file stream delivers them
  for (let o = 0; o < bytes.length; o += 65_536) take(splitter.push(bytes.subarray(o, o + 65_536)));
  take(splitter.end());
  for (const e of assembler.flush()) mineEvent(miner, e);
  lines += assembler.stats.lines;
  templates += miner.size;
}
const vigilSeconds = (performance.now() - started) / 1000;

// Drain3
const py = new Deno.Command(new URL("../.vigil/venv/bin/python", import.meta.url).pathname, {
  args: [new URL("parser_drain3.py", import.meta.url).pathname, contentsFile.pathname],
  stdout: "piped",
  stderr: "inherit",
}).outputSync();
if (!py.success) throw new Error("Drain3 run failed (is .vigil/venv set up? see the module doc)");
const drain = JSON.parse(new TextDecoder().decode(py.stdout)) as {
  lines: number;
  seconds: number;
  clusters: number;
};

const vigilRate = lines / vigilSeconds;
const drainRate = drain.lines / drain.seconds;
console.log(`| Parser | lines | seconds | lines/s | templates |
| --- | ---: | ---: | ---: | ---: |
| vigil (decode + parse + mine) | ${lines} | ${vigilSeconds.toFixed(2)} | ${
  Math.round(vigilRate)
} | ${templates} |
| Drain3 0.9.11 (mine only) | ${drain.lines} | ${drain.seconds.toFixed(2)} | ${
  Math.round(drainRate)
} | ${drain.clusters} |

vigil / Drain3 = ${(vigilRate / drainRate).toFixed(1)}×`);
