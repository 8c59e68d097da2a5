/**
 * Idempotent retries at the HTTP receivers: a bounded memory of which records of recent requests Kafka has
 * acknowledged, so a client that re-sends a request after a 503, a timeout or a lost answer does not get the
 * records of its first attempt produced twice (the hot tier's `_id` is the Kafka coordinates: a second produce
 * is a second document).
 *
 * A request is known by {@link requestKey} — a digest of the receiver, the client's address, the path and the
 * body bytes after decompression — and record `i` of it by (key, `i`): OTLP exporters and `_bulk` shippers
 * re-send the same serialized batch when they retry. It is remembered until it is answered with success
 * ({@link AckedRecordWindow.answered}): after a 503, or while it is still in flight (a client that gave up waiting
 * retries then), the same bytes are a retry; after a 200 they are new events (a client may send a body twice). {@link AckedRecordWindow.deliverOnce} produces only the
 * records of a request not yet acknowledged and not in flight; records still in flight from an earlier attempt
 * (its answer timed out) are waited for, not sent again; the request is `acked` once every record is.
 *
 * The window is bounded: at most `maxRecords` records (oldest requests first out) and `maxAgeMs` since a
 * request was last seen; evictions are counted. What stays at-least-once: a retry arriving after its request
 * left the window, a receiver restart (the window is in memory), a retry after a 200 the client did not get (it
 * gave up waiting and retried only after the answer was written), a produce that
 * failed for the receiver but reached Kafka (a broker that stored the batch and died before answering), and a
 * client that changes the body when it retries (re-encodes or splits it).
 *
 * @module
 */
import { createHash } from "node:crypto";
import type { Delivery } from "./ingest_gate.ts";

/** Options of {@link AckedRecordWindow}. */
export interface AckedRecordWindowOptions {
  /** Records remembered at most (over all requests); past it the oldest requests are forgotten. */
  maxRecords: number;
  /** How long a request is remembered after it was last seen, ms. */
  maxAgeMs: number;
  /** Clock, ms. Default `Date.now`. */
  now?: () => number;
  /** Told of each forgotten request (for the metrics). */
  onEvict?: (reason: EvictionReason, records: number) => void;
}

/** Why requests left the window. */
export type EvictionReason = "capacity" | "age";

/**
 * Sends records and reports their settlement, by indexes in `records`, once per produce request (as
 * {@link IngestGate.deliver} does).
 */
export type RecordDelivery<T> = (
  records: readonly T[],
  onSettled: (indexes: readonly number[], acked: boolean) => void,
) => Promise<Delivery>;

/** What {@link AckedRecordWindow.deliverOnce} did. */
export interface OnceDelivery {
  /** `acked` when Kafka holds every record of the request; else why not (the client should retry). */
  delivery: Delivery;
  /** Records handed to Kafka by this attempt. */
  produced: number;
  /** Records an earlier attempt had already produced (acknowledged, or in flight and waited for). */
  repeated: number;
  /** Indexes of the records Kafka did not take (their produce failed; none in flight): for per-item answers. */
  missing: number[];
  /** Records still in flight when the attempt ended (its answer timed out). */
  inFlight: number;
}

const NONE = 0;
const IN_FLIGHT = 1;
const ACKED = 2;

interface RequestEntry {
  /** Per record: {@link NONE}, {@link IN_FLIGHT} or {@link ACKED}. */
  readonly states: Uint8Array;
  /** When the request was last seen, ms. */
  seenMs: number;
  /** Settle when every record an attempt sent has settled. */
  readonly attempts: Set<Promise<void>>;
}

/**
 * The key of a request's records: SHA-256 (first 128 bits, hex) of the receiver, the client's address, the
 * request path and the body bytes after decompression. The client's address keeps two clients sending
 * identical bodies apart.
 */
export function requestKey(receiver: string, clientAddress: string, path: string, body: Uint8Array): string {
  return createHash("sha256").update(`${receiver}\n${clientAddress}\n${path}\n`).update(body).digest("hex")
    .slice(0, 32);
}

/** Which records of recent requests Kafka acknowledged (see module doc). */
export class AckedRecordWindow {
  readonly #entries = new Map<string, RequestEntry>();
  readonly #maxRecords: number;
  readonly #maxAgeMs: number;
  readonly #now: () => number;
  readonly #onEvict?: (reason: EvictionReason, records: number) => void;
  #records = 0;
  /** Requests forgotten, by reason, and the records they held. */
  readonly evicted: Record<EvictionReason, { requests: number; records: number }> = {
    capacity: { requests: 0, records: 0 },
    age: { requests: 0, records: 0 },
  };

  /** @throws {RangeError} when a bound is not positive */
  constructor(options: AckedRecordWindowOptions) {
    if (!Number.isInteger(options.maxRecords) || options.maxRecords < 1) {
      throw new RangeError(
        `Cannot create AckedRecordWindow as maxRecords must be a positive integer: current value is ${options.maxRecords}`,
      );
    }
    if (!(options.maxAgeMs > 0)) {
      throw new RangeError(
        `Cannot create AckedRecordWindow as maxAgeMs must be > 0: current value is ${options.maxAgeMs}`,
      );
    }
    this.#maxRecords = options.maxRecords;
    this.#maxAgeMs = options.maxAgeMs;
    this.#now = options.now ?? Date.now;
    this.#onEvict = options.onEvict;
  }

