/**
 * A check of operator feedback on data it was not developed on: synthetic Windows streams from seeds the model
 * never saw (`deno run -A models/evaluate_feedback_synthetic.ts [SEED…]`, default 15 16). For each seed, 20 000
 * lines; F1 on lines 10 001–20 000 zero-shot and with the ground-truth labels of lines 1–10 000 learned as they
 * arrive (the offline path, same steps as the engine). Prints one JSON line per seed.
 *
 * @module
 */
import { Classifier } from "../lib/classification/classifier.ts";
import { classifyStream } from "../lib/classification/classify_stream.ts";
import type { FeedbackLabel } from "../lib/classification/feedback_learner.ts";
import { loadModelBundle } from "../lib/classification/model_bundle.ts";
import { minedLineStream } from "../lib/classification/mined_line_stream.ts";
import { WorkerScorer } from "../lib/classification/worker_scorer.ts";
import { resolveLogFormat } from "../lib/parsing/log_format.ts";
import { SyntheticWindowsSource } from "../lib/producer/synthetic_windows.ts";
import { prf } from "./evaluate_targets.ts";

const LINES = 20_000;
const HALF = LINES / 2;

if (import.meta.main) {
  const seeds = Deno.args.length > 0 ? Deno.args.map(Number) : [15, 16];
  const bundle = await loadModelBundle();
  const scorer = new WorkerScorer(bundle.path);
  try {
    for (const seed of seeds) {
      const gen = new SyntheticWindowsSource({ seed, rate: 50 });
      const lines: string[] = [];
      const truth: boolean[] = [];
      for (let i = 0; i < LINES; i++) {
        const l = gen.next();
        lines.push(l.line);
        truth.push(l.label.label !== "NORMAL");
      }
      const labels = new Map<number, FeedbackLabel>();
      for (let i = 0; i < HALF; i++) labels.set(i + 1, truth[i] ? "ANOMALY" : "NORMAL");
      const result: Record<string, string> = {};
      for (const [name, feedback] of [["zeroShot", undefined], ["withFeedback", labels]] as const) {
        const classifier = new Classifier({ meta: bundle.meta });
        const predicted: boolean[] = [];
        const events = minedLineStream(lines, resolveLogFormat("windows"), `synthetic:windows:${seed}`);
        for await (
          const e of classifyStream(events, classifier, (f, n) => scorer.score(f, n), { feedback })
        ) {
          predicted.push(e.classification !== "NORMAL");
        }
        const m = prf(predicted.slice(HALF), truth.slice(HALF));
        result[name] = `F1 ${m.f1.toFixed(3)} (P ${m.precision.toFixed(3)}, R ${m.recall.toFixed(3)})`;
      }
      console.log(JSON.stringify({ seed, positives: truth.slice(HALF).filter(Boolean).length, ...result }));
    }
  } finally {
    scorer.close();
  }
}
