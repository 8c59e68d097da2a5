/**
 * Operators' feedback shared by the engines of one consumer group, through the hot tier. Each engine applies
 * feedback only to the events of its own partitions, so without this a mute taken on one engine's dashboard
 * would leave the others paging for the same template.
 *
 * - **Publish**: after an action changed feedback (`IncidentDetectionOptions.onFeedback`) — and after the
 *   engine's own log (`suppressions.jsonl`) holds it — its documents are written to `<prefix>-feedback`
 *   before the action answers, bounded by `publishTimeoutMs`. A write that fails or times out stays in a
 *   bounded outbox and is written again at each merge; the action still answers (the local log already holds
 *   it, and this engine applies it).
 * - **Merge**: at start and every `intervalMs` (the period of incident adoption) the engine reads the index
 *   and merges it into its book (`mergeSharedFeedback`): others' suppressions are added, tombstones remove
 *   (an undo on any engine lifts the mute everywhere), confirmations apply; what changed is appended to the
 *   engine's own log, so an engine that later cannot reach the hot tier keeps applying what it learnt. Live
 *   suppressions the index lacks are written again (anti-entropy).
 *
 * The hot tier unreachable: actions answer after at most `publishTimeoutMs`, merges fail (counted, logged once
 * per outage) without touching the book, and no event waits on any of it — merges run on a timer beside the
 * data path. Limitation: a removal made while the hot tier is unreachable lives in this process's outbox
 * only; if the engine stops before the hot tier comes back, the others keep that suppression until it expires.
 *
 * @module
 */
import type { Logger } from "../engine/logger.ts";
import type { FeedbackChange } from "../lib/incidents/feedback_change.ts";
import type { IncidentDetection } from "../lib/incidents/incident_detection.ts";
import {
  feedbackDocs,
  liveSuppressionDoc,
  type MergeReport,
  mergeSharedFeedback,
  type SharedFeedback,
} from "../lib/incidents/shared_feedback.ts";
import type { FeedbackStore } from "./hot_sink/feedback_store.ts";

/** Options of {@link FeedbackSync}. */
export interface FeedbackSyncOptions {
  store: FeedbackStore;
  detection: IncidentDetection;
  /** Appends the book's changes to the engine's own log after a merge changed it. Default: none. */
  persist?: () => Promise<void>;
  logger: Logger;
  /** Merge period, ms. Default 15 000 (as incident adoption). */
  intervalMs?: number;
  /** Longest an action waits for its publication, ms. Default 5 000. */
  publishTimeoutMs?: number;
  /** Most documents kept for a later write while the hot tier refuses them. Default 10 000. */
  outboxCapacity?: number;
  /** Wall clock (expiry, versions of confirmations). Default `Date.now`. */
  now?: () => number;
}

/** Counters of a {@link FeedbackSync}. */
export interface FeedbackSyncMetrics {
  /** Documents the hot tier stored (or already held newer). */
  published: number;
  /** Documents waiting in the outbox. */
  pending: number;
  /** Documents dropped from a full outbox. */
  dropped: number;
  merges: number;
  mergeFailures: number;
  /** Malformed documents met in the index (per read, summed). */
  skipped: number;
  /** Others' suppressions added, tombstones applied, confirmations applied, expired not merged (summed). */
  added: number;
  removed: number;
  confirmed: number;
  expired: number;
  lastError?: string;
}

