/**
 * Learning from operator feedback, online: (1) per-template overrides — once an operator labels a template,
 * its later events follow the majority label given for it (ties: the latest); (2) an online logistic head on
 * top of the ONNX score — `p' = σ(a·logit(p) + b + w·x)` over the event's hashed template tokens, level and lexicon groups
 * (`x`, {@link HEAD_FEATURES}), its shift capped at ±2 in logit units, updated by one SGD step per label — which carries what was
 * learned to templates nobody labelled yet. Before any feedback the head is the identity (`a = 1`, `b = w = 0`).
 *
 * Persisted as JSON (`toJSON`/`fromJSON`; `FeedbackStore` writes it).
 *
 * @module
 */
import type { Classification } from "../event/log_event.ts";
import { FEATURE_NAMES, FEATURE_SPEC_ID, TOKEN_BUCKETS } from "./feature_spec.ts";

/** What an operator can say about an event. */
export type FeedbackLabel = "false_positive" | "confirmed" | "critical" | Classification;

/** The labels accepted by {@link toClassification}. */
export const FEEDBACK_LABELS: readonly FeedbackLabel[] = [
  "false_positive",
  "confirmed",
  "critical",
  "NORMAL",
  "ANOMALY",
  "CRITICAL_ANOMALY",
];

/** Maps an operator label to the classification it asks for. @throws {RangeError} on an unknown label. */
export function toClassification(label: string): Classification {
  switch (label) {
    case "false_positive":
    case "NORMAL":
      return "NORMAL";
    case "confirmed":
    case "ANOMALY":
      return "ANOMALY";
    case "critical":
    case "CRITICAL_ANOMALY":
      return "CRITICAL_ANOMALY";
    default:
      throw new RangeError(
        `Cannot record feedback as label must be one of ${FEEDBACK_LABELS.join(", ")}: current value is ${
          JSON.stringify(String(label).slice(0, 64))
        }`,
      );
  }
}

/** Labels counted for one template. */
export interface TemplateLabels {
  normal: number;
  anomaly: number;
  critical: number;
  latest: Classification;
}

/** Serialised learner (version 1). */
export interface FeedbackSnapshot {
  version: 1;
  featureSpec: string;
  labels: number;
  positives: number;
  a: number;
  b: number;
  w: number[];
  templates: [string, TemplateLabels][];
}

/**
 * The features the head reads: the template-token buckets, the level, the lexicon groups and the semantics
 * flag — what an operator's verdict is about (which words and severities matter here). The component is left
 * out: one component often carries both the noise operators dismiss and the failures they confirm.
 */
export const HEAD_FEATURES: readonly number[] = Object.freeze([
  ...Array.from({ length: TOKEN_BUCKETS }, (_, i) => i),
  ...FEATURE_NAMES.flatMap((
    n,
    i,
  ) => (/^(level_(low|info|warn|error|fatal)|lex_(?!count).*|semantics)$/.test(n) ? [i] : [])),
]);
/** Number of head weights. */
export const HEAD_DIM = HEAD_FEATURES.length;
/** Most the head may move a score's logit: feedback refines the model, it does not silence strong signals. */
export const MAX_HEAD_SHIFT = 2;
const LEARNING_RATE = 0.5;
const MAX_TEMPLATES = 100_000;

const logit = (p: number) => {
  const q = Math.min(1 - 1e-6, Math.max(1e-6, p));
  return Math.log(q / (1 - q));
};
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** The learner (see module doc). */
export class FeedbackLearner {
  a = 1;
  b = 0;
  readonly w = new Float64Array(HEAD_DIM);
  readonly templates = new Map<string, TemplateLabels>();
  /** Labels learned so far. */
  labels = 0;
  /** Of which anomalous (ANOMALY or CRITICAL_ANOMALY). */
  positives = 0;

  /**
   * Applies what was learned to one event.
   * @param rawScore the ONNX score.
   * @param templateId the event's template.
   * @param x the event's feature vector (only {@link HEAD_FEATURES} are read), at `offset`.
   * @returns the adjusted score and, when operators labelled this template, the label they asked for.
   */
  adjust(rawScore: number, templateId: string, x: Float32Array, offset = 0): {
    score: number;
    override?: Classification;
    votes?: number;
  } {
    let score = rawScore;
    if (this.labels > 0) {
      const l = logit(rawScore);
      let z = this.a * l + this.b;
      for (let i = 0; i < HEAD_DIM; i++) z += this.w[i] * x[offset + HEAD_FEATURES[i]];
      score = sigmoid(Math.max(l - MAX_HEAD_SHIFT, Math.min(l + MAX_HEAD_SHIFT, z)));
    }
    const t = this.templates.get(templateId);
    if (t === undefined) return { score };
    const votes = t.normal + t.anomaly + t.critical;
    return { score, override: majority(t), votes };
  }

