/**
 * Persists incident detection across restarts as two JSON files in one folder: `incident_state.json`
 * (detector baselines, unresolved incidents, confirmed templates — written periodically and at stop, like the
 * classifier's online state) and `suppressions.json` (operators' mutes and "not a problem" — written on every
 * change, because an operator's decision must not be lost to a crash).
 *
 * A missing or unreadable state file is a cold start (logged): baselines are learned again and unresolved
 * incidents reopen with new ids when their episode goes on. An unreadable suppressions file is refused at start
 * with a clear error: starting without them would page for what operators silenced.
 *
 * @module
 */
import { readJsonFile, writeJsonAtomic } from "../classification/json_file.ts";
import type { IncidentDetection, IncidentDetectionSnapshot } from "./incident_detection.ts";
import type { SuppressionBook } from "./suppression_book.ts";

/** Loads and saves incident detection state in one folder. */
export class IncidentStateStore {
  readonly statePath: string;
  readonly suppressionsPath: string;

  /** @param dir the folder, e.g. `.vigil/classifier`. */
  constructor(dir: string) {
    if (typeof dir !== "string" || dir.length === 0) {
      throw new TypeError("Cannot create IncidentStateStore as dir must be a non-empty string");
    }
    this.statePath = `${dir}/incident_state.json`;
    this.suppressionsPath = `${dir}/suppressions.json`;
  }

  /**
   * Restores saved state and suppressions into `detection`.
   * @throws {Error} when the suppressions file exists but cannot be read.
   */
  async load(detection: IncidentDetection, log: (message: string) => void = console.warn): Promise<void> {
    try {
      const raw = await readJsonFile(this.statePath);
      if (raw !== undefined) detection.restore(raw as IncidentDetectionSnapshot);
    } catch (e) {
      log(`incidents: state ${this.statePath} is unreadable (${(e as Error).message}): starting cold`);
    }
    let raw: unknown;
    try {
      raw = await readJsonFile(this.suppressionsPath);
    } catch (cause) {
      throw new Error(`Cannot load suppressions from ${this.suppressionsPath}: ${(cause as Error).message}`, {
        cause,
      });
    }
    if (raw === undefined) return;
    const skipped = detection.book.restore(raw);
    if (skipped > 0) log(`incidents: ${skipped} invalid suppression(s) in ${this.suppressionsPath} skipped`);
  }

  /** Saves detection state atomically. */
  saveState(detection: IncidentDetection): Promise<void> {
    return writeJsonAtomic(this.statePath, detection.toJSON());
  }

  /** Saves suppressions atomically. */
  saveSuppressions(book: SuppressionBook): Promise<void> {
    return writeJsonAtomic(this.suppressionsPath, book.toJSON());
  }
}
