/**
 * ColdSink: batches classified events into zstd Parquet objects on S3 under deterministic Hive-style keys and
 * acknowledges each record once the object holding it is durable.
 *
 * Idempotence: an object's key is a pure function of its rows (hour, classification, partition, offset
 * window), and writing a key merges the rows already stored there (by offset) with the new ones, then removes
 * those offsets from the sibling objects (same hour, partition and window, other classifications). So a
 * replay after a crash — even one that classifies an event differently — or a window flushed in several parts
 * (timeout, memory limit), ends with one row per offset across all objects, the latest version winning.
 * See README.md for the exact guarantee and its limits.
 *
 * Wiring: config → object key + Parquet encoder (request builder) → S3 service → retry logic.
 * While S3 is down the sink keeps retrying and acknowledges nothing, so the source pauses.
 *
 * @module
 */
import { retry, RetryError, type RetryOptions } from "../../lib/timing/retry.ts";
import {
  type AckListener,
  type DeliveryAck,
  type DeliveryRecord,
  estimateRecordBytes,
} from "../delivery_record.ts";
import { type ColdSinkConfig, type ColdSinkOptions, resolveColdSinkConfig } from "./config.ts";
import { objectKey, offsetWindowOf, siblingKeys } from "./object_key.ts";
import { decodeOffsets, decodeParquet, encodeParquet } from "./request_builder.ts";
import { describeS3Error, isRetryableS3Error } from "./retry_logic.ts";
import { type ColdService, S3ColdService } from "./service.ts";

/** Collaborators of the cold sink. */
export interface ColdSinkDeps {
  /** Receives the acknowledgements of every object written through {@link ColdSink.push}. */
  onAck?: AckListener;
  /** The object store; default: S3 built from the options. */
  service?: ColdService;
  /** Uniform random source for jitter. Default `Math.random`. */
  random?: () => number;
  /** Receives one line per notable event (outage, recovery). Default: `console.warn`. */
  log?: (message: string) => void;
}

/** Counters and health of the cold sink. */
export interface ColdSinkMetrics {
  /** Rows acknowledged (their object is durable). */
  delivered: number;
  /** Objects written (including rewrites). */
  objectsWritten: number;
  /** Bytes of Parquet written. */
  bytesWritten: number;
  /** Writes that merged rows already stored under the key (replays, partial windows). */
  merges: number;
  /** Sibling objects rewritten without offsets that a replay stored under another classification. */
  siblingsRewritten: number;
  /** Sibling objects deleted because a replay moved all their rows to another classification. */
  siblingsDeleted: number;
  /** Rows removed from sibling objects (their offset was written again under another classification). */
  rowsMoved: number;
  /** Object writes attempted again after a failure. */
  retries: number;
  /** False while S3 is failing requests. */
  healthy: boolean;
  /** Records waiting in buffers. */
  buffered: number;
  /** When the `timeoutMs` flush of the buffered records is due (ms since the epoch); absent when none is set. */
  flushDueAt?: number;
  /** Last failure seen, if any. */
  lastError?: string;
}

/** Raised when the sink was aborted before the records were durable: they are not acknowledged. */
export class ColdSinkClosedError extends Error {
  override name = "ColdSinkClosedError";
}

interface Buffer {
  key: string;
  partitionKey: string;
  windowFirst: bigint;
  records: DeliveryRecord[];
  /** Approximate size of the records (JSON length), counted against `maxBytes`. */
  bytes: number;
}

