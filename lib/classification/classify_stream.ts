/**
 * Classifies a finite stream of mined events in order, with no look-ahead, optionally learning operator labels
 * as it goes (the label of event i is learned before event i + 1 is labelled) — the offline CLI's loop, built
 * from the same {@link Classifier} steps as the engine's pool (prepare → score → finalize).
 *
 * @module
 */
import type { ClassifiedEvent, MinedEvent } from "../event/log_event.ts";
import type { Classifier } from "./classifier.ts";
import type { FeedbackLabel } from "./feedback_learner.ts";

/** Scores a row-major feature batch (may take ownership of the buffer). */
export type BatchScorer = (features: Float32Array, rows: number) => Promise<Float32Array>;

/** Options of {@link classifyStream}. */
export interface ClassifyStreamOptions {
  /** Events per scoring batch. Default 256. */
  batchSize?: number;
  /** Operator labels by event `lineNo`, learned right after that event is labelled. */
  feedback?: ReadonlyMap<number, FeedbackLabel>;
}

/**
 * Classifies events in order.
 * @param events the mined events.
 * @param classifier the classifier (its state and feedback carry over between calls).
 * @param score the ONNX scorer (e.g. a `WorkerScorer`).
 */
export async function* classifyStream(
  events: Iterable<MinedEvent>,
  classifier: Classifier,
  score: BatchScorer,
  options: ClassifyStreamOptions = {},
): AsyncGenerator<ClassifiedEvent> {
  const batchSize = options.batchSize ?? 256;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(
      `Cannot classify as batchSize must be a positive integer: current value is ${batchSize}`,
    );
  }
  let batch: MinedEvent[] = [];
  const flush = async function* () {
    const prepared = classifier.prepare(batch);
    const raw = await score(prepared.features.slice(), prepared.rows);
    for (let i = 0; i < batch.length; i++) {
      yield classifier.finalizeOne(batch[i], prepared, i, raw[i]);
      const label = options.feedback?.get(batch[i].lineNo);
      if (label !== undefined) classifier.learnPrepared(batch[i], prepared, i, raw[i], label);
    }
    batch = [];
  };
  for (const e of events) {
    batch.push(e);
    if (batch.length >= batchSize) yield* flush();
  }
  if (batch.length > 0) yield* flush();
}
