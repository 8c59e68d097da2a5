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
 * Wiring: config → object buffers (partitioning, `object_buffers.ts`) → object key + Parquet encoder (request
 * builder) → S3 service → retry logic. The sink itself has no timer and writes only when asked
 * ({@link ColdSink.write}): the cold sink actor decides when buffers are due, so every S3 write runs inside
 * the actor, under its supervisor. While S3 is down the sink keeps retrying and acknowledges nothing, so the
 * source pauses.
 *
 * @module
 */
import { requestRetryOptions, retry, RetryError, type RetryOptions } from "../../lib/timing/retry.ts";
import type { DeliveryAck, DeliveryRecord } from "../delivery_record.ts";
import { type ColdSinkConfig, type ColdSinkOptions, resolveColdSinkConfig } from "./config.ts";
import { objectKey, siblingKeys, windowKeys } from "./object_key.ts";
import { ObjectBuffers } from "./object_buffers.ts";
import { decodeOffsets, decodeParquet, encodeParquet } from "./parquet_codec.ts";
import { describeS3Error, isRetryableS3Error } from "./retry_logic.ts";
import { type ColdService, S3ColdService } from "./service.ts";
import { jsonLogger, type Logger } from "../../engine/logger.ts";

/**
 * What one write knows an object of its windows holds: nothing (`ABSENT`), the bytes S3 returned (decoded only
 * when needed), or the rows this write stored there — so an object just written is never read back.
 */
type KnownObject = typeof ABSENT | { bytes: Uint8Array } | { rows: DeliveryRecord[] };
const ABSENT: unique symbol = Symbol("absent");

/** The rows of a known object. */
function rowsOf(o: Exclude<KnownObject, typeof ABSENT>): Promise<DeliveryRecord[]> | DeliveryRecord[] {
  return "rows" in o ? o.rows : decodeParquet(o.bytes);
}

/** Collaborators of the cold sink. */
export interface ColdSinkDeps {
  /** The object store; default: S3 built from the options. */
  service?: ColdService;
  /** Uniform random source for jitter. Default `Math.random`. */
  random?: () => number;
  /** Told of each notable event (outage, recovery). Default: JSON lines on stderr. */
  logger?: Logger;
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
  /** Records waiting in {@link ColdSink.buffers}. */
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

/** Writes delivery records to the cold tier; see the module doc. */
export class ColdSink {
  readonly config: ColdSinkConfig;
  /** Records waiting for their object; the cold sink actor fills them and writes what is due. */
  readonly buffers: ObjectBuffers;
  #service: ColdService;
  #random: () => number;
  /** Backoff of every retry of this sink; its abort ends them with a {@link ColdSinkClosedError}. */
  #retry: RetryOptions;
  #logger: Logger;
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
    this.buffers = new ObjectBuffers(this.config);
    this.#service = options.service ?? new S3ColdService(this.config);
    this.#random = options.random ?? Math.random;
    this.#retry = requestRetryOptions(this.config, this.#random, this.#abort.signal);
    this.#logger = options.logger ?? jsonLogger("info", { component: "cold_sink" });
  }

  /** A snapshot of the counters. */
  get metrics(): ColdSinkMetrics {
    const flushDueAt = this.buffers.flushDueAt;
    return {
      ...this.#metrics,
      buffered: this.buffers.size,
      ...(flushDueAt === undefined ? {} : { flushDueAt }),
    };
  }

  /** The object store this sink writes to (for replay and tests). */
  get service(): ColdService {
    return this.#service;
  }

