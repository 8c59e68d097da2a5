/**
 * Loghub grouping accuracy (GA) of vigil's parser on the shared Loghub 2k samples: the scoring used by the GA
 * test, the parse CLI's evaluation and bench/README.md.
 *
 * GA: a line is correctly grouped when the set of lines in its predicted group equals exactly the set of lines
 * in its ground-truth group; GA = correctly grouped lines / all lines.
 * @module
 */
import { resolveLogFormat } from "../lib/parsing/log_format.ts";
import { parseLinesToCsvRows } from "../lib/parsing/structured_csv.ts";
import { parseCsv } from "../lib/parsing/csv.ts";
import { TemplateMiner, type TemplateMinerOptions } from "../lib/parsing/template_miner.ts";

/** The 8 Loghub systems shared with the project. */
export const GA_SYSTEMS = [
  "Apache",
  "BGL",
  "HDFS",
  "Hadoop",
  "Linux",
  "OpenSSH",
  "Windows",
  "Zookeeper",
] as const;

/** Drain's published GA per system (Zhu et al., ICSE-SEIP 2019). */
export const DRAIN_GA: Readonly<Record<string, number>> = {
  Windows: 0.997,
  BGL: 0.963,
  HDFS: 0.998,
  Hadoop: 0.948,
  Zookeeper: 0.967,
  Apache: 1.0,
  OpenSSH: 0.788,
  Linux: 0.690,
};

/** Where the shared Loghub data lives: `<repo>/../shared/loghub/`. */
export const LOGHUB_DIR = new URL("../../shared/loghub/", import.meta.url);

/**
 * Computes GA of predicted group labels against truth labels (same length, index-aligned).
 * @throws {RangeError} when the arrays differ in length.
 */
export function groupingAccuracy(predicted: readonly string[], truth: readonly string[]): number {
  if (predicted.length !== truth.length) {
    throw new RangeError(
      `Cannot score GA as lengths differ: ${predicted.length} predicted, ${truth.length} truth`,
    );
  }
  const truthSize = new Map<string, number>();
  for (const t of truth) truthSize.set(t, (truthSize.get(t) ?? 0) + 1);
  const groups = new Map<string, number[]>();
  for (let i = 0; i < predicted.length; i++) {
    const g = groups.get(predicted[i]);
    if (g) g.push(i);
    else groups.set(predicted[i], [i]);
  }
  let correct = 0;
  for (const idx of groups.values()) {
    const label = truth[idx[0]];
    if (idx.every((i) => truth[i] === label) && truthSize.get(label) === idx.length) correct += idx.length;
  }
  return predicted.length === 0 ? 1 : correct / predicted.length;
}

/** Parses one system's 2k sample with its preset and scores GA against `<System>_2k.log_structured.csv`. */
export async function scoreSystem(
  system: string,
  options: TemplateMinerOptions = {},
): Promise<{ ga: number; lines: number; templates: number }> {
  const text = await Deno.readTextFile(new URL(`${system}/${system}_2k.log`, LOGHUB_DIR));
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  const format = resolveLogFormat(system);
  const { rows } = parseLinesToCsvRows(
    lines,
    format,
    { source: system, host: "eval" },
    new TemplateMiner(options),
  );
  const truthCsv = parseCsv(
    await Deno.readTextFile(new URL(`${system}/${system}_2k.log_structured.csv`, LOGHUB_DIR)),
  );
  const header = truthCsv[0];
  const col = header.indexOf("EventId");
  const truth = truthCsv.slice(1).filter((r) => r.length > 1).map((r) => r[col]);
  const predicted = rows.map((r) => r.eventId);
  return {
    ga: groupingAccuracy(predicted, truth),
    lines: predicted.length,
    templates: new Set(predicted).size,
  };
}