/** Shares operators' feedback through the hot tier (see module doc). */
export class FeedbackSync {
  readonly intervalMs: number;
  readonly #o: Required<Omit<FeedbackSyncOptions, "persist">> & Pick<FeedbackSyncOptions, "persist">;
  readonly #outbox = new Map<string, SharedFeedback>();
  readonly #metrics: FeedbackSyncMetrics = {
    published: 0,
    pending: 0,
    dropped: 0,
    merges: 0,
    mergeFailures: 0,
    skipped: 0,
    added: 0,
    removed: 0,
    confirmed: 0,
    expired: 0,
  };
  #indexReady = false;
  #merging: Promise<MergeReport | undefined> | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;
  #failing = false;

  /** @throws {RangeError} when a period, timeout or capacity is not a positive integer */
  constructor(options: FeedbackSyncOptions) {
    const o = {
      intervalMs: 15_000,
      publishTimeoutMs: 5_000,
      outboxCapacity: 10_000,
      now: Date.now,
      ...options,
    };
    for (const name of ["intervalMs", "publishTimeoutMs", "outboxCapacity"] as const) {
      if (!Number.isInteger(o[name]) || o[name] < 1) {
        throw new RangeError(
          `Cannot create FeedbackSync as ${name} must be a positive integer: current value is ${o[name]}`,
        );
      }
    }
    this.#o = o;
    this.intervalMs = o.intervalMs;
  }

  /** A snapshot of the counters. */
  get metrics(): FeedbackSyncMetrics {
    return { ...this.#metrics, pending: this.#outbox.size };
  }

  /** The counters as Prometheus text (`vigil_feedback_*`), appended to the engine's `/metrics`. */
  prometheusText(): string {
    const m = this.metrics;
    const metric = (name: string, type: "counter" | "gauge", help: string, value: number) =>
      `# HELP ${name} ${help}\n# TYPE ${name} ${type}\n${name} ${value}`;
    return [
      metric(
        "vigil_feedback_published_total",
        "counter",
        "Feedback documents stored in <prefix>-feedback.",
        m.published,
      ),
      metric(
        "vigil_feedback_pending",
        "gauge",
        "Feedback documents waiting for the hot tier (outbox).",
        m.pending,
      ),
      metric(
        "vigil_feedback_dropped_total",
        "counter",
        "Feedback documents dropped from a full outbox.",
        m.dropped,
      ),
      metric("vigil_feedback_merges_total", "counter", "Merges of the shared feedback tried.", m.merges),
      metric(
        "vigil_feedback_merge_failures_total",
        "counter",
        "Merges that could not read the hot tier.",
        m.mergeFailures,
      ),
      metric(
        "vigil_feedback_skipped_total",
        "counter",
        "Malformed feedback documents skipped, per read.",
        m.skipped,
      ),
      metric(
        "vigil_feedback_merged_suppressions_total",
        "counter",
        "Other engines' suppressions added.",
        m.added,
      ),
      metric(
        "vigil_feedback_merged_removals_total",
        "counter",
        "Suppressions removed by a tombstone.",
        m.removed,
      ),
    ].join("\n") + "\n";
  }

  /** Merges once, then every `intervalMs` until {@link stop}. Never throws. */
  async start(): Promise<void> {
    await this.merge();
    if (this.#timer !== undefined) return;
    const timer = setInterval(() => void this.merge(), this.intervalMs);
    Deno.unrefTimer(timer);
    this.#timer = timer;
  }

  /** Stops merging; waits for a merge in flight, at most `publishTimeoutMs` (a hung cluster never holds a stop). */
  async stop(): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<void>((resolve) => timer = setTimeout(resolve, this.#o.publishTimeoutMs));
    try {
      await Promise.race([this.#merging, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Writes one action's change (see module doc); resolves within `publishTimeoutMs` whatever the hot tier
   * does, and never throws: what was not stored waits in the outbox for the next merge.
   */
  async publish(change: FeedbackChange): Promise<void> {
    const docs = feedbackDocs(change, this.#o.now());
    for (const d of docs) this.#enqueue(d);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<void>((resolve) => timer = setTimeout(resolve, this.#o.publishTimeoutMs));
    try {
      await Promise.race([this.#flush(docs), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Writes the outbox, reads the index and merges it into the book (see module doc). Never throws; a merge
   * already running is shared.
   * @returns what the merge did, `undefined` when the hot tier could not be read
   */
  merge(): Promise<MergeReport | undefined> {
    this.#merging ??= this.#mergeOnce().finally(() => this.#merging = undefined);
    return this.#merging;
  }

  async #mergeOnce(): Promise<MergeReport | undefined> {
    this.#metrics.merges++;
    try {
      await this.#flush([...this.#outbox.values()]);
      await this.#ensureIndex();
      const { docs, skipped } = await this.#o.store.read(this.#o.now());
      this.#metrics.skipped += skipped;
      if (skipped > 0) this.#o.logger.warn(`feedback: ${skipped} malformed document(s) skipped`);
      const report = mergeSharedFeedback(this.#o.detection, docs, this.#o.now());
      this.#metrics.added += report.added;
      this.#metrics.removed += report.removed;
      this.#metrics.confirmed += report.confirmed;
      this.#metrics.expired += report.expired;
      if (report.added > 0 || report.removed > 0) await this.#o.persist?.();
      if (report.missing.length > 0) {
        const again = report.missing.map(liveSuppressionDoc);
        for (const d of again) this.#enqueue(d);
        await this.#flush(again);
      }
      if (this.#failing) this.#o.logger.info("feedback: the hot tier answers again");
      this.#failing = false;
      return report;
    } catch (error) {
      this.#metrics.mergeFailures++;
      this.#metrics.lastError = String((error as Error)?.message ?? error);
      if (!this.#failing) {
        this.#o.logger.warn("feedback: could not merge the shared feedback (kept the local suppressions)", {
          error: this.#metrics.lastError,
        });
      }
      this.#failing = true;
      return undefined;
    }
  }

  async #ensureIndex(): Promise<void> {
    if (this.#indexReady) return;
    await this.#o.store.ensureIndex();
    this.#indexReady = true;
  }

  /** Writes `docs` (each in the outbox); removes from the outbox what was stored. Never throws. */
  async #flush(docs: readonly SharedFeedback[]): Promise<void> {
    if (docs.length === 0) return;
    try {
      await this.#ensureIndex();
      const result = await this.#o.store.write(docs);
      const failed = new Set(result.failed);
      for (const d of docs) {
        // A newer change of the same document may have replaced it in the outbox meanwhile: keep that one.
        if (!failed.has(d) && this.#outbox.get(d.id) === d) this.#outbox.delete(d.id);
      }
      this.#metrics.published += result.stored;
      if (result.error !== undefined) this.#metrics.lastError = result.error;
    } catch (error) {
      this.#metrics.lastError = String((error as Error)?.message ?? error);
    }
  }

  #enqueue(d: SharedFeedback): void {
    const held = this.#outbox.get(d.id);
    if (held !== undefined && held.updatedMs > d.updatedMs) return;
    this.#outbox.delete(d.id);
    if (this.#outbox.size >= this.#o.outboxCapacity) {
      this.#outbox.delete(this.#outbox.keys().next().value as string);
      this.#metrics.dropped++;
    }
    this.#outbox.set(d.id, d);
  }
}
