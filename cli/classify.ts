/**
 * `deno task classify --input FILE --format FORMAT_OR_PRESET --output OUT.csv [--feedback LABELS.csv]
 * [--model PATH]`: labels every line of a log file, in order, with no look-ahead, through the engine's own steps
 * (parse → mine → features → ONNX in a Web Worker → incident detection), and writes
 * `LineId,Label,Score,Reason,IncidentId,Template` (Reason: the reasons joined with " | "; Template: the line's mined
 * template). A line's label is its incident's, so the labels agree with `deno task incidents` on the same file.
 * A summary goes to stderr: counts by label, the templates flagged most often, the incidents referenced.
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
import { TemplateMiner } from "../lib/parsing/template_miner.ts";
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
LineId,Label,Score,Reason,IncidentId,Template (Label: NORMAL, ANOMALY or CRITICAL_ANOMALY; Reason: the reasons
joined with " | "; Template: the line's mined template; a line's label is its incident's). A summary goes to
stderr: counts by label, the templates flagged most often, the incidents referenced.

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

/** The CSV header of `deno task classify`. */
export const CLASSIFY_CSV_HEADER = ["LineId", "Label", "Score", "Reason", "IncidentId", "Template"] as const;

/** What {@link ClassifySummary} needs of a judged line. */
export interface SummarisedLine {
  lineNo: number;
  classification: string;
  template: string;
  incidentId?: string;
}

/**
 * Counts of a classify run, for the summary printed to stderr: lines by label, flagged lines by template (with
 * their first line), flagged lines by incident.
 */
export class ClassifySummary {
  readonly byLabel = new Map<string, number>([["NORMAL", 0], ["ANOMALY", 0], ["CRITICAL_ANOMALY", 0]]);
  readonly flaggedTemplates = new Map<string, { count: number; critical: number; firstLine: number }>();
  readonly incidents = new Map<string, { count: number; firstLine: number; lastLine: number }>();

  /** Counts one judged line. */
  add(line: SummarisedLine): void {
    this.byLabel.set(line.classification, (this.byLabel.get(line.classification) ?? 0) + 1);
    if (line.classification === "NORMAL") return;
    const t = this.flaggedTemplates.get(line.template) ??
      { count: 0, critical: 0, firstLine: line.lineNo };
    t.count++;
    if (line.classification === "CRITICAL_ANOMALY") t.critical++;
    this.flaggedTemplates.set(line.template, t);
    if (line.incidentId) {
      const i = this.incidents.get(line.incidentId) ??
        { count: 0, firstLine: line.lineNo, lastLine: line.lineNo };
      i.count++;
      i.lastLine = line.lineNo;
      this.incidents.set(line.incidentId, i);
    }
  }

  /**
   * The summary text.
   *
   * @param titles incident titles by id, when known
   * @param top how many templates and incidents to list
   */
  format(output: string, titles: ReadonlyMap<string, string> = new Map(), top = 10): string {
    const total = [...this.byLabel.values()].reduce((a, b) => a + b, 0);
    const flagged = total - (this.byLabel.get("NORMAL") ?? 0);
    const pct = (n: number) => total === 0 ? "0%" : `${(100 * n / total).toFixed(1)}%`;
    const out = [
      `classify: ${total} lines → ${output}`,
      `  by label: ${
        [...this.byLabel].map(([label, n]) => `${label} ${n} (${pct(n)})`).join(", ")
      }; flagged ${flagged}`,
    ];
    const clip = (text: string) => (text.length > 100 ? text.slice(0, 99) + "…" : text);
    const templates = [...this.flaggedTemplates].sort((a, b) =>
      b[1].count - a[1].count || a[1].firstLine - b[1].firstLine
    );
    if (templates.length > 0) {
      out.push(`  top flagged templates (${templates.length} in all):`);
      for (const [template, t] of templates.slice(0, top)) {
        const critical = t.critical > 0 ? `, ${t.critical} critical` : "";
        out.push(
          `    ${String(t.count).padStart(6)}  ${clip(template)}  (first line ${t.firstLine}${critical})`,
        );
      }
    }
    const incidents = [...this.incidents].sort((a, b) =>
      b[1].count - a[1].count || a[1].firstLine - b[1].firstLine
    );
    out.push(`  incidents referenced: ${incidents.length}`);
    for (const [id, i] of incidents.slice(0, top)) {
      const title = titles.get(id);
      out.push(
        `    ${String(i.count).padStart(6)}  ${id}  lines ${i.firstLine}–${i.lastLine}${
          title ? `  ${clip(title)}` : ""
        }`,
      );
    }
    return out.join("\n");
  }
}

/**
 * Runs the CLI.
 *
 * @param report receives the summary (default: stderr)
 * @returns the number of lines written.
 */
export async function runClassify(
  args: ClassifyArgs,
  report: (summary: string) => void = console.error,
): Promise<number> {
  const config = await loadConfigOrExit();
  const format = resolveLogFormat(args.format);
  const bundle = await loadModelBundle(args.model ?? config.classifier.modelPath ?? DEFAULT_MODEL_URL);
  const feedback = args.feedback ? parseFeedbackCsv(await Deno.readTextFile(args.feedback)) : undefined;
  const lines = splitLines(await Deno.readTextFile(args.input));
  const classifier = new Classifier({ meta: bundle.meta });
  const miner = new TemplateMiner();
  // As the engine: detection follows a template that generalised to its new id.
  const detection = new IncidentDetection({
    ...detectionOptionsFromConfig(config),
    currentTemplateId: (id) => miner.registry.resolve(id),
    formerTemplateIds: (id) => miner.registry.formerIds(id),
  });
  const scorer = new WorkerScorer(bundle.path);
  const out: string[] = [csvRecord([...CLASSIFY_CSV_HEADER])];
  const summary = new ClassifySummary();
  try {
    const events = minedLineStream(lines, format, args.input, miner);
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
          e.template,
        ]),
      );
      summary.add(e);
      const label = feedback?.get(e.lineNo);
      if (label !== undefined && e.incidentId !== undefined) {
        await detection.act({ incidentId: e.incidentId, action: feedbackAction(label), by: "feedback file" });
      }
    }
  } finally {
    scorer.close();
  }
  await Deno.writeTextFile(args.output, out.join("\n") + "\n");
  const titles = new Map(detection.incidents().map((i) => [i.id, i.title]));
  report(summary.format(args.output, titles));
  return out.length - 1;
}

if (import.meta.main) {
  const parsed = handleArgs("classify", CLASSIFY_HELP, Deno.args, parseClassifyArgs);
  if ("exit" in parsed) Deno.exit(parsed.exit);
  try {
    await runClassify(parsed.args);
  } catch (error) {
    console.error(`classify: ${(error as Error).message}`);
    Deno.exit(error instanceof TypeError ? 2 : 1);
  }
}
