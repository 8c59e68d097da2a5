/**
 * A dead letter: something vigil could not turn into a stored event, kept with the reason so that nothing is
 * lost silently. Written to the Kafka topic `<topic>.dlq` by {@link DeadLetterWriter} implementations.
 *
 * @module
 */
import type { KafkaCoordinates } from "../lib/event/log_event.ts";

/** Pipeline stages that can dead-letter a message. */
export const DEAD_LETTER_STAGES = [
  "source",
  "parser",
  "classifier",
  "hot_sink",
  "cold_sink",
  "engine",
] as const;
/** A pipeline stage. */
export type DeadLetterStage = typeof DEAD_LETTER_STAGES[number];

/** One dead letter. */
export interface DeadLetterRecord {
  /** The original bytes: the Kafka message value, or the JSON of the document the tier rejected. */
  original: Uint8Array;
  /** Why it was dead-lettered, e.g. the validation error or the tier's error type and reason. */
  reason: string;
  /** Where in the pipeline it failed. */
  stage: DeadLetterStage;
  /** When it was dead-lettered, ISO 8601 UTC. */
  ts: string;
  /** Where the original message was in Kafka, when it came from Kafka. */
  kafka?: KafkaCoordinates;
  /** The original message key, when there was one. */
  key?: Uint8Array;
  /**
   * Set on a decoded dead letter whose envelope was cut to its size cap: `original` is then only a prefix
   * (and the reason or key may be cut too), so it must not be re-driven as if it were the message.
   */
  truncated?: true;
  /** Size of the whole original, bytes, when {@link DeadLetterRecord.truncated}. */
  originalBytes?: number;
}

/** Somewhere dead letters go; `write` resolves only once they are durable. */
export interface DeadLetterWriter {
  /**
   * Stores dead letters durably.
   *
   * @throws when they could not be stored: the caller must then not acknowledge the originals
   */
  write(records: DeadLetterRecord[]): Promise<void>;
}

/**
 * Builds a dead letter from a string or bytes.
 *
 * @param original the original message value (a string is UTF-8 encoded)
 * @param reason why it is dead-lettered
 * @param stage where it failed
 * @param kafka where it was in Kafka
 */
export function deadLetter(
  original: Uint8Array | string,
  reason: string,
  stage: DeadLetterStage,
  kafka?: KafkaCoordinates,
): DeadLetterRecord {
  const bytes = typeof original === "string" ? new TextEncoder().encode(original) : original;
  return { original: bytes, reason, stage, ts: new Date().toISOString(), kafka };
}
