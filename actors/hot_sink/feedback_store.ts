/**
 * The hot-tier side of shared operator feedback: the index `<prefix>-feedback`, one document per suppression
 * (live or a tombstone) and per confirmed template (`lib/incidents/shared_feedback.ts` defines them and their
 * external versions). The only I/O of `actors/feedback_sync.ts`.
 *
 * Writes are one bulk request with `version_type: external`: a 409 version conflict means the index already
 * holds that version or a newer one (a removal newer than a re-published live copy), which is the write's
 * success. A write is acknowledged by the cluster once it is in its translog (fsynced per request by default),
 * so an acknowledged action survives a cluster restart.
 *
 * @module
 */
import { parseSharedFeedback, type SharedFeedback } from "../../lib/incidents/shared_feedback.ts";
import { type HotService, HotServiceError } from "./service.ts";

/** Name of the feedback index. */
export function feedbackIndex(prefix: string): string {
  return `${prefix}-feedback`;
}

/**
 * Mapping of feedback documents. `dynamic: false`: the suppression itself is kept in `_source` only; the fields
 * searched or sorted on are declared.
 */
export function feedbackMappings(): Record<string, unknown> {
  const keyword = { type: "keyword" };
  return {
    dynamic: false,
    properties: {
      kind: keyword,
      id: keyword,
      updatedMs: { type: "long" },
      expiresMs: { type: "long" },
      removedTs: keyword,
      system: keyword,
      templateId: keyword,
      suppression: { type: "object", enabled: false },
    },
  };
}

/** What {@link FeedbackStore.write} did. */
export interface FeedbackWriteResult {
  /** Documents stored, or already held at that version or a newer one. */
  stored: number;
  /** Documents the cluster did not store (no answer, or an item error other than a version conflict). */
  failed: SharedFeedback[];
  /** The first failure's reason. */
  error?: string;
}

/** What {@link FeedbackStore.read} found. */
export interface FeedbackReadResult {
  docs: SharedFeedback[];
  /** Documents that are not valid feedback (skipped). */
  skipped: number;
}

/** Most documents one read returns (the suppressions book holds at most 10 000). */
export const FEEDBACK_READ_SIZE = 10_000;

/** Reads and writes the feedback index (see module doc). */
export class FeedbackStore {
  readonly index: string;
  readonly #service: HotService;
  readonly #timeoutMs: number;

  /**
   * @param service the hot tier
   * @param indexPrefix the hot tier's index prefix
   * @param timeoutMs bound of one write request, ms. Default 5 000.
   * @throws {RangeError} when timeoutMs is not a positive integer
   */
  constructor(service: HotService, indexPrefix: string, timeoutMs = 5_000) {
    if (!Number.isInteger(timeoutMs) || timeoutMs < 1) {
      throw new RangeError(
        `Cannot create FeedbackStore as timeoutMs must be a positive integer: current value is ${timeoutMs}`,
      );
    }
    this.index = feedbackIndex(indexPrefix);
    this.#service = service;
    this.#timeoutMs = timeoutMs;
  }

  /**
   * Creates the index with its mapping unless it exists.
   * @throws {HotServiceError} when the cluster refuses or does not answer
   */
  async ensureIndex(): Promise<void> {
    try {
      await this.#service.manage("PUT", `/${encodeURIComponent(this.index)}`, {
        settings: { number_of_shards: 1, number_of_replicas: 0, refresh_interval: "1s" },
        mappings: feedbackMappings(),
      });
    } catch (err) {
      // Another engine (or an earlier run) created it.
      if (err instanceof HotServiceError && /resource_already_exists/.test(err.message)) return;
      throw err;
    }
  }

  /** Writes documents with their external versions (see module doc); never throws. */
  async write(docs: readonly SharedFeedback[]): Promise<FeedbackWriteResult> {
    if (docs.length === 0) return { stored: 0, failed: [] };
    const body = docs.map((d) =>
      `${
        JSON.stringify({
          index: { _index: this.index, _id: d.id, version: d.updatedMs, version_type: "external" },
        })
      }\n${JSON.stringify(d)}\n`
    ).join("");
    const res = await this.#service.bulk(body, { refresh: false, timeoutMs: this.#timeoutMs });
    if (res.statusCode < 200 || res.statusCode >= 300) {
      return {
        stored: 0,
        failed: [...docs],
        error: res.error ?? `status ${res.statusCode}: ${JSON.stringify(res.body).slice(0, 300)}`,
      };
    }
    const items = (res.body as { items?: { index?: { status?: number; error?: { type?: string } } }[] })
      ?.items ?? [];
    const failed: SharedFeedback[] = [];
    let error: string | undefined;
    docs.forEach((d, i) => {
      const item = items[i]?.index;
      const status = item?.status ?? 0;
      const ok = (status >= 200 && status < 300) ||
        (status === 409 && item?.error?.type === "version_conflict_engine_exception");
      if (!ok) {
        failed.push(d);
        error ??= `status ${status}: ${JSON.stringify(item?.error ?? "no item").slice(0, 300)}`;
      }
    });
    return { stored: docs.length - failed.length, failed, ...(error === undefined ? {} : { error }) };
  }

  /**
   * The feedback in force at `nowMs`, validated (newest first, at most {@link FEEDBACK_READ_SIZE}): every
   * confirmation, and the suppressions — live or tombstones — not yet expired. The index keeps every action
   * ever taken; what expired decides nothing (an expired suppression silences nothing, on any engine), so the
   * read stays as small as the feedback in force.
   * @throws {HotServiceError} when the cluster answers with an error or not at all
   */
  async read(nowMs: number = Date.now()): Promise<FeedbackReadResult> {
    const sources = await this.#service.search(this.index, {
      size: FEEDBACK_READ_SIZE,
      query: {
        bool: {
          should: [
            { term: { kind: "confirmation" } },
            { term: { expiresMs: 0 } },
            { range: { expiresMs: { gt: Math.floor(nowMs) } } },
          ],
          minimum_should_match: 1,
        },
      },
      sort: [{ updatedMs: "desc" }],
    });
    const docs: SharedFeedback[] = [];
    let skipped = 0;
    for (const s of sources) {
      const doc = parseSharedFeedback(s);
      if (doc === undefined) skipped++;
      else docs.push(doc);
    }
    return { docs, skipped };
  }
}
