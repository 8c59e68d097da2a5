/**
 * Persists incident detection across restarts in one folder: `incident_state.json` (detector baselines,
 * unresolved incidents, confirmed templates — rewritten periodically and at stop, like the classifier's online
 * state) and `suppressions.jsonl` (operators' mutes and "not a problem" — an append-only log, one fsynced line
 * per change, because an operator's decision must not be lost to a crash; see `suppression_log.ts`).
 *
 * A missing or unreadable state file is a cold start (logged): baselines are learned again and unresolved
 * incidents reopen with new ids when their episode goes on. A damaged suppressions log is refused at start
 * with a clear error: starting without them would page for what operators silenced; a torn last line (a crash
 * mid-append, never acknowledged) is dropped and logged with its count. A `suppressions.json` of an earlier
 * version is read once into the log, then removed.
 *
 * @module
 */
import { readJsonFile, writeJsonAtomic } from "../classification/json_file.ts";
import type { IncidentDetection, IncidentDetectionSnapshot } from "./incident_detection.ts";
import type { SuppressionBook } from "./suppression_book.ts";
import { type LoadReport, SuppressionLog, type SuppressionLogOptions } from "./suppression_log.ts";

/** Loads and saves incident detection state in one folder. */
export class IncidentStateStore {
  readonly statePath: string;
  /** The suppressions log. */
  readonly suppressionsPath: string;
  /** Where earlier versions kept the suppressions as one JSON document (migrated on load). */
  readonly legacySuppressionsPath: string;
  readonly #log: SuppressionLog;

  /**
   * @param dir the folder, e.g. `.vigil/classifier`.
   * @param logOptions when the suppressions log is compacted.
   */
  constructor(dir: string, logOptions: SuppressionLogOptions = {}) {
    if (typeof dir !== "string" || dir.length === 0) {
      throw new TypeError("Cannot create IncidentStateStore as dir must be a non-empty string");
    }
    this.statePath = `${dir}/incident_state.json`;
    this.suppressionsPath = `${dir}/suppressions.jsonl`;
    this.legacySuppressionsPath = `${dir}/suppressions.json`;
    this.#log = new SuppressionLog(this.suppressionsPath, logOptions);
  }

  /** The suppressions log (its size and the bytes appended, for tests and status). */
  get suppressionLog(): SuppressionLog {
    return this.#log;
  }

  /**
   * Restores saved state and suppressions into `detection`.
   * @returns what the suppressions log held
   * @throws {Error} when the suppressions log (or a legacy file) exists but is damaged.
   */
  async load(
    detection: IncidentDetection,
    log: (message: string) => void = console.warn,
  ): Promise<LoadReport> {
    try {
      const raw = await readJsonFile(this.statePath);
      if (raw !== undefined) detection.restore(raw as IncidentDetectionSnapshot);
    } catch (e) {
      log(`incidents: state ${this.statePath} is unreadable (${(e as Error).message}): starting cold`);
    }
    let legacy: unknown;
    try {
      legacy = await readJsonFile(this.legacySuppressionsPath);
    } catch (cause) {
      throw new Error(
        `Cannot load suppressions from ${this.legacySuppressionsPath}: ${(cause as Error).message}`,
        { cause },
      );
    }
    const report = await this.#log.load(detection.book, legacy);
    // The log now holds what the legacy file did (load compacted it): the old file would only mislead.
    if (legacy !== undefined) await Deno.remove(this.legacySuppressionsPath).catch(() => {});
    if (report.skipped > 0) {
      log(`incidents: ${report.skipped} invalid suppression(s) in ${this.suppressionsPath} skipped`);
    }
    if (report.tornTail > 0) {
      log(
        `incidents: ${report.tornTail} torn last line of ${this.suppressionsPath} dropped (a crash mid-append; that action was never acknowledged)`,
      );
    }
    return report;
  }

  /** Saves detection state atomically. */
  saveState(detection: IncidentDetection): Promise<void> {
    return writeJsonAtomic(this.statePath, detection.toJSON());
  }

  /**
   * Rewrites the suppressions log as the live book (at a clean stop: it also keeps their `silenced` counts,
   * which appends do not carry).
   */
  compactSuppressions(book: SuppressionBook): Promise<void> {
    return this.#log.compact(book);
  }

  /** Appends what changed in the suppressions to their log (fsynced); compacts it when it has grown. */
  saveSuppressions(book: SuppressionBook): Promise<void> {
    return this.#log.save(book);
  }
}
