/**
 * The classifier's feature half, shared by the engine's pool and the offline CLIs so both see identical inputs.
 * It runs in the thread that owns the online state (the pool actor's): `prepare` computes features in event
 * order (stateful: template counts, rate baselines). The ONNX scores are computed wherever the caller likes (the
 * pool's workers, a `WorkerScorer`), and labels come from incident detection (`lib/incidents/judge_events.ts`),
 * not from a per-line threshold: a line is flagged only as part of an incident.
 *
 * @module
 */
import type { MinedEvent } from "../event/log_event.ts";
import { FEATURE_DIM } from "./feature_spec.ts";
import { FeatureExtractor, type FeatureFacts } from "./features.ts";
import type { ModelMeta } from "./model_bundle.ts";
import type { OnlineState } from "./online_state.ts";

/** Options of {@link Classifier}. */
export interface ClassifierOptions {
  /** The model's metadata (its version is stamped on every labelled event). */
  meta: ModelMeta;
  /** Online state to continue (default: fresh). */
  state?: OnlineState;
}

/** Features of a batch, ready for the scorer. */
export interface PreparedBatch {
  /** Row-major, `rows × FEATURE_DIM`. */
  features: Float32Array;
  /** What the features were computed from, one per row (the detectors read them). */
  facts: FeatureFacts[];
  rows: number;
}

/** Computes the model's features in event order (see module doc). */
export class Classifier {
  /** The loaded model's metadata. */
  readonly meta: ModelMeta;
  /** The feature extractor and its online state (persisted by the pool). */
  readonly features: FeatureExtractor;

  constructor(options: ClassifierOptions) {
    this.meta = options.meta;
    this.features = new FeatureExtractor(options.state);
  }

  /** Computes the features of `events` in order and learns them into the online state. */
  prepare(events: readonly MinedEvent[]): PreparedBatch {
    const rows = events.length;
    const features = new Float32Array(rows * FEATURE_DIM);
    const facts: FeatureFacts[] = new Array(rows);
    for (let i = 0; i < rows; i++) facts[i] = this.features.extract(events[i], features, i * FEATURE_DIM);
    return { features, facts, rows };
  }
}