/** Writes delivery records to the cold tier; see the module doc. */
export class ColdSink {
  readonly config: ColdSinkConfig;
  #service: ColdService;
  #deps: ColdSinkDeps;
  #random: () => number;
  #log: (message: string) => void;
  #buffers = new Map<string, Buffer>();
  #buffered = 0;
  #bufferedBytes = 0;
  #lastWindow = new Map<string, bigint>();
  #timer?: ReturnType<typeof setTimeout>;
  #flushDueAt?: number;
  #queue: Promise<void> = Promise.resolve();
  #abort = new AbortController();
  #metrics: ColdSinkMetrics = {
    delivered: 0,
    objectsWritten: 0,
    bytesWritten: 0,
    merges: 0,
    siblingsRewritten: 0,
    siblingsDeleted: 0,
    rowsMoved: 0,
    retries: 0,
    healthy: true,
    buffered: 0,
  };

  /**
   * @param options S3, batching and retry options (see {@link ColdSinkOptions}) plus collaborators
   * @throws {RangeError | TypeError} when an option is invalid
   */
  constructor(options: ColdSinkOptions & ColdSinkDeps = {}) {
    this.config = resolveColdSinkConfig(options);
    this.#deps = options;
    this.#service = options.service ?? new S3ColdService(this.config);
    this.#random = options.random ?? Math.random;
    this.#log = options.log ?? ((m) => console.warn(`[cold_sink] ${m}`));
  }

  /** A snapshot of the counters. */
  get metrics(): ColdSinkMetrics {
    return {
      ...this.#metrics,
      buffered: this.#buffered,
      ...(this.#flushDueAt === undefined ? {} : { flushDueAt: this.#flushDueAt }),
    };
  }

  /** The object store this sink writes to (for replay and tests). */
  get service(): ColdService {
    return this.#service;
  }

  /** Creates the bucket if needed; retries while S3 is unreachable, up to `retryMaxDurationMs`. */
  async start(): Promise<void> {
    await retry(() => this.#service.ensureBucket(), {
      ...this.#retryOptions(),
      maxDurationMs: this.config.retryMaxDurationMs,
      isRetriable: isRetryableS3Error,
    }).catch((err) => {
      throw err instanceof RetryError ? err.cause : err;
    });
  }

  /**
   * Adds a record to the buffer of its object. Buffers are written when the partition moves to the next
   * offset window, when `maxEvents` / `maxBytes` is reached (then this call resolves only once everything
   * buffered is durable: backpressure), or `timeoutMs` after the first buffered record.
   */
  push(record: DeliveryRecord): Promise<void> {
    if (this.#abort.signal.aborted) return Promise.reject(new ColdSinkClosedError("ColdSink is closed"));
    const key = objectKey(
      this.config.prefix,
      record.event,
      record.kafka,
      this.config.offsetWindow,
      this.config.eventTimeWindow,
    );
    const partitionKey = `${record.kafka.topic}\u0000${record.kafka.partition}`;
    const windowFirst = offsetWindowOf(record.kafka.offset, this.config.offsetWindow).first;
    let buffer = this.#buffers.get(key);
    if (buffer === undefined) {
      buffer = { key, partitionKey, windowFirst, records: [], bytes: 0 };
      this.#buffers.set(key, buffer);
    }
    const size = estimateRecordBytes(record);
    buffer.records.push(record);
    buffer.bytes += size;
    this.#buffered++;
    this.#bufferedBytes += size;
    const closing: Buffer[] = [];
    const last = this.#lastWindow.get(partitionKey);
    if (last === undefined || windowFirst > last) {
      this.#lastWindow.set(partitionKey, windowFirst);
      // The partition moved on: its earlier windows are complete, write them now as whole objects.
      for (const b of this.#buffers.values()) {
        if (b.partitionKey === partitionKey && b.windowFirst < windowFirst) closing.push(b);
      }
    }
    if (this.#buffered >= this.config.maxEvents || this.#bufferedBytes >= this.config.maxBytes) {
      return this.flush();
    }
    if (this.#timer === undefined) {
      this.#flushDueAt = Date.now() + this.config.timeoutMs;
      this.#timer = setTimeout(() => {
        this.flush().catch((err) => this.#log(`flush failed: ${(err as Error).message}`));
      }, this.config.timeoutMs);
    }
    if (closing.length > 0) {
      const done = this.#enqueue(this.#take(closing), true);
      done.catch((err) => this.#log(`flush failed: ${(err as Error).message}`));
    }
    return Promise.resolve();
  }

  /** Writes every buffer now; resolves when all are durable and acknowledged. */
  flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#flushDueAt = undefined;
    return this.#enqueue(this.#take([...this.#buffers.values()]), true);
  }

  /**
   * Writes `records` now (merging with what is stored under their keys), independent of the push buffers,
   * and resolves with one acknowledgement per record. Used by tests and replay.
   */
  async write(records: readonly DeliveryRecord[]): Promise<DeliveryAck[]> {
    const groups = new Map<string, Buffer>();
    for (const r of records) {
      const key = objectKey(
        this.config.prefix,
        r.event,
        r.kafka,
        this.config.offsetWindow,
        this.config.eventTimeWindow,
      );
      let b = groups.get(key);
      if (b === undefined) {
        b = { key, partitionKey: "", windowFirst: 0n, records: [], bytes: 0 };
        groups.set(key, b);
      }
      b.records.push(r);
    }
    const acks: DeliveryAck[] = [];
    await this.#enqueue([...groups.values()], false, acks);
    return acks;
  }

  /**
   * Flushes the buffers, then closes the client. If S3 stays down past `deadlineMs`, the sink is aborted:
   * buffered records stay unacknowledged and Kafka redelivers them after a restart.
   */
  async close(deadlineMs = 30_000): Promise<void> {
    const timer = setTimeout(() => this.abort(), deadlineMs);
    try {
      await this.flush();
    } catch (err) {
      if (!(err instanceof ColdSinkClosedError)) throw err;
    } finally {
      clearTimeout(timer);
      this.abort();
      this.#service.close();
    }
  }

  /** Stops every retry loop now; pending writes reject with {@link ColdSinkClosedError}. */
  abort(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#flushDueAt = undefined;
    this.#abort.abort(new ColdSinkClosedError("ColdSink aborted before the records were stored"));
  }

  #take(buffers: Buffer[]): Buffer[] {
    for (const b of buffers) {
      this.#buffers.delete(b.key);
      this.#buffered -= b.records.length;
      this.#bufferedBytes -= b.bytes;
    }
    return buffers;
  }

  /** Object writes run one at a time, so two writes of one key never race. */
  #enqueue(buffers: Buffer[], notify: boolean, acks?: DeliveryAck[]): Promise<void> {
    const run = this.#queue.catch(() => {}).then(async () => {
      for (const b of buffers) {
        const written = await this.#writeObject(b.key, b.records);
        acks?.push(...written);
        if (notify) this.#deps.onAck?.(written);
      }
    });
    this.#queue = run;
    return run;
  }

  /**
   * Stores `records` under `key` (merged with what is there), then removes their offsets from the sibling
   * objects (the same hour, partition and window under the other classifications), so each offset has one
   * row across all objects. Resolves with the acknowledgements only once both steps are durable.
   */
  async #writeObject(key: string, records: DeliveryRecord[]): Promise<DeliveryAck[]> {
    // One version per offset, the later one winning: a batch can hold an offset twice (a redelivery while the
    // first copy was still buffered).
    const latest = new Map<string, DeliveryRecord>();
    for (const r of records) latest.set(r.kafka.offset, r);
    const siblings = siblingKeys(key);
    const started = Date.now();
    let stored = false;
    // Retried until durable however long S3 is down (nothing is acknowledged meanwhile, so the source pauses);
    // only the sink's abort ends it.
    return await retry(async () => {
      // The siblings are read with the key itself (one round trip): in the normal path they do not exist
      // and cost two 404s; after a replay that changed a classification they hold the offsets to remove.
      const [existing, ...siblingBytes] = await Promise.all([
        stored ? Promise.resolve(undefined) : this.#service.get(key),
        ...siblings.map((k) => this.#service.get(k)),
      ]);
      if (!stored) {
        let rows = [...latest.values()];
        if (existing !== undefined) {
          // Rows already stored under this key (an earlier part of the window, or the run before a crash):
          // keep them, and let this batch's version of an offset win.
          const byOffset = new Map<string, DeliveryRecord>();
          for (const r of await decodeParquet(existing)) byOffset.set(r.kafka.offset, r);
          for (const r of rows) byOffset.set(r.kafka.offset, r);
          rows = [...byOffset.values()];
          this.#metrics.merges++;
        }
        const bytes = encodeParquet(rows);
        await this.#service.put(key, bytes);
        this.#metrics.objectsWritten++;
        this.#metrics.bytesWritten += bytes.byteLength;
        stored = true;
      }
      // Only now that the new version is durable may the old one go: a crash in between leaves a duplicate
      // (never a loss), and since nothing was acknowledged, the replay comes back here and removes it.
      for (let i = 0; i < siblings.length; i++) {
        if (siblingBytes[i] === undefined) continue;
        await this.#removeOffsets(siblings[i], siblingBytes[i]!, latest);
      }
      this.#metrics.delivered += records.length;
      if (!this.#metrics.healthy) this.#log("S3 is back; draining");
      this.#metrics.healthy = true;
      return records.map((r): DeliveryAck => ({ kafka: r.kafka, tier: "cold", outcome: "delivered" }));
    }, {
      ...this.#retryOptions(),
      maxAttempts: Infinity,
      onRetry: (err) => {
        this.#metrics.retries++;
        this.#metrics.lastError = `${key}: ${describeS3Error(err)}`;
        const spent = Date.now() - started > this.config.retryMaxDurationMs;
        if ((spent || !isRetryableS3Error(err)) && this.#metrics.healthy) {
          this.#metrics.healthy = false;
          this.#log(
            `S3 failing, still retrying (nothing is acknowledged meanwhile): ${this.#metrics.lastError}`,
          );
        }
      },
    });
  }

  /** Rewrites the sibling object `key` without the offsets in `written` (deletes it when nothing is left). */
  async #removeOffsets(
    key: string,
    stored: Uint8Array,
    written: ReadonlyMap<string, DeliveryRecord>,
  ): Promise<void> {
    // Usually the sibling holds none of these offsets (it is simply the same window's other classification):
    // decide from its offset column alone, and decode whole rows only when some must move.
    if (!(await decodeOffsets(stored)).some((o) => written.has(o))) return;
    const rows = await decodeParquet(stored);
    const keep = rows.filter((r) => !written.has(r.kafka.offset));
    if (keep.length === rows.length) return;
    if (keep.length === 0) {
      await this.#service.delete(key);
      this.#metrics.siblingsDeleted++;
    } else {
      const bytes = encodeParquet(keep);
      await this.#service.put(key, bytes);
      this.#metrics.objectsWritten++;
      this.#metrics.bytesWritten += bytes.byteLength;
      this.#metrics.siblingsRewritten++;
    }
    this.#metrics.rowsMoved += rows.length - keep.length;
  }

  /** Backoff of every retry of this sink; its abort ends them with a {@link ColdSinkClosedError}. */
  #retryOptions(): RetryOptions {
    return {
      initialBackoffMs: this.config.retryInitialBackoffMs,
      maxBackoffMs: this.config.retryMaxBackoffMs,
      random: this.#random,
      signal: this.#abort.signal,
    };
  }
}
