/**
 * Template-mining generalisation (issue 15): GA and PA per system for vigil's miner and for Drain3 (PyPI
 * `drain3` 0.9.11 via bench/parser_drain3.py, same files, same run), over the 8 shared Loghub systems
 * (development data) and the generated validation corpus (bench/parser_corpus/, systems no rule was written for),
 * with a leave-one-system-out (LOSO) choice among candidate miner settings: for each held-out system the setting
 * with the best mean GA on all the *other* systems is chosen, then scored on the held-out one. A change to the
 * miner is kept only if its held-out figures improve without hurting others.
 *
 * Run: `python3 -m venv .vigil/venv && .vigil/venv/bin/pip install drain3==0.9.11` once, then
 * `deno run -A bench/parser_generalisation.ts [--out FILE]` (default bench/results/parser-generalisation-<date>.md).
 * Contents files go to `.vigil/bench/generalisation/` (not committed).
 * @module
 */
import { parseArgs } from "node:util";
import { resolveLogFormat } from "../lib/parsing/log_format.ts";
import { parseCsv } from "../lib/parsing/csv.ts";
import { TemplateMiner, type TemplateMinerOptions } from "../lib/parsing/template_miner.ts";
import { GA_SYSTEMS, groupingAccuracy, LOGHUB_DIR } from "../testing/grouping_accuracy.ts";
import { generateSystem } from "./parser_corpus/corpus_template.ts";
import { CORPUS_FAMILIES, CORPUS_SEED } from "./parser_corpus/families.ts";
import { parsingAccuracy } from "./parser_corpus/parsing_accuracy.ts";

const { values } = parseArgs({ args: Deno.args, options: { out: { type: "string" } } });
const date = new Date().toISOString().slice(0, 10);
const outFile = values.out ?? new URL(`results/parser-generalisation-${date}.md`, import.meta.url).pathname;
const dir = new URL("../.vigil/bench/generalisation/", import.meta.url);
await Deno.mkdir(dir, { recursive: true });

/** One system's message contents and ground truth. */
interface EvalSystem {
  name: string;
  set: "Loghub (dev)" | "generated";
  contents: string[];
  eventIds: string[];
  templates: string[];
}

/**
 * Candidate miner settings for the LOSO choice. The first is the baseline (the miner's choices before issue 15:
 * template text = grouping tokens, no template merges, JSON as whitespace tokens; the masks are today's); the
 * second is the current default; the others vary the current default.
 */
const CANDIDATES: { name: string; options: TemplateMinerOptions }[] = [
  {
    name: "baseline: before issue 15",
    options: {
      readableTemplates: false,
      mergeTemplates: false,
      jsonMembers: false,
      readableAffixes: false,
      readablePaths: false,
    },
  },
  { name: "default", options: {} },
  { name: "default, no readable affixes", options: { readableAffixes: false } },
  { name: "default, no readable paths", options: { readablePaths: false } },
  { name: "default + constant values after 10", options: { constantAfter: 10 } },
  { name: "default + constant values after 50", options: { constantAfter: 50 } },
  { name: "default, no template merges", options: { mergeTemplates: false } },
  { name: "default, no JSON members", options: { jsonMembers: false } },
  { name: "default, no readable text", options: { readableTemplates: false } },
  { name: "default + threshold 0.7", options: { similarityThreshold: 0.7 } },
  { name: "default + threshold 0.9", options: { similarityThreshold: 0.9 } },
  { name: "default + no settled constants", options: { settledSize: Number.MAX_SAFE_INTEGER } },
];

async function loadLoghub(system: string): Promise<EvalSystem> {
  const text = await Deno.readTextFile(new URL(`${system}/${system}_2k.log`, LOGHUB_DIR));
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  const format = resolveLogFormat(system);
  const csv = parseCsv(
    await Deno.readTextFile(new URL(`${system}/${system}_2k.log_structured.csv`, LOGHUB_DIR)),
  );
  const [header, ...rows] = csv;
  const data = rows.filter((r) => r.length > 1);
  const id = header.indexOf("EventId"), tpl = header.indexOf("EventTemplate");
  return {
    name: system,
    set: "Loghub (dev)",
    contents: lines.map((l) => format.match(l)?.Content ?? l),
    eventIds: data.map((r) => r[id]),
    templates: data.map((r) => r[tpl]),
  };
}

