/**
 * Engine side of the cross-process live path: publishes live frames (ticks, alerts) to a Kafka topic
 * (`web.liveTopic`, default `vigil.live`) so that any number of web servers can fan them out, and several
 * engines can feed them. Frames are batched for a few milliseconds; the buffer is bounded (oldest dropped and
 * counted) so a slow or absent Kafka never holds memory or stalls the engine.
 *
 * @module
 */
import type { LiveFrame } from "./live_frame.ts";

/** The one producer call we need (`@platformatic/kafka`'s `Producer.send` fits). */
export interface LiveFrameProducer {
  send(options: { messages: { topic: string; key?: string; value: string }[] }): Promise<unknown>;
}

/** Options of {@link KafkaLivePublisher}. */
export interface KafkaLivePublisherOptions {
  producer: LiveFrameProducer;
  /** Topic. Default `vigil.live`. */
  topic?: string;
  /** Key of every message (one engine's frames stay ordered on one partition). Default `engine`. */
  key?: string;
  /** Most frames per send. Default 500. */
  maxBatch?: number;
  /** How long a frame may wait for others before a send, in milliseconds. Default 10. */
  lingerMs?: number;
  /** Most frames buffered while a send is in flight; beyond it the oldest are dropped. Default 10000. */
  capacity?: number;
}

/** Batches frames to Kafka. */
export class KafkaLivePublisher {
  readonly #producer: LiveFrameProducer;
  readonly #topic: string;
  readonly #key: string;
  readonly #maxBatch: number;
  readonly #lingerMs: number;
  readonly #capacity: number;
  #buffer: string[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #inFlight: Promise<void> | undefined;
  /** Frames dropped because the buffer was full. */
  dropped = 0;
  /** Frames whose send failed (they are not retried: live frames are perishable). */
  failed = 0;
  /** Frames sent. */
  sent = 0;

  /** @throws {RangeError} for non-positive sizes */
  constructor(
    { producer, topic = "vigil.live", key = "engine", maxBatch = 500, lingerMs = 10, capacity = 10_000 }:
      KafkaLivePublisherOptions,
  ) {
    for (const [name, v] of [["maxBatch", maxBatch], ["capacity", capacity]] as const) {
      if (!Number.isInteger(v) || v < 1) {
        throw new RangeError(
          `Cannot create a live publisher as ${name} must be a positive integer: current value is ${v}`,
        );
      }
    }
    this.#producer = producer;
    this.#topic = topic;
    this.#key = key;
    this.#maxBatch = maxBatch;
    this.#lingerMs = lingerMs;
    this.#capacity = capacity;
  }

  /** Queues a frame; never blocks. */
  publish(frame: LiveFrame): void {
    if (this.#buffer.length >= this.#capacity) {
      this.#buffer.shift();
      this.dropped++;
    }
    this.#buffer.push(JSON.stringify(frame));
    if (this.#timer === undefined && this.#inFlight === undefined) {
      this.#timer = setTimeout(() => void this.flush(), this.#lingerMs);
    }
  }

  /** Sends everything buffered; resolves when sent (or failed and counted). */
  async flush(): Promise<void> {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    while (this.#inFlight) await this.#inFlight;
    while (this.#buffer.length > 0) {
      const batch = this.#buffer.splice(0, this.#maxBatch);
      this.#inFlight = this.#producer
        .send({ messages: batch.map((value) => ({ topic: this.#topic, key: this.#key, value })) })
        .then(() => void (this.sent += batch.length), () => void (this.failed += batch.length));
      await this.#inFlight;
      this.#inFlight = undefined;
    }
  }
}
