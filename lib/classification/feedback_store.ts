/**
 * Persists operator feedback ({@link FeedbackLearner}: template overrides and the online head) as one JSON file.
 *
 * @module
 */
import { FeedbackLearner } from "./feedback_learner.ts";
import { readJsonFile, writeJsonAtomic } from "./json_file.ts";

/** Loads and saves feedback at one path. */
export class FeedbackStore {
  /** @param path the JSON file, e.g. `.vigil/classifier/feedback.json`. */
  constructor(readonly path: string) {
    if (typeof path !== "string" || path.length === 0) {
      throw new TypeError("Cannot create FeedbackStore as path must be a non-empty string");
    }
  }

  /**
   * Loads saved feedback (none when the file does not exist).
   * @throws {Error} when the file exists but is not a feedback state: operator labels are not dropped silently.
   */
  async load(): Promise<FeedbackLearner> {
    let raw: unknown;
    try {
      raw = await readJsonFile(this.path);
    } catch (cause) {
      throw new Error(`Cannot load operator feedback from ${this.path}: ${(cause as Error).message}`, {
        cause,
      });
    }
    if (raw === undefined) return new FeedbackLearner();
    try {
      return FeedbackLearner.fromJSON(raw);
    } catch (cause) {
      throw new Error(`Cannot load operator feedback from ${this.path}: ${(cause as Error).message}`, {
        cause,
      });
    }
  }

  /** Saves atomically. */
  save(learner: FeedbackLearner): Promise<void> {
    return writeJsonAtomic(this.path, learner.toJSON());
  }
}
