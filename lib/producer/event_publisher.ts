/**
 * Publishes events to a Kafka topic in batches, keeping a bounded number of produce requests in flight.
 *
 * `publish()` only waits when `maxInFlight` requests are outstanding (back-pressure), so a fast reader is
 * slowed to what the broker acknowledges, and memory stays bounded at about
 * `batchSize × (maxInFlight + 1)` events. A partial batch is sent after `lingerMs`. Every event is counted
 * exactly once as acknowledged or failed; failures keep the first error so the summary can show it.
 *
 * @module
 */
import type { LogEvent } from "../event/log_event.ts";
import { eventKey, type VigilKafkaProducer } from "../kafka/kafka_client.ts";

/** Options of {@link EventPublisher}. */
export interface EventPublisherOptions {
  topic: string;
  /** Key fields (config `kafka.keyFields`). Default `["host", "component"]`. */
  keyFields?: readonly string[];
  /** Events per produce request. Default 2000. */
  batchSize?: number;
  /** Longest wait for a batch to fill, ms. Default 5. */
  lingerMs?: number;
  /** Produce requests in flight at once (1–5). Default 4. */
  maxInFlight?: number;
  /**
   * A request not settled after this many ms counts as failed (the client can hang, e.g. initialising an
   * idempotent producer against an unreachable broker). Such events may still arrive later: at-least-once.
   * Default 60000.
   */
  sendTimeoutMs?: number;
}

/** Counters of a publisher. */
export interface PublisherStats {
  /** Events handed to `publish`. */
  published: number;
  /** Events acknowledged by Kafka (acks=all). */
  acked: number;
  /** Events whose produce request failed after the client's retries. */
  failed: number;
  /** Bytes of message values acknowledged. */
  ackedBytes: number;
  /** The first error, if any. */
  firstError?: Error;
}

interface Message {
  topic: string;
  key: string;
  value: string;
}

/** Batches events to Kafka with bounded in-flight requests. */
export class EventPublisher {
  readonly #producer: VigilKafkaProducer;
  readonly #topic: string;
  readonly #keyFields: readonly string[];
  readonly #batchSize: number;
  readonly #lingerMs: number;
  readonly #maxInFlight: number;
  readonly #sendTimeoutMs: number;
  readonly #inFlight = new Set<Promise<void>>();
  #batch: Message[] = [];
  #batchBytes = 0;
  /** Settles with the produce request of the batch being filled (created when a caller asks for it). */
  #batchSettled: PromiseWithResolvers<void> | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly stats: PublisherStats = { published: 0, acked: 0, failed: 0, ackedBytes: 0 };

  /**
   * @param producer a producer from {@link createKafkaProducer}
   * @param options topic, key fields and batching
   * @throws {RangeError} when a batching option is out of range
   */
  constructor(producer: VigilKafkaProducer, options: EventPublisherOptions) {
    this.#producer = producer;
    this.#topic = options.topic;
    this.#keyFields = options.keyFields ?? ["host", "component"];
    this.#batchSize = options.batchSize ?? 2000;
    this.#lingerMs = options.lingerMs ?? 5;
    this.#maxInFlight = options.maxInFlight ?? 4;
    this.#sendTimeoutMs = options.sendTimeoutMs ?? 60_000;
    if (!(this.#sendTimeoutMs > 0)) {
      throw new RangeError(
        `Cannot create EventPublisher as sendTimeoutMs must be > 0: current value is ${this.#sendTimeoutMs}`,
      );
    }
    if (!Number.isInteger(this.#batchSize) || this.#batchSize < 1) {
      throw new RangeError(
        `Cannot create EventPublisher as batchSize must be a positive integer: current value is ${this.#batchSize}`,
      );
    }
    if (!Number.isInteger(this.#maxInFlight) || this.#maxInFlight < 1 || this.#maxInFlight > 5) {
      throw new RangeError(
        `Cannot create EventPublisher as maxInFlight must be an integer in 1..5: current value is ${this.#maxInFlight}`,
      );
    }
    if (!(this.#lingerMs >= 0)) {
      throw new RangeError(
        `Cannot create EventPublisher as lingerMs must be >= 0: current value is ${this.#lingerMs}`,
      );
    }
  }

  /**
   * Queues an event; resolves once it is buffered (not yet acknowledged — see {@link flush}).
   *
   * @param event the event; its JSON is the message value
   */
  async publish(event: LogEvent): Promise<void> {
    const value = JSON.stringify(event);
    this.#batch.push({ topic: this.#topic, key: eventKey(event, this.#keyFields), value });
    this.#batchBytes += value.length;
    this.stats.published++;
    if (this.#batch.length >= this.#batchSize) {
      await this.#dispatch();
    } else if (this.#timer === undefined) {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        // Errors are recorded in stats by #dispatch; nothing to await here.
        void this.#dispatch();
      }, this.#lingerMs);
    }
  }

  /**
   * Queues events and resolves once Kafka has acknowledged every one of them (not merely buffered): what a
   * receiver that answers its client only after acknowledgement needs. Other callers' events share the batches.
   *
   * @param events the events; each one's JSON is a message value
   * @throws the produce error of the first batch holding some of these events that failed (or timed out)
   */
  async publishAcknowledged(events: readonly LogEvent[]): Promise<void> {
    await Promise.all(new Set(await this.publishEach(events)));
  }

  /**
   * Queues events and resolves, once they are all queued, with one settlement per event: it resolves when
   * Kafka acknowledged that event's produce request and rejects with its error. Events of one batch share one
   * promise (the same object), so a caller that waits per batch can dedupe them. For a receiver that must know
   * which of its events Kafka holds when only some requests succeed.
   *
   * @param events the events; each one's JSON is a message value
   */
  async publishEach(events: readonly LogEvent[]): Promise<Promise<void>[]> {
    const settled: Promise<void>[] = [];
    for (const event of events) {
      if (this.#batchSettled === undefined) {
        this.#batchSettled = Promise.withResolvers<void>();
        // A batch may fail before its caller awaits it; the caller still sees the rejection.
        this.#batchSettled.promise.catch(() => {});
      }
      settled.push(this.#batchSettled.promise);
      await this.publish(event);
    }
    return settled;
  }

  /** Sends the partial batch and waits until every request is acknowledged or has failed. */
  async flush(): Promise<void> {
    await this.#dispatch();
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  async #dispatch(): Promise<void> {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    if (this.#batch.length === 0) return;
    const batch = this.#batch;
    const bytes = this.#batchBytes;
    const settled = this.#batchSettled;
    this.#batch = [];
    this.#batchBytes = 0;
    this.#batchSettled = undefined;
    while (this.#inFlight.size >= this.#maxInFlight) await Promise.race(this.#inFlight);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new Error(
              `Kafka did not answer a produce request of ${batch.length} events within ${this.#sendTimeoutMs} ms`,
            ),
          ),
        this.#sendTimeoutMs,
      );
    });
    const request: Promise<void> = Promise.race([this.#producer.send({ messages: batch }), deadline]).then(
      () => {
        this.stats.acked += batch.length;
        this.stats.ackedBytes += bytes;
        settled?.resolve();
      },
      (err: unknown) => {
        this.stats.failed += batch.length;
        const error = err instanceof Error ? err : new Error(String(err));
        this.stats.firstError ??= error;
        settled?.reject(error);
      },
    ).finally(() => {
      clearTimeout(timer);
      this.#inFlight.delete(request);
    });
    this.#inFlight.add(request);
  }
}
