/**
 * Writes dead letters to the Kafka topic `<topic>.dlq` through the shared Kafka client (idempotent, acks=all),
 * keyed by the original key so that re-driving keeps partition order.
 *
 * Each envelope is capped at `delivery.deadLetterMaxBytes` (see `dead_letter_envelope.ts`), and one produce
 * request carries at most that many bytes of envelopes: the broker's `max.message.bytes` applies to a whole
 * record batch, so a hot-tier batch of many rejected documents sent at once could be refused as one.
 *
 * @module
 */
import type { VigilConfig } from "../lib/config/vigil_config.ts";
import { createKafkaProducer, dlqTopic, type VigilKafkaProducer } from "../lib/kafka/kafka_client.ts";
import { describeKafkaError } from "../lib/kafka/describe_kafka_error.ts";
import { encodeDeadLetter, MAX_KEY_BYTES } from "./dead_letter_envelope.ts";
import type { DeadLetterRecord, DeadLetterWriter } from "./dead_letter_record.ts";

/** Options of {@link DeadLetterProducer}. */
export interface DeadLetterProducerOptions {
  /** The DLQ topic. Default `<config.kafka.topic>.dlq`. */
  topic?: string;
  /** An existing producer to share (not closed by {@link DeadLetterProducer.close}). Default: a new one. */
  producer?: VigilKafkaProducer;
  /** Cap of one envelope and of one produce request, bytes. Default `config.delivery.deadLetterMaxBytes`. */
  maxBytes?: number;
}

function isTooLarge(err: unknown, depth = 0): boolean {
  if (!(err instanceof Error) || depth > 3) return false;
  const e = err as Error & { apiId?: string; errors?: unknown[] };
  if (e.apiId === "MESSAGE_TOO_LARGE" || e.apiId === "RECORD_LIST_TOO_LARGE") return true;
  return [...(e.errors ?? []), e.cause].some((c) => isTooLarge(c, depth + 1));
}

/** A {@link DeadLetterWriter} that produces to Kafka; `write` resolves once the broker acknowledged (acks=all). */
export class DeadLetterProducer implements DeadLetterWriter {
  readonly topic: string;
  /** Cap of one envelope and of one produce request, bytes. */
  readonly maxBytes: number;
  #producer: VigilKafkaProducer;
  #owned: boolean;
  #written = 0;

  /**
   * @param config vigil's configuration (brokers, topic)
   * @param options topic and producer overrides
   */
  constructor(config: VigilConfig, options: DeadLetterProducerOptions = {}) {
    this.topic = options.topic ?? dlqTopic(config.kafka.topic);
    this.maxBytes = options.maxBytes ?? config.delivery.deadLetterMaxBytes;
    this.#owned = options.producer === undefined;
    this.#producer = options.producer ??
      createKafkaProducer(config, { clientId: `${config.kafka.clientId}-dlq` });
  }

  /** Dead letters written so far. */
  get written(): number {
    return this.#written;
  }

  /**
   * Produces the letters (in requests of at most `maxBytes`) and resolves once the broker acknowledged them.
   *
   * @throws {Error} naming the topic and the broker's reason (with what to change when a letter is too large)
   */
  async write(records: DeadLetterRecord[]): Promise<void> {
    if (records.length === 0) return;
    const messages = records.map((r) => {
      const value = encodeDeadLetter(r, this.maxBytes);
      return {
        topic: this.topic,
        key: r.key === undefined ? undefined : new TextDecoder().decode(r.key.subarray(0, MAX_KEY_BYTES)),
        value,
        headers: { "vigil-stage": r.stage, "vigil-reason": r.reason.slice(0, 1000) },
        size: new TextEncoder().encode(value).length + 2048, // + key and headers (≤ 2 KiB)
      };
    });
    let request: typeof messages = [];
    let bytes = 0;
    const send = async () => {
      if (request.length === 0) return;
      try {
        await this.#producer.send({ messages: request.map(({ size: _, ...m }) => m) });
      } catch (err) {
        throw new Error(
          `dead-letter topic ${this.topic} refused the write: ${describeKafkaError(err)}${
            isTooLarge(err)
              ? `; raise the topic's max.message.bytes above ${this.maxBytes} or lower delivery.deadLetterMaxBytes`
              : ""
          }`,
          { cause: err },
        );
      }
      this.#written += request.length;
      request = [];
      bytes = 0;
    };
    for (const m of messages) {
      if (request.length > 0 && bytes + m.size > this.maxBytes) await send();
      request.push(m);
      bytes += m.size;
    }
    await send();
  }

  /** Closes the producer if this writer created it. */
  async close(): Promise<void> {
    if (this.#owned) await this.#producer.close();
  }
}