  /**
   * Learns one label.
   * @param templateId the labelled event's template.
   * @param label what the operator said.
   * @param rawScore the event's ONNX score (default 0.5 when unknown).
   * @param x the event's feature vector , when known.
   * @throws {RangeError} on an unknown label or an empty template id.
   */
  learn(templateId: string, label: FeedbackLabel, rawScore = 0.5, x?: Float32Array, offset = 0): void {
    if (typeof templateId !== "string" || templateId.length === 0 || templateId.length > 256) {
      throw new RangeError(
        `Cannot record feedback as templateId must be 1..256 characters: current value is ${
          JSON.stringify(String(templateId).slice(0, 64))
        }`,
      );
    }
    const c = toClassification(label);
    let t = this.templates.get(templateId);
    if (t === undefined) {
      if (this.templates.size >= MAX_TEMPLATES) this.templates.delete(this.templates.keys().next().value!);
      t = { normal: 0, anomaly: 0, critical: 0, latest: c };
      this.templates.set(templateId, t);
    }
    if (c === "NORMAL") t.normal++;
    else if (c === "ANOMALY") t.anomaly++;
    else t.critical++;
    t.latest = c;
    // One SGD step of the logistic head on log loss, class-balanced (operators mostly label one class, and an
    // unbalanced head would drift towards it everywhere); the step shrinks as labels accumulate.
    const y = c === "NORMAL" ? 0 : 1;
    if (y === 1) this.positives++;
    const share = (y === 1 ? this.positives : this.labels + 1 - this.positives) / (this.labels + 1);
    const rate = LEARNING_RATE * Math.min(2, 0.5 / Math.max(share, 0.05));
    const l = logit(rawScore);
    let z = this.a * l + this.b;
    if (x) { for (let i = 0; i < HEAD_DIM; i++) z += this.w[i] * x[offset + HEAD_FEATURES[i]]; }
    const g = sigmoid(z) - y;
    this.b -= rate * 0.1 * g;
    if (x) { for (let i = 0; i < HEAD_DIM; i++) this.w[i] -= rate * 2 * g * x[offset + HEAD_FEATURES[i]]; }
    this.labels++;
  }

  /** The persisted form. */
  toJSON(): FeedbackSnapshot {
    return {
      version: 1,
      featureSpec: FEATURE_SPEC_ID,
      labels: this.labels,
      positives: this.positives,
      a: this.a,
      b: this.b,
      w: [...this.w],
      templates: [...this.templates],
    };
  }

  /**
   * Restores a learner. A snapshot made with another feature spec keeps its template overrides (template ids
   * do not depend on the spec) but drops its head (its weights mean other features).
   * @throws {TypeError} when the snapshot is not a version-1 feedback state.
   */
  static fromJSON(snapshot: unknown): FeedbackLearner {
    const s = snapshot as FeedbackSnapshot;
    if (s === null || typeof s !== "object" || s.version !== 1 || !Array.isArray(s.templates)) {
      throw new TypeError("Cannot restore FeedbackLearner as the snapshot is not a version-1 feedback state");
    }
    const l = new FeedbackLearner();
    for (const [id, t] of s.templates) l.templates.set(String(id), { ...t });
    l.labels = Number(s.labels) || 0;
    l.positives = Number(s.positives) || 0;
    if (s.featureSpec === FEATURE_SPEC_ID && Array.isArray(s.w) && s.w.length === HEAD_DIM) {
      l.a = Number(s.a);
      l.b = Number(s.b);
      l.w.set(s.w.map(Number));
    }
    return l;
  }
}

function majority(t: TemplateLabels): Classification {
  const best = Math.max(t.normal, t.anomaly, t.critical);
  const tied = [t.normal === best, t.anomaly === best, t.critical === best].filter(Boolean).length;
  if (tied > 1) return t.latest;
  return t.normal === best ? "NORMAL" : t.anomaly === best ? "ANOMALY" : "CRITICAL_ANOMALY";
}
