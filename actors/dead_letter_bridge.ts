/**
 * Bridges the engine's in-memory dead letters to the Kafka dead-letter topic and the offset watermark.
 *
 * The engine gives up on a message that fails `maxAttempts` times (poison) or that an actor rejects for good.
 * Such a message would otherwise never be acknowledged, and its partition's committed offset would stop
 * advancing for good. The bridge writes it to `<topic>.dlq` (stage from the actor's path, reason from the
 * error) and, once that is durable, marks its offset done in every tier.
 *
 * Messages left in mailboxes by a hard stop (`stopped`, `abandoned`) are NOT acknowledged: they were never
 * processed, their offsets stay uncommitted, and Kafka redelivers them after a restart.
 *
 * @module
 */
import type { DeadLetter, DeadLetterListener } from "../engine/dead_letters.ts";
import type { KafkaCoordinates } from "../lib/event/log_event.ts";
import type { DeadLetterRecord, DeadLetterStage, DeadLetterWriter } from "./dead_letter_record.ts";
import { deadLetterOutboxOf } from "./dead_letter_outbox.ts";
import { jsonLogger, type Logger } from "../engine/logger.ts";

/** Reasons after which the engine will never process the message again. */
const GIVEN_UP = new Set(["poison", "failed", "rejected", "undeliverable"]);

/** What the bridge needs from the source: mark an offset done in every tier. */
export interface AckAllTarget {
  ackAll(kafka: KafkaCoordinates): void;
}

function coordinates(message: unknown): KafkaCoordinates | undefined {
  const k = (message as { kafka?: Partial<KafkaCoordinates> } | null)?.kafka;
  if (typeof k?.topic !== "string" || typeof k.partition !== "number" || typeof k.offset !== "string") {
    return undefined;
  }
  return { topic: k.topic, partition: k.partition, offset: k.offset };
}

/** The pipeline stage an actor path belongs to, e.g. `/classifier/worker-1` → `classifier`. */
export function stageOfActor(path: string): DeadLetterStage {
  const first = path.split("/").find((p) => p.length > 0) ?? "";
  if (first.startsWith("parser")) return "parser";
  if (first.startsWith("classifier")) return "classifier";
  if (first.startsWith("hot")) return "hot_sink";
  if (first.startsWith("cold")) return "cold_sink";
  if (first.startsWith("kafka") || first.startsWith("source")) return "source";
  return "engine";
}

function describe(letter: DeadLetter): string {
  const error = letter.error instanceof Error
    ? `${letter.error.name}: ${letter.error.message}`
    : String(letter.error ?? "");
  return `${letter.reason} after ${letter.attempts} attempt(s) in ${letter.actor}${
    error ? `: ${error}` : ""
  }`;
}

/**
 * Creates the listener; subscribe it with `system.deadLetters.subscribe(...)`.
 *
 * @param writer where dead letters go (the Kafka DLQ producer)
 * @param source the Kafka source whose watermark must move past the given-up offsets
 * @param logger warned when the writer blocks or a letter cannot be stored, told when it recovers (a
 *   `DeadLetterOutbox` retries with bounded tries, then periodically while blocked; pass the engine's shared
 *   outbox so the source pauses)
 * @param signal ends the retries of letters not yet stored when the engine stops (they stay unacknowledged,
 *   so Kafka redelivers their messages); without it a blocked outbox would keep probing after the stop
 */
export function deadLetterBridge(
  writer: DeadLetterWriter,
  source: AckAllTarget,
  logger: Logger = jsonLogger("info", { component: "dead_letters" }),
  signal?: AbortSignal,
): DeadLetterListener {
  const outbox = deadLetterOutboxOf(writer, { logger });
  return (letter) => {
    if (!GIVEN_UP.has(letter.reason)) return;
    const kafka = coordinates(letter.message);
    if (kafka === undefined) return; // not a pipeline record: nothing to acknowledge
    const event = (letter.message as { event?: unknown }).event;
    let json: string;
    try {
      json = JSON.stringify(event ?? null);
    } catch {
      json = String(event);
    }
    const record: DeadLetterRecord = {
      original: new TextEncoder().encode(json),
      reason: describe(letter),
      stage: stageOfActor(letter.actor),
      ts: new Date(letter.at).toISOString(),
      kafka,
    };
    // Never acknowledged unless stored: until then the offset holds its partition's commits back.
    void outbox.deliver([record], signal).then(() => source.ackAll(kafka), (err) => logger.warn(String(err)));
  };
}