  /** Creates the bucket if needed; retries while S3 is unreachable, up to `retryMaxDurationMs`. */
  async start(): Promise<void> {
    await retry(() => this.#service.ensureBucket(), {
      ...this.#retry,
      maxDurationMs: this.config.retryMaxDurationMs,
      isRetriable: isRetryableS3Error,
    }).catch((err) => {
      throw err instanceof RetryError ? err.cause : err;
    });
  }

  /**
   * Writes `records` now, one object at a time (merging with what is stored under their keys), and resolves
   * with one acknowledgement per record once every object holding them is durable.
   *
   * @throws {ColdSinkClosedError} when {@link ColdSink.abort} is called first (nothing of the unfinished
   *   objects is acknowledged)
   */
  write(records: readonly DeliveryRecord[]): Promise<DeliveryAck[]> {
    if (this.#abort.signal.aborted) return Promise.reject(new ColdSinkClosedError("ColdSink is closed"));
    const byKey = new Map<string, DeliveryRecord[]>();
    for (const r of records) {
      const key = objectKey(
        this.config.prefix,
        r.event,
        r.kafka,
        this.config.offsetWindow,
        this.config.eventTimeWindow,
      );
      const group = byKey.get(key);
      if (group === undefined) byKey.set(key, [r]);
      else group.push(r);
    }
    // The keys of one offset window (its classifications) are written together: their objects are read once
    // per write, and what this write stores is then known without reading it back.
    const windows = new Map<string, string[]>();
    for (const key of byKey.keys()) {
      const id = windowKeys(key)[0];
      const keys = windows.get(id);
      if (keys === undefined) windows.set(id, [key]);
      else keys.push(key);
    }
    // Object writes run one at a time (also across callers), so two writes of one key never race.
    const run = this.#queue.then(async () => {
      const acks: DeliveryAck[] = [];
      for (const keys of windows.values()) {
        const known = await this.#readWindow(keys);
        for (const key of keys) acks.push(...await this.#writeObject(key, byKey.get(key)!, known));
      }
      return acks;
    });
    this.#queue = run.then(() => {}, () => {}); // the next write waits for this one, whatever its outcome
    return run;
  }

  /**
   * Waits for the object writes in flight, then closes the client. If S3 stays down past `deadlineMs`, the
   * sink is aborted: their records stay unacknowledged and Kafka redelivers them after a restart. Records still
   * in {@link ColdSink.buffers} (the actor writes them when it stops) are not written here: their
   * acknowledgements would come after the source's last commit anyway.
   */
  async close(deadlineMs = 30_000): Promise<void> {
    const timer = setTimeout(() => this.abort(), deadlineMs);
    try {
      await this.#queue;
    } finally {
      clearTimeout(timer);
      this.abort();
      this.#service.close();
    }
  }

  /** Stops every retry loop now; pending writes reject with {@link ColdSinkClosedError}. */
  abort(): void {
    this.buffers.take(); // unacknowledged: Kafka redelivers them
    this.#abort.abort(new ColdSinkClosedError("ColdSink aborted before the records were stored"));
  }

  /**
   * Reads every object of the offset windows of `keys` (each key and its siblings) in one round trip. In the
   * normal path none exists yet (404s, nothing decoded); after a replay or a window written in parts, they hold
   * what a merge keeps and the offsets to move.
   */
  async #readWindow(keys: readonly string[]): Promise<Map<string, KnownObject>> {
    const all = [...new Set(keys.flatMap(windowKeys))];
    const got = await this.#retrying(all[0], () => Promise.all(all.map((k) => this.#service.get(k))));
    return new Map(
      all.map((k, i): [string, KnownObject] => [k, got[i] === undefined ? ABSENT : { bytes: got[i]! }]),
    );
  }

  /**
   * Stores `records` under `key` (merged with what is there), then removes their offsets from the sibling
   * objects (the same hour, partition and window under the other classifications), so each offset has one
   * row across all objects. Resolves with the acknowledgements only once both steps are durable.
   */
  async #writeObject(
    key: string,
    records: DeliveryRecord[],
    known: Map<string, KnownObject>,
  ): Promise<DeliveryAck[]> {
    // One version per offset, the later one winning: a batch can hold an offset twice (a redelivery while the
    // first copy was still buffered).
    const latest = new Map<string, DeliveryRecord>();
    for (const r of records) latest.set(r.kafka.offset, r);
    let stored = false;
    // Retried until durable however long S3 is down (nothing is acknowledged meanwhile, so the source pauses);
    // only the sink's abort ends it. `known` changes only after a request succeeded, so a retry starts from
    // what S3 holds.
    return await this.#retrying(key, async () => {
      if (!stored) {
        let rows = [...latest.values()];
        const existing = known.get(key) ?? ABSENT;
        if (existing !== ABSENT) {
          // Rows already stored under this key (an earlier part of the window, or the run before a crash):
          // keep them, and let this batch's version of an offset win.
          const byOffset = new Map<string, DeliveryRecord>();
          for (const r of await rowsOf(existing)) byOffset.set(r.kafka.offset, r);
          for (const r of rows) byOffset.set(r.kafka.offset, r);
          rows = [...byOffset.values()];
          this.#metrics.merges++;
        }
        const bytes = encodeParquet(rows);
        await this.#service.put(key, bytes);
        known.set(key, { rows });
        this.#metrics.objectsWritten++;
        this.#metrics.bytesWritten += bytes.byteLength;
        stored = true;
      }
      // Only now that the new version is durable may the old one go: a crash in between leaves a duplicate
      // (never a loss), and since nothing was acknowledged, the replay comes back here and removes it.
      for (const sibling of siblingKeys(key)) await this.#removeOffsets(sibling, known, latest);
      this.#metrics.delivered += records.length;
      if (!this.#metrics.healthy) this.#logger.info("S3 is back; draining");
      this.#metrics.healthy = true;
      return records.map((r): DeliveryAck => ({ kafka: r.kafka, tier: "cold", outcome: "delivered" }));
    });
  }

  /** Runs `fn` until it succeeds (S3 down: backoff, health and error reported on `key`); only abort ends it. */
  #retrying<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const started = Date.now();
    return retry(fn, {
      ...this.#retry,
      maxAttempts: Infinity,
      onRetry: (err) => {
        this.#metrics.retries++;
        this.#metrics.lastError = `${key}: ${describeS3Error(err)}`;
        const spent = Date.now() - started > this.config.retryMaxDurationMs;
        if ((spent || !isRetryableS3Error(err)) && this.#metrics.healthy) {
          this.#metrics.healthy = false;
          this.#logger.warn(
            `S3 failing, still retrying (nothing is acknowledged meanwhile): ${this.#metrics.lastError}`,
          );
        }
      },
    });
  }

  /**
   * Rewrites the sibling object `key` without the offsets in `written` (deletes it when nothing is left), and
   * records what it then holds in `known`.
   */
  async #removeOffsets(
    key: string,
    known: Map<string, KnownObject>,
    written: ReadonlyMap<string, DeliveryRecord>,
  ): Promise<void> {
    const sibling = known.get(key) ?? ABSENT;
    if (sibling === ABSENT) return;
    // Usually the sibling holds none of these offsets (it is simply the same window's other classification):
    // decide from rows this write stored, or from a stored object's offset column alone, and decode whole
    // rows only when some must move.
    if ("bytes" in sibling && !(await decodeOffsets(sibling.bytes)).some((o) => written.has(o))) return;
    const rows = await rowsOf(sibling);
    const keep = rows.filter((r) => !written.has(r.kafka.offset));
    if (keep.length === rows.length) return;
    if (keep.length === 0) {
      await this.#service.delete(key);
      known.set(key, ABSENT);
      this.#metrics.siblingsDeleted++;
    } else {
      const bytes = encodeParquet(keep);
      await this.#service.put(key, bytes);
      known.set(key, { rows: keep });
      this.#metrics.objectsWritten++;
      this.#metrics.bytesWritten += bytes.byteLength;
      this.#metrics.siblingsRewritten++;
    }
    this.#metrics.rowsMoved += rows.length - keep.length;
  }
}
