/**
 * The classifier's decision logic, shared by the engine's pool and `deno task classify` so both label events
 * identically. It runs in the thread that owns the online state (the pool actor's): `prepare` computes features
 * in event order (stateful); the ONNX scores are computed wherever the caller likes (the pool's workers);
 * `finalize` applies operator feedback, the thresholds, the severity rule and writes the reasons.
 *
 * Decision: `score` = ONNX probability adjusted by the feedback head; ANOMALY when `score ≥ anomalyThreshold`
 * (or operators labelled the template); CRITICAL_ANOMALY when anomalous AND severe — failure-class semantics,
 * a critical/fatal level, or `score ≥ criticalThreshold`.
 *
 * @module
 */
import type { Classification, ClassifiedEvent, MinedEvent } from "../event/log_event.ts";
import { FEATURE_DIM } from "./feature_spec.ts";
import { FeatureExtractor, type FeatureFacts, levelGroupName } from "./features.ts";
import type { FeedbackContext } from "./feedback_memory.ts";
import { type FeedbackLabel, FeedbackLearner } from "./feedback_learner.ts";
import type { ModelMeta } from "./model_bundle.ts";
import type { OnlineState } from "./online_state.ts";
import { buildReasons, coefficientVector } from "./reasons.ts";

/** Options of {@link Classifier}. */
export interface ClassifierOptions {
  /** The model's metadata (version, coefficients for reasons). */
  meta: ModelMeta;
  /** Score from which an event is anomalous, in (0, 1). Default {@link DEFAULT_ANOMALY_THRESHOLD}. */
  anomalyThreshold?: number;
  /** Score from which an anomalous event is critical without failure semantics, in (0, 1]. Default 0.97. */
  criticalThreshold?: number;
  /** Online state to continue (default: fresh). */
  state?: OnlineState;
  /** Feedback learned so far (default: none). */
  feedback?: FeedbackLearner;
}

/** Features of a batch, ready for the scorer. */
export interface PreparedBatch {
  /** Row-major, `rows × FEATURE_DIM`. */
  features: Float32Array;
  facts: FeatureFacts[];
  rows: number;
}

/** An operator label for an event (what the dashboard sends). */
export interface FeedbackInput {
  /** The labelled event's template. */
  templateId: string;
  label: FeedbackLabel;
  /** The event's ONNX score, when known (the dashboard shows the final score; that is close enough). */
  score?: number;
  /** The event id (kept only in logs). */
  eventId?: string;
}

const MAX_REMEMBERED = 50_000;

/**
 * Default anomaly threshold: the lowest score at which every Loghub training system except Hadoop is flagged on
 * ≤ 3% of its lines (chosen on the training systems, never on BGL; see models/README.md).
 */
export const DEFAULT_ANOMALY_THRESHOLD = 0.7;
/** Default critical threshold (anomalous without failure semantics, yet extreme). */
export const DEFAULT_CRITICAL_THRESHOLD = 0.97;

/** Classifies prepared events (see module doc). */
export class Classifier {
  readonly meta: ModelMeta;
  readonly anomalyThreshold: number;
  readonly criticalThreshold: number;
  readonly features: FeatureExtractor;
  feedback: FeedbackLearner;
  readonly #coef: Float32Array | undefined;
  /** Template → head input block and raw score of its latest event: lets dashboard labels train the head. */
  readonly #recent = new Map<string, { x: Float32Array; raw: number; ctx: FeedbackContext }>();

  /** @throws {RangeError} when a threshold is out of range. */
  constructor(options: ClassifierOptions) {
    const a = options.anomalyThreshold ?? DEFAULT_ANOMALY_THRESHOLD;
    const c = options.criticalThreshold ?? DEFAULT_CRITICAL_THRESHOLD;
    if (!(a > 0 && a < 1)) {
      throw new RangeError(
        `Cannot create Classifier as anomalyThreshold must be in (0, 1): current value is ${a}`,
      );
    }
    if (!(c > 0 && c <= 1)) {
      throw new RangeError(
        `Cannot create Classifier as criticalThreshold must be in (0, 1]: current value is ${c}`,
      );
    }
    this.meta = options.meta;
    this.anomalyThreshold = a;
    this.criticalThreshold = c;
    this.features = new FeatureExtractor(options.state);
    this.feedback = options.feedback ?? new FeedbackLearner();
    this.#coef = coefficientVector(options.meta.coefficients);
  }

