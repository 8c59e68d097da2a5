/**
 * HotSink: writes classified events to OpenSearch / Elasticsearch with idempotent bulk requests and
 * acknowledges each record once it is durable (or dead-lettered with the reason). A record that carries
 * incidents is durable once its event and the newest version of each of its incidents are stored.
 *
 * Wiring: config (options) → request builder (bulk operations) → service (HTTP) → retry logic (per item).
 * While the cluster is down the sink keeps retrying and does not acknowledge: the caller's mailbox fills and
 * the source pauses; when the cluster returns, the backlog drains. Nothing is dropped.
 *
 * @module
 */
import { type Incident, IncidentSchema } from "../../lib/incidents/incident.ts";
import { requestRetryOptions, retry, RetryError, type RetryOptions } from "../../lib/timing/retry.ts";
import type { DeadLetterRecord, DeadLetterWriter } from "../dead_letter_record.ts";
import { DeadLetterBlockedError, type DeadLetterOutbox, deadLetterOutboxOf } from "../dead_letter_outbox.ts";
import { type DeliveryAck, type DeliveryRecord, estimateRecordBytes } from "../delivery_record.ts";
import { type HotSinkConfig, type HotSinkOptions, resolveHotSinkConfig } from "./config.ts";
import { HotRetention, type RetentionMode } from "./hot_retention.ts";
import { indexTemplates } from "./index_templates.ts";
import {
  buildBulkOps,
  bulkBody,
  type BulkOp,
  encodeDocument,
  incidentsIndex,
  templateOps,
  templatesIndex,
} from "./request_builder.ts";
import { TemplateStats } from "./template_stats.ts";
import { decideBulk } from "./retry_logic.ts";
import { createHotService, type HotService } from "./service.ts";
import { jsonLogger, type Logger } from "../../engine/logger.ts";

/** Collaborators of the hot sink. */
export interface HotSinkDeps {
  /** Where rejected documents go (required: rejections are never dropped). */
  deadLetters: DeadLetterWriter;
  /** The cluster; default: a client built from the options. */
  service?: HotService;
  /** Uniform random source for jitter. Default `Math.random`. */
  random?: () => number;
  /** Told of each notable event (outage, recovery, rejection, retention). Default: JSON lines on stderr. */
  logger?: Logger;
  /**
   * How often the template registry gets the statistics gathered since the last flush (one upsert per
   * template, see `template_stats.ts`); also flushed when the sink closes. Default {@link TEMPLATE_FLUSH_MS}.
   */
  templateFlushMs?: number;
}

/** Default interval of the template registry's flush, ms. */
export const TEMPLATE_FLUSH_MS = 5_000;

/** Counters and health of the hot sink. */
export interface HotSinkMetrics {
  /** Records stored in the hot tier. */
  delivered: number;
  /** Records rejected by the cluster and dead-lettered. */
  rejected: number;
  /**
   * Records still being retried when their write's `retryMaxDurationMs` ran out (counted once each; they are
   * retried on until stored — overdue, never given up).
   */
  retryingOverdue: number;
  /** Operations sent again after a transient failure. */
  retries: number;
  /** Bulk requests of events (and incidents) sent. */
  bulkRequests: number;
  /** Bulk requests of the template registry sent (see {@link HotSink.flushTemplates}). */
  templateFlushes: number;
  /** Template-registry upserts that failed for good (the events themselves were stored). */
  templateErrors: number;
  /** False while the cluster is failing requests. */
  healthy: boolean;
  /** Last failure seen, if any. */
  lastError?: string;
  /** How daily event indices expire (`ism`, `ilm`, the sink's own `sweep`, `off`), after `retentionDays`. */
  retention?: { mode: RetentionMode; days: number; swept: number };
}

/** Raised when the sink was aborted before the records were durable: they are not acknowledged. */
export class HotSinkClosedError extends Error {
  override name = "HotSinkClosedError";
}

