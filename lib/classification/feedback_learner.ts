/**
 * Learning from operator feedback, online, from the most specific evidence to the most general:
 *
 * 1. **the template** — an event whose template (same constant words, component and level, whatever id the miner
 *    gives it now) was labelled follows the operators' majority label for it (ties: the latest);
 * 2. **a near-identical template** (word-set cosine ≥ 0.8, same component and level) — the same override;
 * 3. **similar templates** (cosine ≥ 0.5) — the score's logit moves by up to ±{@link SIMILAR_SHIFT} towards their
 *    similarity-weighted vote ("confirmed" raises similar messages, "false positive" lowers them);
 * 4. **the context** — with ≥ {@link MIN_CONTEXT_LABELS} labels in the event's component and level, the model is
 *    recalibrated there: log-odds of the share operators called anomalous minus log-odds of the mean model score
 *    of those events (capped at ±{@link MAX_CONTEXT_SHIFT});
 * 5. otherwise **the online logistic head** — `p' = σ(a·logit(p) + b + w·x)` over the hashed template tokens,
 *    level and lexicon groups (`x`, {@link HEAD_FEATURES}), its shift capped at ±2 logits, one SGD step per label.
 *
 * Before any feedback the score is the ONNX score. Labels are kept by template signature (`feedback_memory.ts`).
 * Persisted as JSON (`toJSON`/`fromJSON`; `FeedbackStore` writes it).
 *
 * @module
 */
import type { Classification } from "../event/log_event.ts";
import { FEATURE_NAMES, FEATURE_SPEC_ID, TOKEN_BUCKETS } from "./feature_spec.ts";
import {
  type ContextStats,
  type FeedbackContext,
  type LabelledTemplate,
  majority,
  NEAR_SIMILARITY,
  signatureKey,
  TemplateMemory,
  votesOf,
} from "./feedback_memory.ts";

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

/** Serialised learner (version 2; version 1 — template ids only — is still read). */
export interface FeedbackSnapshot {
  version: 2;
  featureSpec: string;
  labels: number;
  positives: number;
  a: number;
  b: number;
  w: number[];
  templates: [string, LabelledTemplate][];
  contexts: [string, ContextStats][];
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
/** Logit shift towards the labels of similar (not near-identical) templates, at a unanimous vote. */
export const SIMILAR_SHIFT = 3;
/** Labels a context needs before its calibration applies. */
export const MIN_CONTEXT_LABELS = 20;
/** Pseudo-labels of the coarser context that a context's estimate is shrunk towards. */
export const CONTEXT_PRIOR = 5;
/** Most a context's calibration may move a logit. */
export const MAX_CONTEXT_SHIFT = 4;
const MAX_LOOKUPS = 50_000;

const logit = (p: number) => {
  const q = Math.min(1 - 1e-6, Math.max(1e-6, p));
  return Math.log(q / (1 - q));
};
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** What feedback did to one event's score. */
export interface FeedbackAdjustment {
  /** The adjusted score. */
  score: number;
  /** The label operators gave this template or a near-identical one. */
  override?: Classification;
  /** Labels behind {@link override}. */
  votes?: number;
  /** Why the score moved or was overridden (for the event's reasons). */
  reason?: string;
}

/** The learner (see module doc). */
export class FeedbackLearner {
  a = 1;
  b = 0;
  readonly w = new Float64Array(HEAD_DIM);
  readonly memory = new TemplateMemory();
  /** Per `component\0level`, per `level`, and `""` (all labels). */
  readonly contexts = new Map<string, ContextStats>();
  /** Labels learned so far. */
  labels = 0;
  /** Of which anomalous (ANOMALY or CRITICAL_ANOMALY). */
  positives = 0;
  /** Signature → what the labelled templates say about it, valid while no new label arrived. */
  readonly #lookups = new Map<string, { labels: number; found: Lookup }>();

  /** The labelled templates (by signature). */
  get templates(): ReadonlyMap<string, LabelledTemplate> {
    return this.memory.templates;
  }

