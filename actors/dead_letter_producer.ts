/**
 * Writes dead letters to the Kafka topic `<topic>.dlq` through the shared Kafka client (idempotent, acks=all),
 * keyed by the original key so that re-driving keeps partition order.
 *
 * @module
 */
import type { VigilConfig } from "../lib/config/vigil_config.ts";
import { createKafkaProducer, dlqTopic, type VigilKafkaProducer } from "../lib/kafka/kafka_client.ts";
import { encodeDeadLetter } from "./dead_letter_envelope.ts";
import type { DeadLetterRecord, DeadLetterWriter } from "./dead_letter_record.ts";

/** Options of {@link DeadLetterProducer}. */
export interface DeadLetterProducerOptions {
  /** The DLQ topic. Default `<config.kafka.topic>.dlq`. */
  topic?: string;
  /** An existing producer to share (not closed by {@link DeadLetterProducer.close}). Default: a new one. */
  producer?: VigilKafkaProducer;
}

/** A {@link DeadLetterWriter} that produces to Kafka; `write` resolves once the broker acknowledged (acks=all). */
export class DeadLetterProducer implements DeadLetterWriter {
  readonly topic: string;
  #producer: VigilKafkaProducer;
  #owned: boolean;
  #written = 0;

  /**
   * @param config vigil's configuration (brokers, topic)
   * @param options topic and producer overrides
   */
  constructor(config: VigilConfig, options: DeadLetterProducerOptions = {}) {
    this.topic = options.topic ?? dlqTopic(config.kafka.topic);
    this.#owned = options.producer === undefined;
    this.#producer = options.producer ??
      createKafkaProducer(config, { clientId: `${config.kafka.clientId}-dlq` });
  }

  /** Dead letters written so far. */
  get written(): number {
    return this.#written;
  }

  async write(records: DeadLetterRecord[]): Promise<void> {
    if (records.length === 0) return;
    await this.#producer.send({
      messages: records.map((r) => ({
        topic: this.topic,
        key: r.key === undefined ? undefined : new TextDecoder().decode(r.key),
        value: encodeDeadLetter(r),
        headers: { "vigil-stage": r.stage, "vigil-reason": r.reason.slice(0, 1000) },
      })),
    });
    this.#written += records.length;
  }

  /** Closes the producer if this writer created it. */
  async close(): Promise<void> {
    if (this.#owned) await this.#producer.close();
  }
}
