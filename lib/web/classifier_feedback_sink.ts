/**
 * Adapts the classifier's feedback API (`Classifier.recordFeedback` / the classifier pool's equivalent) to the
 * dashboard's {@link FeedbackSink}, optionally also keeping every label in a durable sink (e.g.
 * {@link JsonlFeedbackSink}) so they survive restarts and can feed retraining.
 *
 * @module
 */
import type { FeedbackInput } from "../classification/classifier.ts";
import type { AlertFeedback, FeedbackSink } from "./web_deps.ts";

/** Anything with the classifier's `recordFeedback`. */
export interface FeedbackTarget {
  recordFeedback(input: FeedbackInput): void | Promise<void>;
}

/** Maps a dashboard label to the classifier's input. */
export function toFeedbackInput(feedback: AlertFeedback): FeedbackInput {
  return {
    templateId: feedback.templateId,
    label: feedback.label,
    score: feedback.score,
    eventId: feedback.eventId,
  };
}

/**
 * Creates a sink that teaches the classifier and, when given, records to `durable` first.
 *
 * @example
 * ```ts ignore
 * createWebApp({ hot, live, feedback: classifierFeedbackSink(pool, new JsonlFeedbackSink(".vigil/feedback.jsonl")) });
 * ```
 */
export function classifierFeedbackSink(target: FeedbackTarget, durable?: FeedbackSink): FeedbackSink {
  return {
    async record(feedback: AlertFeedback): Promise<void> {
      if (!feedback.templateId) {
        throw new RangeError(
          "Cannot record feedback as templateId is empty: the classifier learns per template",
        );
      }
      if (durable) await durable.record(feedback);
      await target.recordFeedback(toFeedbackInput(feedback));
    },
  };
}