  /**
   * Applies what was learned to one event: the head; then the label of the same or a near-identical template
   * (override); else a shift towards the labels of similar templates; else the calibration of its context.
   * @param rawScore the ONNX score.
   * @param templateId the event's template (used when `ctx` is not given).
   * @param x the event's feature vector (only {@link HEAD_FEATURES} are read), at `offset`.
   * @param ctx the event's template words, component and level.
   */
  adjust(
    rawScore: number,
    templateId: string,
    x: Float32Array,
    offset = 0,
    ctx?: FeedbackContext,
  ): FeedbackAdjustment {
    if (this.labels === 0) return { score: rawScore };
    const l = logit(rawScore);
    const found = this.#lookup(templateId, ctx);
    if (found.reason !== undefined) {
      if (found.override !== undefined) return { score: rawScore, ...found.override };
      return { score: sigmoid(l + found.shift), reason: found.reason };
    }
    let z = this.a * l + this.b;
    for (let i = 0; i < HEAD_DIM; i++) z += this.w[i] * x[offset + HEAD_FEATURES[i]];
    return { score: sigmoid(Math.max(l - MAX_HEAD_SHIFT, Math.min(l + MAX_HEAD_SHIFT, z))) };
  }

  /**
   * Learns one label.
   * @param templateId the labelled event's template.
   * @param label what the operator said.
   * @param rawScore the event's ONNX score (default 0.5 when unknown).
   * @param x the event's feature vector, when known.
   * @param ctx the event's template words, component and level, when known (else only its id is remembered).
   * @throws {RangeError} on an unknown label or an empty template id.
   */
  learn(
    templateId: string,
    label: FeedbackLabel,
    rawScore = 0.5,
    x?: Float32Array,
    offset = 0,
    ctx?: FeedbackContext,
  ): void {
    if (typeof templateId !== "string" || templateId.length === 0 || templateId.length > 256) {
      throw new RangeError(
        `Cannot record feedback as templateId must be 1..256 characters: current value is ${
          JSON.stringify(String(templateId).slice(0, 64))
        }`,
      );
    }
    const c = toClassification(label);
    this.memory.record(signatureKey(ctx, templateId), ctx, c);
    const y = c === "NORMAL" ? 0 : 1;
    const contextKeys = ctx === undefined ? [""] : ["", ctx.level, `${ctx.component}\u0000${ctx.level}`];
    for (const k of contextKeys) {
      const s = this.contexts.get(k) ?? { n: 0, positives: 0, scoreSum: 0 };
      s.n++;
      s.positives += y;
      s.scoreSum += rawScore;
      this.contexts.set(k, s);
    }
    // One SGD step of the logistic head on log loss, class-balanced (operators mostly label one class, and an
    // unbalanced head would drift towards it everywhere); the step shrinks as labels accumulate.
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
      version: 2,
      featureSpec: FEATURE_SPEC_ID,
      labels: this.labels,
      positives: this.positives,
      a: this.a,
      b: this.b,
      w: [...this.w],
      templates: [...this.memory.templates],
      contexts: [...this.contexts],
    };
  }

  /**
   * Restores a learner. A snapshot made with another feature spec keeps its template labels and contexts
   * (they do not depend on the spec) but drops its head (its weights mean other features). Version-1 snapshots
   * (labels by miner template id) are read as labels by id.
   * @throws {TypeError} when the snapshot is not a version-1 or version-2 feedback state.
   */
  static fromJSON(snapshot: unknown): FeedbackLearner {
    const s = snapshot as FeedbackSnapshot | (Omit<FeedbackSnapshot, "version"> & { version: 1 });
    if (
      s === null || typeof s !== "object" || (s.version !== 1 && s.version !== 2) ||
      !Array.isArray(s.templates)
    ) {
      throw new TypeError(
        "Cannot restore FeedbackLearner as the snapshot is not a version-1 or version-2 feedback state",
      );
    }
    const l = new FeedbackLearner();
    for (const [key, t] of s.templates) {
      if (s.version === 1) {
        l.memory.restore(signatureKey(undefined, String(key)), { ...t, words: [], component: "", level: "" });
      } else l.memory.restore(String(key), { ...t, words: (t.words ?? []).map(String) });
    }
    if (s.version === 2 && Array.isArray(s.contexts)) {
      for (const [k, c] of s.contexts) {
        l.contexts.set(String(k), {
          n: Number(c.n) || 0,
          positives: Number(c.positives) || 0,
          scoreSum: Number(c.scoreSum) || 0,
        });
      }
    }
    l.labels = Number(s.labels) || 0;
    l.positives = Number(s.positives) || 0;
    if (s.featureSpec === FEATURE_SPEC_ID && Array.isArray(s.w) && s.w.length === HEAD_DIM) {
      l.a = Number(s.a);
      l.b = Number(s.b);
      l.w.set(s.w.map(Number));
    }
    return l;
  }

