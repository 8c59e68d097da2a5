/**
 * `deno task classify --input FILE --format FORMAT_OR_PRESET --output OUT.csv [--feedback LABELS.csv]
 * [--model PATH]`: labels every line of a log file, in order, with no look-ahead, through the engine's own steps
 * (parse → mine → features → ONNX in a Web Worker → incident detection), and writes
 * `LineId,Label,Score,Reason,IncidentId` (Reason: the reasons joined with " | "). A line's label is its
 * incident's, so the labels agree with `deno task incidents` on the same file.
 *
 * `--feedback`: a CSV `LineId,Label` (NORMAL / ANOMALY / CRITICAL_ANOMALY, or false_positive / confirmed /
 * critical), read as an operator acting on the incident of that line right after it is judged: NORMAL /
 * false_positive → "not a problem", the others → "real problem". A labelled line in no incident changes
 * nothing (operators act on incidents). A format field named `Label` (BGL's expert label) is blanked before
 * classification.
 *
 * @module
 */
import { loadConfigOrExit } from "../lib/config/vigil_config.ts";
import { Classifier } from "../lib/classification/classifier.ts";
import { detectionOptionsFromConfig } from "../lib/incidents/detection_config.ts";
import { IncidentDetection } from "../lib/incidents/incident_detection.ts";
import { judgeEvents } from "../lib/incidents/judge_events.ts";
import { DEFAULT_MODEL_URL, loadModelBundle } from "../lib/classification/model_bundle.ts";
import { minedLineStream, splitLines } from "../lib/classification/mined_line_stream.ts";
import { WorkerScorer } from "../lib/classification/worker_scorer.ts";
import { csvRecord, parseCsv } from "../lib/parsing/csv.ts";
import { resolveLogFormat } from "../lib/parsing/log_format.ts";
import { handleArgs, presetList } from "../lib/cli/cli_args.ts";

const USAGE =
  "usage: deno task classify --input FILE --format FORMAT_OR_PRESET --output OUT.csv [--feedback LABELS.csv] [--model PATH]";

/** `deno task classify --help`. */
export const CLASSIFY_HELP =
  `Usage: deno task classify --input FILE --format FORMAT_OR_PRESET --output OUT.csv
                          [--feedback LABELS.csv] [--model PATH]

Labels every line of a log file, in order and with no look-ahead, through the engine's own steps (parse → mine →
features → model → incident detection), without any service, and writes one CSV row per line:
LineId,Label,Score,Reason,IncidentId (Label: NORMAL, ANOMALY or CRITICAL_ANOMALY; Reason: the reasons joined
with " | "; a line's label is its incident's).

Options:
  --input FILE           the log file
  --format F             a preset: ${presetList()}
                         or a Loghub-style format string, e.g. '<Date> <Time> <Level> <Component>: <Content>'
  --output OUT.csv       where to write the labels (overwritten)
  --feedback LABELS.csv  LineId,Label rows read as an operator acting on that line's incident right after it is
                         judged: NORMAL/false_positive → "not a problem", ANOMALY/CRITICAL_ANOMALY/confirmed/
                         critical → "real problem"
  --model PATH           the ONNX model (default: config classifier.modelPath, else models/classifier.onnx)
  -h, --help             this help

Exit codes: 0 done, 1 error reading or classifying, 2 bad arguments.

Examples:
  deno task classify --input ../shared/loghub/OpenSSH/OpenSSH_2k.log --format openssh --output /tmp/ssh.csv
  deno task classify --input app.log --format linux --output app.csv --feedback reviewed.csv
`;

/** A label a feedback CSV may give a line. */
export type FeedbackLabel =
  | "false_positive"
  | "confirmed"
  | "critical"
  | "NORMAL"
  | "ANOMALY"
  | "CRITICAL_ANOMALY";

/** The labels a feedback CSV accepts, in the order the error message lists them. */
export const FEEDBACK_LABELS: readonly FeedbackLabel[] = [
  "false_positive",
  "confirmed",
  "critical",
  "NORMAL",
  "ANOMALY",
  "CRITICAL_ANOMALY",
];

/**
 * The incident action a feedback label stands for: "this is normal" dismisses the line's incident, anything
 * else confirms it (operators act on incidents, so an anomaly/critical distinction has nothing to act on).
 * @throws {RangeError} on an unknown label.
 */