  /** Computes the features of `events` in order and learns them into the online state. */
  prepare(events: readonly MinedEvent[]): PreparedBatch {
    const rows = events.length;
    const features = new Float32Array(rows * FEATURE_DIM);
    const facts: FeatureFacts[] = new Array(rows);
    for (let i = 0; i < rows; i++) facts[i] = this.features.extract(events[i], features, i * FEATURE_DIM);
    return { features, facts, rows };
  }

  /**
   * Labels one prepared event.
   * @param event the event.
   * @param batch its prepared batch; `row` its row.
   * @param rawScore its ONNX score.
   */
  finalizeOne(event: MinedEvent, batch: PreparedBatch, row: number, rawScore: number): ClassifiedEvent {
    const facts = batch.facts[row];
    const offset = row * FEATURE_DIM;
    const adj = this.feedback.labels > 0
      ? this.feedback.adjust(
        rawScore,
        facts.templateId,
        batch.features,
        offset,
        feedbackContext(event, facts),
      )
      : { score: rawScore };
    const score = adj.score;
    let classification: Classification;
    if (adj.override !== undefined) classification = adj.override;
    else if (score >= this.anomalyThreshold) {
      const severe = facts.severeSemantics || facts.level === "fatal" || facts.level === "critical" ||
        score >= this.criticalThreshold;
      classification = severe ? "CRITICAL_ANOMALY" : "ANOMALY";
    } else classification = "NORMAL";
    if (facts.count === 0 || !this.#recent.has(facts.templateId)) {
      this.#remember(facts.templateId, batch.features, offset, rawScore, feedbackContext(event, facts));
    }
    const reasons = buildReasons(classification, facts, event.component, this.#coef, batch.features, offset, {
      override: adj.override,
      votes: adj.votes,
      reason: adj.reason,
      delta: score - rawScore,
    });
    return { ...event, classification, score: round(score), reasons, modelVersion: this.meta.modelVersion };
  }

  /** Labels a prepared batch. */
  finalize(events: readonly MinedEvent[], batch: PreparedBatch, rawScores: Float32Array): ClassifiedEvent[] {
    const out: ClassifiedEvent[] = new Array(events.length);
    for (let i = 0; i < events.length; i++) out[i] = this.finalizeOne(events[i], batch, i, rawScores[i]);
    return out;
  }

  /**
   * Learns an operator label (the dashboard's feedback API calls this through the pool).
   * @throws {RangeError} on an unknown label or a bad template id.
   */
  recordFeedback(input: FeedbackInput): void {
    const known = this.#recent.get(input.templateId);
    this.feedback.learn(
      input.templateId,
      input.label,
      known?.raw ?? input.score ?? 0.5,
      known?.x,
      0,
      known?.ctx,
    );
  }

  /** Learns a label for a prepared event whose features are at hand (the offline CLI, tests). */
  learnPrepared(
    event: MinedEvent,
    batch: PreparedBatch,
    row: number,
    rawScore: number,
    label: FeedbackLabel,
  ): void {
    const facts = batch.facts[row];
    this.feedback.learn(
      facts.templateId,
      label,
      rawScore,
      batch.features,
      row * FEATURE_DIM,
      feedbackContext(event, facts),
    );
  }

  #remember(
    templateId: string,
    features: Float32Array,
    offset: number,
    raw: number,
    ctx: FeedbackContext,
  ): void {
    if (!this.#recent.has(templateId) && this.#recent.size >= MAX_REMEMBERED) {
      this.#recent.delete(this.#recent.keys().next().value!);
    }
    this.#recent.set(templateId, { x: features.slice(offset, offset + FEATURE_DIM), raw, ctx });
  }
}

/** What feedback is keyed by: the template's constant words, the component and the level group. */
const feedbackContext = (event: MinedEvent, facts: FeatureFacts): FeedbackContext => ({
  words: facts.words,
  component: event.component,
  level: levelGroupName(facts.level),
});

const round = (x: number) => Math.round(x * 1e4) / 1e4;
