/**
 * Computes the classifier's targets on Loghub with the shipped model, through the offline path (same steps as
 * the engine): BGL_2k zero-shot F1, BGL_2k F1 on lines 1001–2000 with feedback on lines 1–1000, and the share
 * of lines flagged on the other Loghub systems (also on their lines 1001–2000 after an operator dismissed the
 * alerts of lines 1–1000). Used by `deno task train` (model card numbers) and by
 * `tests/classification/targets_test.ts`.
 *
 * @module
 */
import type { ClassifiedEvent } from "../lib/event/log_event.ts";
import { Classifier } from "../lib/classification/classifier.ts";
import { classifyStream } from "../lib/classification/classify_stream.ts";
import type { FeedbackLabel } from "../lib/classification/feedback_learner.ts";
import { DEFAULT_MODEL_URL, loadModelBundle, type ModelBundle } from "../lib/classification/model_bundle.ts";
import { minedLineStream, splitLines } from "../lib/classification/mined_line_stream.ts";
import { WorkerScorer } from "../lib/classification/worker_scorer.ts";
import { resolveLogFormat } from "../lib/parsing/log_format.ts";
import { LOGHUB_TRAINING_SYSTEMS } from "./training_sources.ts";

/** Precision / recall / F1 of a line range. */
export interface Prf {
  precision: number;
  recall: number;
  f1: number;
  tp: number;
  fp: number;
  fn: number;
}

/** All target measurements. */
export interface TargetMetrics {
  modelVersion: string;
  bglZeroShot: Prf;
  bglFeedback: Prf;
  flaggedShare: Record<string, number>;
  /**
   * Share of lines 1001–2000 flagged after an operator dismissed (false_positive) every line the model flagged
   * among lines 1–1000 of a fresh run — how far "false positive" generalises on systems other than BGL.
   */
  flaggedAfterDismissals: Record<string, number>;
}

/** F1 with ANOMALY or CRITICAL_ANOMALY as positive. */
export function prf(predicted: boolean[], truth: boolean[]): Prf {
  let tp = 0, fp = 0, fn = 0;
  for (let i = 0; i < truth.length; i++) {
    if (predicted[i] && truth[i]) tp++;
    else if (predicted[i]) fp++;
    else if (truth[i]) fn++;
  }
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1, tp, fp, fn };
}

/**
 * Classifies a Loghub file with a fresh classifier (fresh online state, no feedback unless given).
 * @returns the classified events, in line order.
 */
export async function classifyLoghub(
  loghubDir: URL,
  system: string,
  scorer: WorkerScorer,
  feedback?: ReadonlyMap<number, FeedbackLabel>,
  bundle?: ModelBundle,
): Promise<ClassifiedEvent[]> {
  bundle ??= await loadModelBundle();
  const lines = splitLines(await Deno.readTextFile(new URL(`${system}/${system}_2k.log`, loghubDir)));
  const classifier = new Classifier({ meta: bundle.meta });
  const out: ClassifiedEvent[] = [];
  const events = minedLineStream(lines, resolveLogFormat(system.toLowerCase()), `loghub:${system}`);
  for await (const e of classifyStream(events, classifier, (f, n) => scorer.score(f, n), { feedback })) {
    out.push(e);
  }
  return out;
}

/** BGL ground truth: the first token of each line (`-` = normal). */
export async function bglTruth(loghubDir: URL): Promise<boolean[]> {
  const lines = splitLines(await Deno.readTextFile(new URL("BGL/BGL_2k.log", loghubDir)));
  return lines.map((l) => !l.startsWith("- "));
}

/**
 * Measures every target.
 * @param loghubDir the Loghub folder.
 * @param modelPath the model to measure (default: the shipped one).
 */
export async function evaluateTargets(
  loghubDir: URL,
  modelPath: string | URL = DEFAULT_MODEL_URL,
): Promise<TargetMetrics> {
  const bundle = await loadModelBundle(modelPath);
  const scorer = new WorkerScorer(bundle.path);
  try {
    const truth = await bglTruth(loghubDir);
    const zero = await classifyLoghub(loghubDir, "BGL", scorer, undefined, bundle);
    const positive = (e: ClassifiedEvent) => e.classification !== "NORMAL";
    const feedback = new Map<number, FeedbackLabel>();
    for (let i = 0; i < 1000; i++) feedback.set(i + 1, truth[i] ? "ANOMALY" : "NORMAL");
    const withFb = await classifyLoghub(loghubDir, "BGL", scorer, feedback, bundle);
    const flaggedShare: Record<string, number> = {};
    const flaggedAfterDismissals: Record<string, number> = {};
    const share = (events: ClassifiedEvent[]) => events.filter(positive).length / events.length;
    for (const system of LOGHUB_TRAINING_SYSTEMS) {
      const events = await classifyLoghub(loghubDir, system, scorer, undefined, bundle);
      flaggedShare[system] = share(events);
      const dismissals = new Map<number, FeedbackLabel>();
      for (const e of events.slice(0, 1000)) if (positive(e)) dismissals.set(e.lineNo, "false_positive");
      flaggedAfterDismissals[system] = share(
        (await classifyLoghub(loghubDir, system, scorer, dismissals, bundle)).slice(1000),
      );
    }
    return {
      modelVersion: bundle.meta.modelVersion,
      bglZeroShot: prf(zero.map(positive), truth),
      bglFeedback: prf(withFb.slice(1000).map(positive), truth.slice(1000)),
      flaggedShare,
      flaggedAfterDismissals,
    };
  } finally {
    scorer.close();
  }
}