  /** Requests remembered. */
  get requests(): number {
    return this.#entries.size;
  }

  /** Records remembered (over all requests). */
  get records(): number {
    return this.#records;
  }

  /**
   * Delivers the records of request `key` that no earlier attempt produced, waits (at most `waitMs`) for those
   * an earlier attempt still has in flight, and says whether Kafka now holds all of them.
   *
   * @param key the request's {@link requestKey}
   * @param records every record of the request, in request order
   * @param deliver sends the records this attempt must produce
   * @param waitMs longest wait for an earlier attempt's records, ms (the receiver's ack timeout)
   */
  async deliverOnce<T>(
    key: string,
    records: readonly T[],
    deliver: RecordDelivery<T>,
    waitMs: number,
  ): Promise<OnceDelivery> {
    const entry = this.#enter(key, records.length);
    const { states } = entry;
    const send: number[] = [];
    let earlierInFlight = false;
    let repeated = 0;
    for (let i = 0; i < states.length; i++) {
      if (states[i] === NONE) {
        states[i] = IN_FLIGHT;
        send.push(i);
      } else {
        repeated++;
        if (states[i] === IN_FLIGHT) earlierInFlight = true;
      }
    }
    // The wait for an earlier attempt runs beside this attempt's own delivery: one `waitMs` bounds both.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const earlier = earlierInFlight
      ? Promise.race([
        Promise.all([...entry.attempts]),
        new Promise<void>((resolve) => timer = setTimeout(resolve, waitMs)),
      ])
      : undefined;
    let delivery: Delivery = "acked";
    if (send.length > 0) {
      const attempt = Promise.withResolvers<void>();
      let unsettled = send.length;
      entry.attempts.add(attempt.promise);
      const settled = new Uint8Array(send.length);
      try {
        delivery = await deliver(send.map((i) => records[i]), (indexes, acked) => {
          for (const j of indexes) {
            if (settled[j] === 1) continue;
            settled[j] = 1;
            states[send[j]] = acked ? ACKED : NONE;
            unsettled--;
          }
          if (unsettled === 0) {
            entry.attempts.delete(attempt.promise);
            attempt.resolve();
          }
        });
      } catch (err) {
        // Nothing will report these records: a later attempt must send them again.
        send.forEach((i, j) => {
          if (settled[j] === 0) states[i] = NONE;
        });
        entry.attempts.delete(attempt.promise);
        attempt.resolve();
        clearTimeout(timer);
        throw err;
      }
    }
    if (earlier !== undefined) {
      await earlier;
      clearTimeout(timer);
    }
    if (states.every((s) => s === ACKED)) delivery = "acked";
    else if (delivery === "acked") delivery = states.includes(IN_FLIGHT) ? "timeout" : "failed";
    const missing: number[] = [];
    let inFlight = 0;
    states.forEach((state, i) => {
      if (state === NONE) missing.push(i);
      else if (state === IN_FLIGHT) inFlight++;
    });
    return { delivery, produced: send.length, repeated, missing, inFlight };
  }

  /**
   * Forgets a request whose client got its success answer: the same bytes sent again from now on are new events
   * (a client may legitimately send an identical body twice), not a retry. Not counted as an eviction.
   */
  answered(key: string): void {
    const entry = this.#entries.get(key);
    if (entry === undefined) return;
    this.#entries.delete(key);
    this.#records -= entry.states.length;
  }

  /**
   * Forgets the requests last seen longer than `maxAgeMs` ago. {@link deliverOnce} does it too; the owner's
   * metrics call it so an idle receiver's gauges are current.
   */
  evict(): void {
    this.#evict(0);
  }

  /** Forgets aged requests, then the oldest ones until `incoming` more records fit. */
  #evict(incoming: number): void {
    const oldest = this.#now() - this.#maxAgeMs;
    for (const [key, entry] of this.#entries) {
      const aged = entry.seenMs <= oldest;
      if (!aged && this.#records + incoming <= this.#maxRecords) break;
      this.#forget(key, entry, aged ? "age" : "capacity");
    }
  }

  /** The request's entry, seen now (so last in eviction order), after making room for it. */
  #enter(key: string, n: number): RequestEntry {
    const found = this.#entries.get(key);
    if (found !== undefined) {
      this.#entries.delete(key);
      this.#records -= found.states.length;
    }
    // The same digest with another record count cannot be the same request: it starts afresh.
    const entry = found !== undefined && found.states.length === n
      ? found
      : { states: new Uint8Array(n), seenMs: 0, attempts: new Set<Promise<void>>() };
    this.#evict(n);
    entry.seenMs = this.#now();
    this.#entries.set(key, entry);
    this.#records += n;
    return entry;
  }

  #forget(key: string, entry: RequestEntry, reason: EvictionReason): void {
    this.#entries.delete(key);
    this.#records -= entry.states.length;
    this.evicted[reason].requests++;
    this.evicted[reason].records += entry.states.length;
    this.#onEvict?.(reason, entry.states.length);
  }
}