/** Writes delivery records to the hot tier; see the module doc. */
export class HotSink {
  readonly config: HotSinkConfig;
  #service: HotService;
  #random: () => number;
  /** Backoff of every retry of this sink; its abort ends them with a {@link HotSinkClosedError}. */
  #retry: RetryOptions;
  #logger: Logger;
  #metrics: HotSinkMetrics = {
    delivered: 0,
    rejected: 0,
    retryingOverdue: 0,
    retries: 0,
    bulkRequests: 0,
    templateFlushes: 0,
    templateErrors: 0,
    healthy: true,
  };
  /** Writes in flight, which {@link HotSink.close} waits for. */
  #writing = new Set<Promise<unknown>>();
  #abort = new AbortController();
  #deadLetters: DeadLetterOutbox;
  #retention: HotRetention;
  #sweepTimer: ReturnType<typeof setInterval> | undefined;
  /** Template registry statistics of the records stored since the last flush. */
  #templates = new TemplateStats();
  #templateTimer: ReturnType<typeof setInterval> | undefined;
  #templateFlushMs: number;
  /** The flush in progress, if any (one at a time). */
  #templateFlush: Promise<void> | undefined;

  /**
   * @param options cluster, batching and retry options (see {@link HotSinkOptions}) plus collaborators
   * @throws {RangeError | TypeError} when an option is invalid
   */
  constructor(options: HotSinkOptions & HotSinkDeps) {
    if (typeof options?.deadLetters?.write !== "function") {
      throw new TypeError(
        "Cannot create HotSink as deadLetters must be a DeadLetterWriter: current value is missing",
      );
    }
    this.config = resolveHotSinkConfig(options);
    this.#service = options.service ?? createHotService(this.config);
    this.#random = options.random ?? Math.random;
    this.#retry = requestRetryOptions(this.config, this.#random, this.#abort.signal);
    this.#logger = options.logger ?? jsonLogger("info", { component: "hot_sink" });
    this.#templateFlushMs = options.templateFlushMs ?? TEMPLATE_FLUSH_MS;
    if (!Number.isInteger(this.#templateFlushMs) || this.#templateFlushMs <= 0) {
      throw new RangeError(
        `Cannot create HotSink as templateFlushMs must be a positive integer: current value is ${this.#templateFlushMs}`,
      );
    }
    this.#deadLetters = deadLetterOutboxOf(options.deadLetters, {
      logger: this.#logger,
      random: this.#random,
    });
    this.#retention = new HotRetention({
      service: this.#service,
      indexPrefix: this.config.indexPrefix,
      kind: this.config.kind,
      days: this.config.retentionDays,
    });
  }

  /** A snapshot of the counters. */
  get metrics(): HotSinkMetrics {
    const retention = this.#metrics.retention;
    return { ...this.#metrics, ...(retention ? { retention: { ...retention } } : {}) };
  }

  /**
   * Installs the index templates and creates the template registry and incidents indices; retries while the cluster is
   * unreachable, up to `retryMaxDurationMs`.
   *
   * @throws {HotServiceError} when the cluster rejects a template or stays unreachable
   */
  /**
   * The unresolved incidents stored in `<prefix>-incidents` (most recently updated first, at most `size`),
   * validated; documents that do not parse as incidents are skipped. What an engine adopts at start and
   * periodically, so it continues the incidents another engine (or its own previous life) opened.
   * @throws {HotServiceError} when the cluster answers with an error.
   */
  async openIncidents(size = 2_000): Promise<Incident[]> {
    const sources = await this.#service.search(incidentsIndex(this.config.indexPrefix), {
      size,
      query: { bool: { must_not: [{ term: { status: "resolved" } }] } },
      sort: [{ lastTs: "desc" }],
    });
    const out: Incident[] = [];
    for (const s of sources) {
      const r = IncidentSchema.safeParse(s);
      if (r.success) out.push(r.data);
    }
    return out;
  }

  async start(): Promise<void> {
    await retry(async () => {
      for (const t of indexTemplates(this.config.indexPrefix, this.config.kind, this.config.retentionDays)) {
        await this.#service.putIndexTemplate(t);
      }
      await this.#service.createIndex(templatesIndex(this.config.indexPrefix));
      // Created up front so the dashboard's incident queries find an (empty) index before the first one.
      await this.#service.createIndex(incidentsIndex(this.config.indexPrefix));
      const mode = await this.#retention.install();
      this.#metrics.retention = { mode, days: this.config.retentionDays, swept: 0 };
    }, {
      ...this.#retry,
      maxDurationMs: this.config.retryMaxDurationMs,
      isRetriable: (err) => {
        const status = (err as { statusCode?: number }).statusCode ?? 0;
        return status === 0 || status === 429 || status >= 500;
      },
    }).catch((err) => {
      throw err instanceof RetryError ? err.cause : err;
    });
    if (this.#templateTimer === undefined) {
      this.#templateTimer = setInterval(() => void this.flushTemplates(), this.#templateFlushMs);
      Deno.unrefTimer(this.#templateTimer);
    }
    if (this.#metrics.retention?.mode === "sweep" && this.#sweepTimer === undefined) {
      this.#logger.info(
        `the cluster has no ISM plugin: the sink deletes event indices older than ${this.config.retentionDays} days itself`,
      );
      await this.sweepExpired();
      this.#sweepTimer = setInterval(() => void this.sweepExpired(), this.config.retentionSweepMs);
      Deno.unrefTimer(this.#sweepTimer);
    }
  }

  /**
   * Deletes the daily event indices created more than `retentionDays` ago (what ISM / ILM do where the
   * cluster has them; run on a timer in the `sweep` mode). A failure is logged, never thrown: retention is
   * tried again on the next tick.
   *
   * @returns the indices deleted
   */
  async sweepExpired(): Promise<string[]> {
    try {
      const deleted = await this.#retention.sweep();
      if (deleted.length > 0) {
        if (this.#metrics.retention) this.#metrics.retention.swept += deleted.length;
        this.#logger.info(
          `retention: deleted ${deleted.length} expired event indices: ${deleted.join(", ")}`,
        );
      }
      return deleted;
    } catch (err) {
      this.#logger.warn(`retention sweep failed, tried again later: ${(err as Error).message}`);
      return [];
    }
  }

  /**
   * Writes the template registry statistics gathered since the last flush: one upsert per template, in one
   * bulk request (run every `templateFlushMs` after {@link HotSink.start}, and by {@link HotSink.close}). What
   * the cluster could not store this time is kept for the next flush; what it rejects is counted in
   * `templateErrors` and logged. Never throws: no event waits on the registry.
   */
  flushTemplates(): Promise<void> {
    this.#templateFlush ??= this.#flushTemplatesOnce().finally(() => this.#templateFlush = undefined);
    return this.#templateFlush;
  }

  async #flushTemplatesOnce(): Promise<void> {
    if (this.#templates.size === 0 || this.#abort.signal.aborted) return;
    const stats = this.#templates.take();
    const ops = templateOps(stats, this.config.indexPrefix);
    try {
      this.#metrics.templateFlushes++;
      const response = await this.#service.bulk(bulkBody(ops), {
        refresh: false,
        timeoutMs: this.config.requestTimeoutMs,
      });
      const again = decideBulk(ops.length, response, () => false).flatMap((d, i) => {
        if (d.action === "retry") return [stats[i]];
        if (d.action === "reject") {
          this.#metrics.templateErrors++;
          this.#logger.warn(`template registry upsert rejected: ${d.reason}`);
        }
        return [];
      });
      this.#templates.restore(again);
    } catch (err) {
      // The cluster is away: keep the counts for the next flush (the event writes report the outage).
      this.#templates.restore(stats);
      this.#metrics.lastError = `template registry flush failed: ${(err as Error).message}`;
    }
  }

  /**
   * Writes records (in bulk requests of at most `maxEvents` / `maxBytes`) and resolves with one
   * acknowledgement per record once each is stored or dead-lettered. Keeps retrying through outages.
   *
   * @throws {HotSinkClosedError} when {@link HotSink.abort} is called first (no record of the unfinished
   *   requests is acknowledged)
   */
  write(records: readonly DeliveryRecord[]): Promise<DeliveryAck[]> {
    if (this.#abort.signal.aborted) return Promise.reject(new HotSinkClosedError("HotSink is closed"));
    const writing = (async () => {
      const acks: DeliveryAck[] = [];
      for (const chunk of this.#chunks(records)) acks.push(...await this.#writeChunk(chunk));
      return acks;
    })();
    this.#writing.add(writing);
    const forget = () => this.#writing.delete(writing);
    writing.then(forget, forget);
    return writing;
  }

  /**
   * Waits for the writes in flight, then closes the client. If they do not finish within `deadlineMs` (the
   * cluster is down), the sink is aborted: their records stay unacknowledged and Kafka redelivers them.
   */
  async close(deadlineMs = 30_000): Promise<void> {
    const timer = setTimeout(() => this.abort(), deadlineMs);
    try {
      await Promise.allSettled(this.#writing);
      // The last statistics, unless the deadline passes first (a cluster that is down holds the request).
      const aborted = new Promise<void>((resolve) => {
        if (this.#abort.signal.aborted) resolve();
        this.#abort.signal.addEventListener("abort", () => resolve(), { once: true });
      });
      await Promise.race([this.flushTemplates(), aborted]);
    } finally {
      clearTimeout(timer);
      this.abort();
      await this.#service.close().catch(() => {});
    }
  }

  /** Stops every retry loop now; pending writes reject with {@link HotSinkClosedError}. */
  abort(): void {
    clearInterval(this.#sweepTimer);
    clearInterval(this.#templateTimer);
    this.#abort.abort(new HotSinkClosedError("HotSink aborted before the records were stored"));
  }

  *#chunks(records: readonly DeliveryRecord[]): Generator<DeliveryRecord[]> {
    let chunk: DeliveryRecord[] = [];
    let bytes = 0;
    for (const r of records) {
      const size = estimateRecordBytes(r);
      if (
        chunk.length > 0 && (chunk.length >= this.config.maxEvents || bytes + size > this.config.maxBytes)
      ) {
        yield chunk;
        chunk = [];
        bytes = 0;
      }
      chunk.push(r);
      bytes += size;
    }
    if (chunk.length > 0) yield chunk;
  }

  async #writeChunk(records: DeliveryRecord[]): Promise<DeliveryAck[]> {
    const rejectedBy = new Map<number, string>();
    let pending: BulkOp[] = buildBulkOps(records, this.config.indexPrefix, this.config.eventTimeWindow);
    const started = Date.now();
    let overdueCounted = false;
    // Retried until stored however long the cluster is down (dropping would lose events; acknowledging nothing
    // is the backpressure that pauses the source); only the sink's abort ends it.
    await retry(async () => {
      this.#metrics.bulkRequests++;
      const response = await this.#service.bulk(bulkBody(pending), {
        refresh: this.config.refresh,
        timeoutMs: this.config.requestTimeoutMs,
      });
      const sent = pending;
      const decisions = decideBulk(sent.length, response, (i) => sent[i].kind === "incident");
      const again: BulkOp[] = [];
      decisions.forEach((d, i) => {
        const op = pending[i];
        if (d.action === "retry") {
          again.push(op);
          this.#metrics.lastError = d.reason;
        } else if (d.action === "reject") {
          const reason = op.kind === "incident" ? `incident write rejected: ${d.reason}` : d.reason;
          for (const r of op.records) if (!rejectedBy.has(r)) rejectedBy.set(r, reason);
        }
      });
      pending = again;
      if (pending.length > 0) throw new Error(this.#metrics.lastError);
    }, {
      ...this.#retry,
      maxAttempts: Infinity,
      onRetry: () => {
        this.#metrics.retries += pending.length;
        if (Date.now() - started > this.config.retryMaxDurationMs && !overdueCounted) {
          // Budget spent: report it, then keep retrying at the largest delay.
          overdueCounted = true;
          this.#metrics.retryingOverdue += new Set(pending.flatMap((op) => op.records)).size;
          if (this.#metrics.healthy) {
            this.#logger.warn(`cluster failing, still retrying: ${this.#metrics.lastError}`);
          }
          this.#metrics.healthy = false;
        }
      },
    });
    if (!this.#metrics.healthy) this.#logger.info("cluster is back; draining");
    this.#metrics.healthy = true;
    this.#templates.add(records, this.config.eventTimeWindow, (i) => rejectedBy.has(i));
    if (rejectedBy.size > 0) await this.#deadLetter(records, rejectedBy);
    this.#metrics.rejected += rejectedBy.size;
    this.#metrics.delivered += records.length - rejectedBy.size;
    return records.map((r, i): DeliveryAck => {
      const reason = rejectedBy.get(i);
      return reason === undefined
        ? { kafka: r.kafka, tier: "hot", outcome: "delivered" }
        : { kafka: r.kafka, tier: "hot", outcome: "dead_lettered", reason };
    });
  }

  async #deadLetter(records: DeliveryRecord[], rejectedBy: Map<number, string>): Promise<void> {
    const letters: DeadLetterRecord[] = [...rejectedBy].map(([i, reason]) => ({
      original: new TextEncoder().encode(JSON.stringify(encodeDocument(records[i]))),
      reason,
      stage: "hot_sink",
      ts: new Date().toISOString(),
      kafka: records[i].kafka,
    }));
    try {
      // Bounded tries, then a blocked outbox (the source pauses, /health says why) tried again periodically.
      await this.#deadLetters.deliver(letters, this.#abort.signal);
    } catch (err) {
      if (err instanceof DeadLetterBlockedError && this.#abort.signal.aborted) {
        throw new HotSinkClosedError("HotSink aborted before dead letters were stored");
      }
      throw err;
    }
  }
}