export function feedbackAction(label: string): "not_a_problem" | "real_problem" {
  if (!(FEEDBACK_LABELS as readonly string[]).includes(label)) {
    throw new RangeError(
      `Cannot act on feedback as label must be one of ${FEEDBACK_LABELS.join(", ")}: current value is ${
        JSON.stringify(String(label).slice(0, 64))
      }`,
    );
  }
  return label === "false_positive" || label === "NORMAL" ? "not_a_problem" : "real_problem";
}

/** Parsed command line. */
export interface ClassifyArgs {
  input: string;
  format: string;
  output: string;
  feedback?: string;
  model?: string;
}

/** Parses arguments. @throws {TypeError} with the usage on a missing or unknown option. */
export function parseClassifyArgs(args: readonly string[]): ClassifyArgs {
  const out: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const k = args[i];
    if (!["--input", "--format", "--output", "--feedback", "--model"].includes(k) || i + 1 >= args.length) {
      throw new TypeError(
        `Cannot parse arguments as ${JSON.stringify(k)} is unknown or has no value\n${USAGE}`,
      );
    }
    out[k.slice(2)] = args[++i];
  }
  for (const k of ["input", "format", "output"]) {
    if (!out[k]) throw new TypeError(`Cannot parse arguments as --${k} is missing\n${USAGE}`);
  }
  return out as unknown as ClassifyArgs;
}

/**
 * Reads a feedback CSV (`LineId,Label`, header optional).
 * @throws {RangeError} naming the row of a bad line id or label.
 */
export function parseFeedbackCsv(text: string): Map<number, FeedbackLabel> {
  const map = new Map<number, FeedbackLabel>();
  const rows = parseCsv(text);
  rows.forEach((row, i) => {
    if (row.length === 0 || (row.length === 1 && row[0].trim() === "")) return;
    if (i === 0 && row[0].trim().toLowerCase() === "lineid") return;
    const id = Number(row[0]);
    if (!Number.isSafeInteger(id) || id < 1) {
      throw new RangeError(
        `Cannot read feedback as row ${i + 1} has LineId ${
          JSON.stringify(row[0])
        }: expected a positive integer`,
      );
    }
    const label = (row[1] ?? "").trim();
    try {
      feedbackAction(label);
    } catch (cause) {
      throw new RangeError(`Cannot read feedback as row ${i + 1}: ${(cause as Error).message}`, { cause });
    }
    map.set(id, label as FeedbackLabel);
  });
  return map;
}

/** Runs the CLI. @returns the number of lines written. */
export async function runClassify(args: ClassifyArgs): Promise<number> {
  const config = await loadConfigOrExit();
  const format = resolveLogFormat(args.format);
  const bundle = await loadModelBundle(args.model ?? config.classifier.modelPath ?? DEFAULT_MODEL_URL);
  const feedback = args.feedback ? parseFeedbackCsv(await Deno.readTextFile(args.feedback)) : undefined;
  const lines = splitLines(await Deno.readTextFile(args.input));
  const classifier = new Classifier({ meta: bundle.meta });
  const detection = new IncidentDetection(detectionOptionsFromConfig(config));
  const scorer = new WorkerScorer(bundle.path);
  const out: string[] = [csvRecord(["LineId", "Label", "Score", "Reason", "IncidentId"])];
  try {
    const events = minedLineStream(lines, format, args.input);
    // Batches of one when feedback is given: an action on line i must take effect before line i + 1.
    const batchSize = feedback === undefined ? 256 : 1;
    for await (
      const e of judgeEvents(
        events,
        classifier,
        (f, n) => scorer.score(f, n),
        detection,
        batchSize,
      )
    ) {
      out.push(
        csvRecord([
          String(e.lineNo),
          e.classification,
          e.score.toFixed(4),
          e.reasons.join(" | "),
          e.incidentId ?? "",
        ]),
      );
      const label = feedback?.get(e.lineNo);
      if (label !== undefined && e.incidentId !== undefined) {
        await detection.act({ incidentId: e.incidentId, action: feedbackAction(label), by: "feedback file" });
      }
    }
  } finally {
    scorer.close();
  }
  await Deno.writeTextFile(args.output, out.join("\n") + "\n");
  return out.length - 1;
}

if (import.meta.main) {
  const parsed = handleArgs("classify", CLASSIFY_HELP, Deno.args, parseClassifyArgs);
  if ("exit" in parsed) Deno.exit(parsed.exit);
  try {
    const n = await runClassify(parsed.args);
    console.error(`classify: wrote ${n} lines`);
  } catch (error) {
    console.error(`classify: ${(error as Error).message}`);
    Deno.exit(error instanceof TypeError ? 2 : 1);
  }
}