const systems: EvalSystem[] = [];
for (const s of GA_SYSTEMS) systems.push(await loadLoghub(s));
for (const [i, family] of CORPUS_FAMILIES.entries()) {
  systems.push({ ...generateSystem(family, CORPUS_SEED + i), set: "generated" });
}

interface Score {
  ga: number;
  pa: number;
  templates: number;
}

function score(s: EvalSystem, clusterOf: readonly string[], templateOf: readonly string[]): Score {
  return {
    ga: groupingAccuracy(clusterOf, s.eventIds),
    pa: parsingAccuracy(templateOf, s.templates),
    templates: new Set(clusterOf).size,
  };
}

function runVigil(s: EvalSystem, options: TemplateMinerOptions): Score {
  const miner = new TemplateMiner(options);
  // a template merged into another later (its routing token proved variable) counts as the one it joined
  const ids = s.contents.map((c) => miner.mine(c, 0).clusterId).map((id) => miner.currentClusterId(id));
  const final = ids.map((id) => miner.clusterTemplate(id)?.template ?? "");
  return score(s, ids.map(String), final);
}

function runDrain3(s: EvalSystem, masked: boolean): Score {
  const contents = new URL(`${s.name}.txt`, dir).pathname;
  const assign = new URL(`${s.name}${masked ? ".masked" : ""}.assign.json`, dir).pathname;
  Deno.writeTextFileSync(contents, s.contents.join("\n") + "\n");
  const py = new Deno.Command(new URL("../.vigil/venv/bin/python", import.meta.url).pathname, {
    args: [
      new URL("parser_drain3.py", import.meta.url).pathname,
      contents,
      ...(masked ? ["--masked"] : []),
      "--assign",
      assign,
    ],
    stdout: "null",
    stderr: "inherit",
  }).outputSync();
  if (!py.success) throw new Error("Drain3 run failed (is .vigil/venv set up? see the module doc)");
  const out = JSON.parse(Deno.readTextFileSync(assign)) as {
    clusterIds: number[];
    templates: Record<string, string>;
  };
  if (out.clusterIds.length !== s.contents.length) {
    throw new Error(`Drain3 assigned ${out.clusterIds.length} of ${s.contents.length} lines of ${s.name}`);
  }
  return score(s, out.clusterIds.map(String), out.clusterIds.map((c) => out.templates[String(c)]));
}

const vigil = CANDIDATES.map((c) => systems.map((s) => runVigil(s, c.options)));
const drain = systems.map((s) => runDrain3(s, false));
const drainMasked = systems.map((s) => runDrain3(s, true));

// LOSO with the acceptance rule of issue 15: for held-out system h, a candidate may replace the baseline only if
// on every other system its GA and PA are at least the baseline's ("helps without hurting others"); among those,
// the best mean GA on the others wins, ties broken by mean PA (then the earlier one).
const loso = systems.map((_, h) => {
  let best = 0, bestMean = -1;
  for (let c = 0; c < CANDIDATES.length; c++) {
    let sum = 0, dominates = true;
    for (let i = 0; i < systems.length; i++) {
      if (i === h) continue;
      sum += vigil[c][i].ga + vigil[c][i].pa * 1e-6;
      if (vigil[c][i].ga < vigil[0][i].ga - 1e-9 || vigil[c][i].pa < vigil[0][i].pa - 1e-9) dominates = false;
    }
    const mean = sum / (systems.length - 1);
    if (dominates && mean > bestMean + 1e-12) [best, bestMean] = [c, mean];
  }
  return { candidate: best, score: vigil[best][h] };
});

