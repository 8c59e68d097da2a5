/**
 * The classifier's line scores joined to incident detection, for a finite stream judged in order with no
 * look-ahead: features from the online state → ONNX scores (in a Web Worker) → {@link IncidentDetection}.
 * `deno task incidents`, `deno task classify` and the evaluation run it; the engine's classifier pool runs the
 * same steps batch by batch ({@link judgePrepared}).
 *
 * @module
 */
import type { Classifier, PreparedBatch } from "../classification/classifier.ts";
import type { BatchScorer } from "../classification/worker_scorer.ts";
import { FAILURE_CLASS } from "../classification/error_lexicon.ts";
import type { FeatureFacts } from "../classification/features.ts";
import type { ClassifiedEvent, MinedEvent } from "../event/log_event.ts";
import { detectorInput, type IncidentDetection } from "./incident_detection.ts";

const FAILURE_GROUPS = FAILURE_CLASS.flatMap((failure, i) => (failure ? [i] : []));

/** The first failure-class word the lexicon matched ("" when none). */
export function failureWord(facts: FeatureFacts): string {
  for (const i of FAILURE_GROUPS) if (facts.lexicon[i] !== undefined) return facts.lexicon[i]!;
  return "";
}

/**
 * Labels one prepared event through incident detection.
 * @param event the event; `batch`/`row` its prepared features; `rawScore` its ONNX score.
 */
export function judgePrepared(
  detection: IncidentDetection,
  modelVersion: string,
  event: MinedEvent,
  batch: PreparedBatch,
  row: number,
  rawScore: number,
): ClassifiedEvent {
  const facts = batch.facts[row];
  const verdict = detection.judge(
    detectorInput(
      event,
      { ...facts, failureWord: failureWord(facts) },
      rawScore,
      detection.silence.watermark(event.system),
    ),
  );
  const out: ClassifiedEvent = {
    ...event,
    classification: verdict.classification,
    score: verdict.score,
    reasons: verdict.reasons,
    modelVersion,
  };
  if (verdict.incidentId !== undefined) out.incidentId = verdict.incidentId;
  return out;
}

/**
 * Judges events in order.
 * @param events the mined events.
 * @param classifier supplies features (its online state carries over) and the model version.
 * @param score the ONNX scorer.
 * @param detection the incident detection (its state carries over).
 */
export async function* judgeEvents(
  events: Iterable<MinedEvent>,
  classifier: Classifier,
  score: BatchScorer,
  detection: IncidentDetection,
  batchSize = 256,
): AsyncGenerator<ClassifiedEvent> {
  let batch: MinedEvent[] = [];
  const flush = async function* () {
    const prepared = classifier.prepare(batch);
    const raw = await score(prepared.features.slice(), prepared.rows);
    for (let i = 0; i < batch.length; i++) {
      yield judgePrepared(detection, classifier.meta.modelVersion, batch[i], prepared, i, raw[i]);
    }
    batch = [];
  };
  for (const e of events) {
    batch.push(e);
    if (batch.length >= batchSize) yield* flush();
  }
  if (batch.length > 0) yield* flush();
}