  #lookup(templateId: string, ctx: FeedbackContext | undefined): Lookup {
    const key = signatureKey(ctx, templateId);
    const cached = this.#lookups.get(key);
    if (cached !== undefined && cached.labels === this.labels) return cached.found;
    const found = this.#find(key, templateId, ctx);
    if (this.#lookups.size >= MAX_LOOKUPS) this.#lookups.clear();
    this.#lookups.set(key, { labels: this.labels, found });
    return found;
  }

  #find(key: string, templateId: string, ctx: FeedbackContext | undefined): Lookup {
    const exact = this.memory.templates.get(key) ??
      this.memory.templates.get(signatureKey(undefined, templateId));
    if (exact !== undefined) return overrideBy(exact, "this template");
    if (ctx === undefined) return { shift: 0 };
    const neighbours = this.memory.neighbours(ctx);
    const best = neighbours[0];
    if (best !== undefined && best.similarity >= NEAR_SIMILARITY) {
      return overrideBy(
        best.template,
        "a near-identical template",
        `, ${Math.round(best.similarity * 100)}% similar`,
      );
    }
    if (neighbours.length > 0) {
      // Similarity-weighted vote of the similar labelled templates, in [-1, 1].
      let num = 0, den = 0;
      for (const n of neighbours) {
        const t = n.template;
        num += n.similarity * (t.anomaly + t.critical - t.normal);
        den += n.similarity * votesOf(t);
      }
      const vote = num / den;
      return {
        shift: SIMILAR_SHIFT * vote,
        reason: `operators labelled ${plural(neighbours.length, "similar template")} ${
          vote >= 0 ? "anomalous" : "normal"
        }`,
      };
    }
    return this.#contextShift(ctx);
  }

  /**
   * Calibration of the model for the event's context from the labels given there: the log-odds of the share of
   * labelled events operators called anomalous minus the log-odds of the mean model score of those events, each
   * shrunk towards the coarser context (component+level → level → all labels) by {@link CONTEXT_PRIOR} pseudo
   * labels; applied from {@link MIN_CONTEXT_LABELS} labels on, capped at ±{@link MAX_CONTEXT_SHIFT}.
   */
  #contextShift(ctx: FeedbackContext): Lookup {
    const all = this.contexts.get("");
    const local = this.contexts.get(`${ctx.component}\u0000${ctx.level}`);
    if (all === undefined || local === undefined || local.n < MIN_CONTEXT_LABELS) return { shift: 0 };
    const level = this.contexts.get(ctx.level) ?? { n: 0, positives: 0, scoreSum: 0 };
    const shrink = (s: ContextStats, prior: { rate: number; score: number }) => ({
      rate: (s.positives + CONTEXT_PRIOR * prior.rate) / (s.n + CONTEXT_PRIOR),
      score: (s.scoreSum + CONTEXT_PRIOR * prior.score) / (s.n + CONTEXT_PRIOR),
    });
    const global = shrink(all, { rate: 0.5, score: 0.5 });
    const est = shrink(local, shrink(level, global));
    const shift = Math.max(
      -MAX_CONTEXT_SHIFT,
      Math.min(MAX_CONTEXT_SHIFT, logit(est.rate) - logit(est.score)),
    );
    const anomalous = local.positives;
    return {
      shift,
      reason: `operators called ${anomalous} of ${local.n} labelled ${
        ctx.component || "(no component)"
      }/${ctx.level} events anomalous`,
    };
  }
}

/** What feedback found for a template signature; `reason` is set whenever it found labels to apply. */
interface Lookup {
  shift: number;
  override?: { override: Classification; votes: number; reason: string };
  reason?: string;
}

/** The operators' majority label of `t` as an override. */
function overrideBy(t: LabelledTemplate, what: string, detail = ""): Lookup {
  const votes = votesOf(t);
  const override = majority(t);
  const reason = `operator labelled ${what} ${override} (${plural(votes, "label")}${detail})`;
  return { shift: 0, reason, override: { override, votes, reason } };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
