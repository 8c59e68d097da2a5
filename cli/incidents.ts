/**
 * `deno task incidents --input FILE --format FORMAT_OR_PRESET --output OUT.jsonl [--model PATH]
 * [--detectors severity,new_pattern,rate,silence,model]`: replays a log file at its own timestamps through
 * the engine's parser, model and incident detectors (no services) and writes one JSON object per incident,
 * most urgent first, with every field of the stored incident plus `lineIds` (every event of the incident as
 * its 1-based line number in FILE, as `deno task classify` numbers lines). Prints a one-line summary.
 *
 * @module
 */
import { Classifier } from "../lib/classification/classifier.ts";
import { DEFAULT_MODEL_URL, loadModelBundle } from "../lib/classification/model_bundle.ts";
import { minedLineStream, splitLines } from "../lib/classification/mined_line_stream.ts";
import { WorkerScorer } from "../lib/classification/worker_scorer.ts";
import { loadConfigOrExit } from "../lib/config/vigil_config.ts";
import { type DetectorName, DETECTORS } from "../lib/incidents/incident.ts";
import { detectionOptionsFromConfig } from "../lib/incidents/detection_config.ts";
import { offlineIncidents } from "../lib/incidents/offline_incidents.ts";
import { TemplateMiner } from "../lib/parsing/template_miner.ts";
import { resolveLogFormat } from "../lib/parsing/log_format.ts";
import { handleArgs, presetList } from "../lib/cli/cli_args.ts";

const USAGE = "usage: deno task incidents --input FILE --format FORMAT_OR_PRESET --output OUT.jsonl " +
  `[--model PATH] [--detectors ${DETECTORS.join(",")}]`;

/** `deno task incidents --help`. */
export const INCIDENTS_HELP =
  `Usage: deno task incidents --input FILE --format FORMAT_OR_PRESET --output OUT.jsonl
                           [--model PATH] [--detectors LIST]

Replays a log file at its own timestamps through the engine's parser, model and incident detectors (no service
needed) and writes one JSON object per incident, most urgent first: every field of the stored incident plus
lineIds (its events as 1-based line numbers, as 'deno task classify' numbers them). A summary goes to stderr.

Options:
  --input FILE           the log file
  --format F             a preset: ${presetList()}
                         or a Loghub-style format string, e.g. '<Date> <Time> <Level> <Component>: <Content>'
  --output OUT.jsonl     where to write the incidents (overwritten)
  --model PATH           the ONNX model (default: config classifier.modelPath, else models/classifier.onnx)
  --detectors LIST       only these detectors, comma-separated: ${DETECTORS.join(", ")} (default: all)
  -h, --help             this help

Exit codes: 0 done, 1 error reading or detecting, 2 bad arguments.

Examples:
  deno task incidents --input ../shared/loghub/OpenSSH/OpenSSH_2k.log --format openssh --output /tmp/ssh.jsonl
  deno task incidents --input app.log --format linux --output app.jsonl --detectors severity,rate
`;

/** Parsed command line. */
export interface IncidentsArgs {
  input: string;
  format: string;
  output: string;
  model?: string;
  detectors?: DetectorName[];
}

/** Parses arguments. @throws {TypeError} with the usage on a missing, unknown or invalid option. */
export function parseIncidentsArgs(args: readonly string[]): IncidentsArgs {
  const out: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const k = args[i];
    if (!["--input", "--format", "--output", "--model", "--detectors"].includes(k) || i + 1 >= args.length) {
      throw new TypeError(
        `Cannot parse arguments as ${JSON.stringify(k)} is unknown or has no value\n${USAGE}`,
      );
    }
    out[k.slice(2)] = args[++i];
  }
  for (const k of ["input", "format", "output"]) {
    if (!out[k]) throw new TypeError(`Cannot parse arguments as --${k} is missing\n${USAGE}`);
  }
  let detectors: DetectorName[] | undefined;
  if (out.detectors !== undefined) {
    detectors = out.detectors.split(",").map((d) => d.trim()).filter((d) => d !== "") as DetectorName[];
    const bad = detectors.find((d) => !DETECTORS.includes(d));
    if (bad !== undefined) {
      throw new TypeError(
        `Cannot parse arguments as detector ${JSON.stringify(bad)} is unknown (known: ${
          DETECTORS.join(", ")
        })\n${USAGE}`,
      );
    }
  }
  return { input: out.input, format: out.format, output: out.output, model: out.model, detectors };
}

/** Runs the CLI. @returns the number of incidents written and of critical ones. */
export async function runIncidents(
  args: IncidentsArgs,
): Promise<{ incidents: number; critical: number; lines: number }> {
  const config = await loadConfigOrExit();
  const format = resolveLogFormat(args.format);
  const bundle = await loadModelBundle(args.model ?? config.classifier.modelPath ?? DEFAULT_MODEL_URL);
  const lines = splitLines(await Deno.readTextFile(args.input));
  const classifier = new Classifier({ meta: bundle.meta });
  const scorer = new WorkerScorer(bundle.path);
  try {
    const miner = new TemplateMiner();
    const run = await offlineIncidents(
      minedLineStream(lines, format, args.input, miner),
      classifier,
      (f, n) => scorer.score(f, n),
      {
        ...detectionOptionsFromConfig(config),
        ...(args.detectors ? { detectors: args.detectors } : {}),
        // As the engine: detection follows a template that generalised to its new id.
        currentTemplateId: (id) => miner.registry.resolve(id),
        formerTemplateIds: (id) => miner.registry.formerIds(id),
      },
    );
    await Deno.writeTextFile(args.output, run.incidents.map((i) => JSON.stringify(i) + "\n").join(""));
    return {
      incidents: run.incidents.length,
      critical: run.incidents.filter((i) => i.severity === "CRITICAL_ANOMALY").length,
      lines: lines.length,
    };
  } finally {
    scorer.close();
  }
}

if (import.meta.main) {
  const parsed = handleArgs("incidents", INCIDENTS_HELP, Deno.args, parseIncidentsArgs);
  if ("exit" in parsed) Deno.exit(parsed.exit);
  try {
    const r = await runIncidents(parsed.args);
    console.error(`incidents: ${r.lines} lines → ${r.incidents} incidents (${r.critical} critical)`);
  } catch (error) {
    console.error(`incidents: ${(error as Error).message}`);
    Deno.exit(error instanceof TypeError ? 2 : 1);
  }
}
