/**
 * Builds the training set with the engine's own feature code (`FeatureExtractor`): every source of the
 * manifest (`training_sources.ts`) is parsed, mined and featurised line by line, in order, exactly as at
 * inference. Synthetic lines carry the generator's ground truth; Loghub lines are normal unless the rules
 * (`weak_labels.ts`) call them failures, which are left out (unknown); burst-augmented copies of the Loghub
 * streams label their injected bursts ANOMALY, transplant-augmented copies (`transplant_augmentation.ts`)
 * their foreign messages.
 *
 * @module
 */
import { FEATURE_DIM } from "../lib/classification/feature_spec.ts";
import { FeatureExtractor } from "../lib/classification/features.ts";
import { minedLineStream, splitLines } from "../lib/classification/mined_line_stream.ts";
import { lineToEvent } from "../lib/parsing/line_to_event.ts";
import { resolveLogFormat } from "../lib/parsing/log_format.ts";
import { SyntheticWindowsSource } from "../lib/producer/synthetic_windows.ts";
import { LOGHUB_TRAINING_SYSTEMS, TRAINING_SOURCES, type TrainingSource } from "./training_sources.ts";
import { weakLabel } from "./weak_labels.ts";
import { augmentWithBursts } from "./burst_augmentation.ts";
import { augmentWithTransplants } from "./transplant_augmentation.ts";

/**
 * Label of a row whose truth is unknown (a Loghub line the rules call a failure): left out of training, so
 * the model is not taught to copy the rules (the lexicon and level detectors already say what they say).
 */
export const UNKNOWN_LABEL = 255;

/** The built set: row-major features, labels, source index per row, and per-source counts. */
export interface TrainingSet {
  features: Float32Array;
  labels: Uint8Array;
  sources: Uint8Array;
  rows: number;
  manifest: { name: string; labels: string; rows: number; positives: number }[];
}

/**
 * Builds the set.
 * @param loghubDir the Loghub folder (`<repo>/../shared/loghub/`).
 * @throws {Error} when a source's file cannot be read.
 */
export async function buildTrainingSet(loghubDir: URL): Promise<TrainingSet> {
  const feats: Float32Array[] = [];
  const labels: number[] = [];
  const sources: number[] = [];
  const manifest: TrainingSet["manifest"] = [];
  for (const [si, source] of TRAINING_SOURCES.entries()) {
    const { lines, truth, injected } = await sourceLines(source, loghubDir);
    const fx = new FeatureExtractor();
    const format = resolveLogFormat(source.format);
    let i = 0;
    let positives = 0;
    for (const event of minedLineStream(lines, format, source.name)) {
      const row = new Float32Array(FEATURE_DIM);
      const facts = fx.extract(event, row);
      const y = truth ? truth[i] : injected?.[i] ? 1 : weakLabel(facts) === 1 ? UNKNOWN_LABEL : 0;
      feats.push(row);
      labels.push(y);
      sources.push(si);
      if (y === 1) positives++;
      i++;
    }
    manifest.push({ name: source.name, labels: source.labels, rows: i, positives });
  }
  const features = new Float32Array(feats.length * FEATURE_DIM);
  feats.forEach((r, i) => features.set(r, i * FEATURE_DIM));
  return {
    features,
    labels: Uint8Array.from(labels),
    sources: Uint8Array.from(sources),
    rows: feats.length,
    manifest,
  };
}

async function sourceLines(
  source: TrainingSource,
  loghubDir: URL,
): Promise<{ lines: string[]; truth?: number[]; injected?: Uint8Array }> {
  if (source.kind === "synthetic") {
    const gen = new SyntheticWindowsSource({ seed: source.seed, rate: 50 });
    const lines: string[] = [];
    const truth: number[] = [];
    for (let i = 0; i < (source.lines ?? 10_000); i++) {
      const l = gen.next();
      lines.push(l.line);
      truth.push(l.label.label === "NORMAL" ? 0 : 1);
    }
    return { lines, truth };
  }
  const system = source.system!;
  if (system.toLowerCase() === "bgl") {
    throw new Error("BGL is the zero-shot evaluation set and is never trained on");
  }
  const url = new URL(`${system}/${system}_2k.log`, loghubDir);
  const lines = splitLines(await Deno.readTextFile(url));
  const format = resolveLogFormat(source.format);
  if (source.transplantSeed !== undefined) {
    const foreign = await foreignMessages(system, loghubDir);
    const headerOf = (line: string) => {
      const content =
        lineToEvent({ text: line, lineNo: 1 }, format, { source: "augment", host: "augment" }, 0).content;
      const cut = content.length > 0 ? line.lastIndexOf(content) : -1;
      return cut > 0 ? line.slice(0, cut) : undefined;
    };
    const aug = augmentWithTransplants(lines, headerOf, foreign, source.transplantSeed);
    return { lines: aug.lines, injected: aug.injected };
  }
  if (source.burstSeed === undefined) return { lines };
  const severe = (line: string) => {
    const level =
      lineToEvent({ text: line, lineNo: 1 }, format, { source: "augment", host: "augment" }, 0).level;
    return level === "error" || level === "critical" || level === "fatal";
  };
  const aug = augmentWithBursts(lines, source.burstSeed, severe);
  return { lines: aug.lines, injected: aug.injected };
}

/** One message per distinct template of every other training system (the transplant augmentation's pool). */
async function foreignMessages(host: string, loghubDir: URL): Promise<string[]> {
  const out: string[] = [];
  for (const system of LOGHUB_TRAINING_SYSTEMS) {
    if (system === host) continue;
    const lines = splitLines(await Deno.readTextFile(new URL(`${system}/${system}_2k.log`, loghubDir)));
    const seen = new Set<string>();
    for (const e of minedLineStream(lines, resolveLogFormat(system.toLowerCase()), `pool:${system}`)) {
      if (seen.has(e.templateId) || e.content.length === 0) continue;
      seen.add(e.templateId);
      out.push(e.content);
    }
  }
  return out;
}
