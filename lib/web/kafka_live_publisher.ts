/**
 * Engine side of the cross-process live path: publishes live frames (ticks, alerts) to a Kafka topic
 * (`web.liveTopic`, default `vigil.live`) so that any number of web servers can fan them out, and several
 * engines can feed them. Frames are batched for a few milliseconds; the buffer is bounded (oldest dropped and
 * counted) so a slow or absent Kafka never holds memory or stalls the engine.
 *
 * @module
 */
import type { LiveFrame } from "./live_frame.ts";
import { withDeadline } from "./with_deadline.ts";

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
  /**
   * Longest wait for one send, ms; past it the batch counts as failed and the next may go. Default 5000. A send
   * to a topic the cluster lacks, or the first send of an idempotent producer with no broker, never settles:
   * unbounded, it stopped every later frame and held an engine's stop for ever.
   */
  sendTimeoutMs?: number;
}

/** Batches frames to Kafka. */
export class KafkaLivePublisher {
  readonly #producer: LiveFrameProducer;
  readonly #topic: string;
  readonly #key: string;
  readonly #maxBatch: number;
  readonly #lingerMs: number;
  readonly #capacity: number;
  readonly #sendTimeoutMs: number;
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
    {
      producer,
      topic = "vigil.live",
      key = "engine",
      maxBatch = 500,
      lingerMs = 10,
      capacity = 10_000,
      sendTimeoutMs = 5_000,
    }: KafkaLivePublisherOptions,
  ) {
    for (
      const [name, v] of [["maxBatch", maxBatch], ["capacity", capacity], [
        "sendTimeoutMs",
        sendTimeoutMs,
      ]] as const
    ) {
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
    this.#sendTimeoutMs = sendTimeoutMs;
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

  /**
   * Sends everything buffered; resolves when sent (or failed and counted). Each send waits at most
   * `sendTimeoutMs`.
   * @param deadlineMs when given (a stop), frames still buffered after this long are dropped and counted.
   */
  async flush(deadlineMs?: number): Promise<void> {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    const until = deadlineMs === undefined ? Infinity : Date.now() + deadlineMs;
    while (this.#inFlight) await this.#inFlight;
    while (this.#buffer.length > 0) {
      if (Date.now() >= until) {
        this.dropped += this.#buffer.length;
        this.#buffer = [];
        return;
      }
      const batch = this.#buffer.splice(0, this.#maxBatch);
      const send = this.#producer.send({
        messages: batch.map((value) => ({ topic: this.#topic, key: this.#key, value })),
      });
      this.#inFlight = withDeadline(send, this.#sendTimeoutMs, `a live frame send to ${this.#topic}`)
        .then(() => void (this.sent += batch.length), () => void (this.failed += batch.length));
      await this.#inFlight;
      this.#inFlight = undefined;
    }
  }
}
