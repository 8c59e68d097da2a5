/**
 * `deno run -A bench/hostile_line_bench.ts [--chars 65536] [--repeats 5] [--out path]` — the per-line parsing
 * time budget of issue 12: every hostile generator of `testing/hostile_lines.ts` at 64 KiB, through every preset
 * and the custom formats, in each step a line goes through:
 *
 * - `line → event` (producer): `lineToEvent` — sanitising, format match, timestamp, level;
 * - `continuation check` (producer): `LineAssembler.push` with an event pending and the `unmatched` rule (the
 *   line is tried against the format as a continuation, then parsed);
 * - `mine, new template` (engine parser): `TemplateMiner.mine` of the event's content in a fresh miner (tokens,
 *   masks, tree search, template creation, wildcard values);
 * - `mine, known template`: the same content mined again (the seen-sequence path).
 *
 * Time per line is the median of `repeats` runs after one warm-up run (so JIT compilation is not counted;
 * the shared 2-core machine's noise still is: compare with the budget, 5 ms, not across runs). Writes
 * `bench/results/hostile-lines-<date>.md` and `.json`: the worst time per step with its format and generator,
 * the five worst cases of each step, and whether each step stays within the budget.
 * @module
 */
import { parseArgs } from "node:util";
import { compileLogFormat, type LogFormat } from "../lib/parsing/log_format.ts";
import { lineToEvent } from "../lib/parsing/line_to_event.ts";
import { LineAssembler } from "../lib/parsing/line_assembler.ts";
import { TemplateMiner } from "../lib/parsing/template_miner.ts";
import { budgetFormats, formatHeader, HOSTILE_GENERATORS } from "../testing/hostile_lines.ts";

/** The budget of issue 12: no line up to 64 KiB takes longer in any step. */
export const LINE_BUDGET_MS = 5;

const { values } = parseArgs({
  args: Deno.args,
  options: {
    chars: { type: "string", default: "65536" },
    repeats: { type: "string", default: "5" },
    out: { type: "string" },
  },
});
const chars = Number(values.chars);
const repeats = Number(values.repeats);

interface Case {
  step: string;
  format: string;
  generator: string;
  ms: number;
}

/** Median of `repeats` timed runs of `run` after one untimed run. */
function median(run: () => void): number {
  run();
  const times: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    run();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const cases: Case[] = [];
const started = performance.now();
for (const { name, pattern } of budgetFormats()) {
  const format: LogFormat = compileLogFormat(pattern, name);
  const header = formatHeader(pattern);
  const ctx = { source: "hostile", host: "h" };
  for (const g of HOSTILE_GENERATORS) {
    const text = g.make(chars, header);
    const add = (step: string, ms: number) => cases.push({ step, format: name, generator: g.name, ms });
    let content = "";
    add(
      "line → event",
      median(() => {
        content = lineToEvent({ text, lineNo: 2 }, format, ctx, 0).content;
      }),
    );
    add(
      "continuation check",
      median(() => {
        const a = new LineAssembler(format, ctx, { continuation: "unmatched" });
        a.push({ text: header + "first", lineNo: 1 }, 0);
        a.push({ text, lineNo: 2 }, 0);
      }),
    );
    let miner = new TemplateMiner();
    add(
      "mine, new template",
      median(() => {
        miner = new TemplateMiner();
        miner.mine(content, 0);
      }),
    );
    add("mine, known template", median(() => miner.mine(content, 0)));
  }
}
const seconds = (performance.now() - started) / 1000;

const steps = [...new Set(cases.map((c) => c.step))];
const worst = steps.map((step) => {
  const sorted = cases.filter((c) => c.step === step).sort((a, b) => b.ms - a.ms);
  return { step, worst: sorted[0], top: sorted.slice(0, 5), withinBudget: sorted[0].ms <= LINE_BUDGET_MS };
});
const date = new Date().toISOString();
const report = {
  date,
  chars,
  repeats,
  budgetMs: LINE_BUDGET_MS,
  formats: budgetFormats().length,
  generators: HOSTILE_GENERATORS.length,
  seconds,
  loadAverage: Deno.loadavg(),
  worst,
  cases,
};
const fmt = (ms: number) => ms.toFixed(2);
const md = [
  `# Hostile lines: per-line parsing time (${date.slice(0, 16).replace("T", " ")} UTC)`,
  "",
  `\`deno run -A bench/hostile_line_bench.ts\`: ${HOSTILE_GENERATORS.length} generators × ${budgetFormats().length} formats ` +
  `(16 presets, ${
    budgetFormats().length - 16
  } custom), lines of ${chars} UTF-16 code units, median of ${repeats} ` +
  `runs after a warm-up; budget ${LINE_BUDGET_MS} ms per line and step. Load average ${
    Deno.loadavg().map((l) => l.toFixed(2)).join(" ")
  } on the shared 2-core machine; ${seconds.toFixed(0)} s.`,
  "",
  "| Step | Worst ms | Format | Generator | Within budget |",
  "| ---- | -------: | ------ | --------- | ------------- |",
  ...worst.map((w) =>
    `| ${w.step} | ${fmt(w.worst.ms)} | ${w.worst.format} | ${w.worst.generator} | ${
      w.withinBudget ? "yes" : "NO"
    } |`
  ),
  "",
  "Five worst cases per step:",
  "",
  ...worst.flatMap((w) => [
    `- ${w.step}: ${w.top.map((c) => `${c.format} / ${c.generator} ${fmt(c.ms)} ms`).join("; ")}`,
  ]),
  "",
].join("\n");
const out = values.out ?? `bench/results/hostile-lines-${date.slice(0, 10)}`;
await Deno.writeTextFile(`${out}.json`, JSON.stringify(report, null, 2) + "\n");
await Deno.writeTextFile(`${out}.md`, md);
console.log(md);