const f4 = (x: number) => x.toFixed(4);
const versus = (x: Score, base: Score) =>
  x.ga < base.ga - 1e-9 || x.pa < base.pa - 1e-9
    ? "**worse**"
    : x.ga > base.ga + 1e-9 || x.pa > base.pa + 1e-9
    ? "better"
    : "same";
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const today = vigil[1]; // the default
const before = vigil[0];
const lines: string[] = [];
lines.push(
  `# Parser generalisation, ${date}`,
  "",
  "`deno run -A bench/parser_generalisation.ts` (issue 15). GA = grouping accuracy (Loghub's definition, " +
    "testing/grouping_accuracy.ts); PA = parsing accuracy, exact final template after the normalisation " +
    "of bench/parser_corpus/parsing_accuracy.ts (applied alike to truth and every parser). vigil and Drain3 " +
    "mine the same message contents in the same run (Loghub: the `Content` field of each system's preset; " +
    "generated: the message as generated). Drain3 0.9.11 with its defaults (sim_th 0.4, depth 4), without and " +
    "with the masks of its example drain3.ini. No per-system setting anywhere.",
  "",
  "## Per system (vigil = default options; before = the baseline candidate, the miner's choices before issue 15, same run)",
  "",
  "| System | set | truth templates | vigil GA | vigil PA | vigil GA before | vigil PA before | vigil templates | Drain3 GA | Drain3 PA | Drain3 masked GA | Drain3 masked PA | vigil GA ≥ best Drain3 |",
  "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | :---: |",
);
for (const [i, s] of systems.entries()) {
  const best = Math.max(drain[i].ga, drainMasked[i].ga);
  lines.push(
    `| ${s.name} | ${s.set} | ${new Set(s.eventIds).size} | ${f4(today[i].ga)} | ${f4(today[i].pa)} | ${
      f4(before[i].ga)
    } | ${f4(before[i].pa)} | ${today[i].templates} | ${f4(drain[i].ga)} | ${f4(drain[i].pa)} | ${
      f4(drainMasked[i].ga)
    } | ${f4(drainMasked[i].pa)} | ${today[i].ga >= best - 1e-9 ? "yes" : "**no**"} |`,
  );
}
for (const set of ["Loghub (dev)", "generated", undefined] as const) {
  const idx = systems.flatMap((s, i) => set === undefined || s.set === set ? [i] : []);
  const m = (xs: Score[], k: "ga" | "pa") => f4(mean(idx.map((i) => xs[i][k])));
  lines.push(
    `| **mean ${set ?? "all"}** | | | **${m(today, "ga")}** | **${m(today, "pa")}** | ${m(before, "ga")} | ${
      m(before, "pa")
    } | | ${m(drain, "ga")} | ${m(drain, "pa")} | ${m(drainMasked, "ga")} | ${m(drainMasked, "pa")} | |`,
  );
}
lines.push(
  "",
  "## Leave-one-system-out choice among candidate settings",
  "",
  "Each fold holds one system out. A candidate may replace the baseline only if its GA and PA are at least the " +
    `baseline's on every one of the other ${
      systems.length - 1
    } systems; among those the best mean GA (ties: PA) ` +
    "is chosen, then scored on the held-out system. `held-out vs baseline` says whether the choice lost anything " +
    "on the system it never saw. Candidates: " +
    CANDIDATES.map((c) => `\`${c.name}\``).join(", ") + ".",
  "",
  "| Held out | chosen on the other folds | held-out GA | held-out PA | held-out vs baseline |" +
    CANDIDATES.map((c) => ` GA / PA ${c.name} |`).join(""),
  "| --- | --- | ---: | ---: | --- |" + CANDIDATES.map(() => " ---: |").join(""),
);
for (const [i, s] of systems.entries()) {
  lines.push(
    `| ${s.name} | ${CANDIDATES[loso[i].candidate].name} | ${f4(loso[i].score.ga)} | ${
      f4(loso[i].score.pa)
    } | ${versus(loso[i].score, vigil[0][i])} |` +
      CANDIDATES.map((_, c) => ` ${f4(vigil[c][i].ga)} / ${f4(vigil[c][i].pa)} |`).join(""),
  );
}
lines.push(
  `| **mean** | | **${f4(mean(loso.map((l) => l.score.ga)))}** | **${
    f4(mean(loso.map((l) => l.score.pa)))
  }** | |` +
    CANDIDATES.map((_, c) =>
      ` ${f4(mean(vigil[c].map((x) => x.ga)))} / ${f4(mean(vigil[c].map((x) => x.pa)))} |`
    )
      .join(""),
  "",
);
await Deno.writeTextFile(outFile, lines.join("\n"));
console.log(lines.join("\n"));
