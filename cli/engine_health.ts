/**
 * The engine's `/health` answer: healthy only when both tiers answer, no partition is stalled and dead letters
 * can be stored; otherwise each reason in one line, so an operator sees why the engine stopped moving.
 *
 * @module
 */
import type { KafkaSourceMetrics } from "../actors/kafka_source.ts";
import type { DeadLetterBlock } from "../actors/dead_letter_outbox.ts";
import type { PendingOffset } from "../actors/offset_watermark.ts";

/** What `/health` returns (with the status line added by the caller). */
export interface EngineHealth {
  /** True when nothing below holds delivery back (`/health` answers 200, else 503). */
  healthy: boolean;
  /** One line per problem, e.g. `dead letters cannot be stored …` or `hot tier failing`. */
  reasons: string[];
  /** Partitions whose oldest in-flight event is older than `delivery.stallAgeMs`. */
  stalled: readonly PendingOffset[];
  /** The oldest un-acknowledged offset and its age, per partition. */
  oldestUnacked: { topic: string; partition: number; offset: string; ageMs: number }[];
  /** Set while the dead-letter topic refuses writes (the source is paused on it). */
  deadLetters?: DeadLetterBlock;
}

/**
 * Judges the engine's health from the tiers' health and the source's metrics.
 *
 * @param state whether each tier answers, and the Kafka source's metrics
 */
export function engineHealth(
  state: { hotHealthy: boolean; coldHealthy: boolean; source: KafkaSourceMetrics },
): EngineHealth {
  const { source } = state;
  const reasons: string[] = [];
  if (!state.hotHealthy) reasons.push("hot tier failing (retrying)");
  if (!state.coldHealthy) reasons.push("cold tier failing (retrying)");
  // A stalled partition is unhealthy even when both tiers answer: its events are not arriving.
  for (const p of source.stalled) {
    reasons.push(
      `partition ${p.topic}-${p.partition} stalled at offset ${p.offset} for ${Math.round(p.ageMs / 1000)} s`,
    );
  }
  if (source.pausedReason !== undefined) reasons.push(`source paused: ${source.pausedReason}`);
  const oldestUnacked = source.partitions.flatMap((p) =>
    p.oldestUnacked === undefined ? [] : [{ topic: p.topic, partition: p.partition, ...p.oldestUnacked }]
  );
  return {
    healthy: reasons.length === 0,
    reasons,
    stalled: source.stalled,
    oldestUnacked,
    deadLetters: source.deadLettersBlocked,
  };
}
