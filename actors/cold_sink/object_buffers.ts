/**
 * The cold sink's partitioning: which records wait together for one object, and when they must be written.
 * Pure bookkeeping (no I/O, no timers): the cold sink actor asks it after each record and on its own flush
 * message, then writes what it hands back through {@link ColdSink.write} — so every S3 write runs inside the
 * actor, under its supervisor.
 *
 * Records are grouped by object key (hour, classification, partition, offset window; see `object_key.ts`).
 * They are due to be written:
 * - when their partition moves into a later offset window (the earlier window is complete): {@link add} returns
 *   them at once;
 * - when `maxEvents` / `maxBytes` are buffered over all objects: {@link ObjectBuffers.full};
 * - `timeoutMs` after the first record buffered since the last {@link take}: {@link ObjectBuffers.flushDueAt}.
 *
 * @module
 */
import { type DeliveryRecord, estimateRecordBytes } from "../delivery_record.ts";
import type { ColdSinkConfig } from "./config.ts";
import { objectKey, offsetWindowOf } from "./object_key.ts";

/** The settings {@link ObjectBuffers} reads from the cold sink's configuration. */
export type ObjectBuffersConfig = Pick<
  ColdSinkConfig,
  "prefix" | "offsetWindow" | "eventTimeWindow" | "maxEvents" | "maxBytes" | "timeoutMs"
>;

interface ObjectBuffer {
  partitionKey: string;
  windowFirst: bigint;
  records: DeliveryRecord[];
  /** Approximate size of the records (JSON length), counted against `maxBytes`. */
  bytes: number;
}

/** Records waiting for their object, grouped by object key; see the module doc. */
export class ObjectBuffers {
  readonly #config: ObjectBuffersConfig;
  readonly #now: () => number;
  #buffers = new Map<string, ObjectBuffer>();
  #lastWindow = new Map<string, bigint>();
  #size = 0;
  #bytes = 0;
  #flushDueAt?: number;

  /**
   * @param config keys, windows and limits (the cold sink's resolved configuration)
   * @param now the clock of {@link ObjectBuffers.flushDueAt}, ms since the epoch. Default `Date.now`.
   */
  constructor(config: ObjectBuffersConfig, now: () => number = Date.now) {
    this.#config = config;
    this.#now = now;
  }

  /** Records buffered over all objects. */
  get size(): number {
    return this.#size;
  }

  /** Whether `maxEvents` or `maxBytes` are reached: everything buffered is due now. */
  get full(): boolean {
    return this.#size >= this.#config.maxEvents || this.#bytes >= this.#config.maxBytes;
  }

  /** When the `timeoutMs` write of what is buffered is due (ms since the epoch); undefined when nothing is. */
  get flushDueAt(): number | undefined {
    return this.#flushDueAt;
  }

  /**
   * Buffers `record` with the others of its object.
   *
   * @returns the records of the windows its partition just left (complete: write them now), else `[]`
   */
  add(record: DeliveryRecord): DeliveryRecord[] {
    const { prefix, offsetWindow, eventTimeWindow, timeoutMs } = this.#config;
    const key = objectKey(prefix, record.event, record.kafka, offsetWindow, eventTimeWindow);
    const partitionKey = `${record.kafka.topic}\u0000${record.kafka.partition}`;
    const windowFirst = offsetWindowOf(record.kafka.offset, offsetWindow).first;
    let buffer = this.#buffers.get(key);
    if (buffer === undefined) {
      buffer = { partitionKey, windowFirst, records: [], bytes: 0 };
      this.#buffers.set(key, buffer);
    }
    const size = estimateRecordBytes(record);
    buffer.records.push(record);
    buffer.bytes += size;
    this.#size++;
    this.#bytes += size;
    this.#flushDueAt ??= this.#now() + timeoutMs;
    const last = this.#lastWindow.get(partitionKey);
    if (last !== undefined && windowFirst <= last) return [];
    this.#lastWindow.set(partitionKey, windowFirst);
    // The partition moved on: its earlier windows are complete, written now as whole objects.
    const closed: DeliveryRecord[] = [];
    for (const [k, b] of this.#buffers) {
      if (b.partitionKey === partitionKey && b.windowFirst < windowFirst) closed.push(...this.#remove(k, b));
    }
    return closed;
  }

  /** Takes every buffered record (due now: full, timed out, or stopping) and clears the flush deadline. */
  take(): DeliveryRecord[] {
    const all: DeliveryRecord[] = [];
    for (const [k, b] of this.#buffers) all.push(...this.#remove(k, b));
    this.#flushDueAt = undefined;
    return all;
  }

  #remove(key: string, buffer: ObjectBuffer): DeliveryRecord[] {
    this.#buffers.delete(key);
    this.#size -= buffer.records.length;
    this.#bytes -= buffer.bytes;
    return buffer.records;
  }
}
