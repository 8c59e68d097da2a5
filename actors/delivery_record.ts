/**
 * The unit the sinks consume and the acknowledgement they give back: a classified event with the Kafka
 * coordinates it came from. The coordinates make writes idempotent (document id, object key) and let the
 * source commit offsets only once both tiers have the event.
 *
 * @module
 */
import type { ClassifiedEvent, KafkaCoordinates } from "../lib/event/log_event.ts";
import type { Incident } from "../lib/incidents/incident.ts";

/**
 * An event at any stage of the pipeline with the Kafka coordinates it was read from; stages replace `event`
 * and keep `kafka`, so the sinks can acknowledge the offset.
 */
export interface Sourced<E> {
  /** The event. */
  event: E;
  /** Topic, partition and offset of the Kafka message the event was read from. */
  kafka: KafkaCoordinates;
  /**
   * Incidents this event opened or changed (their latest versions). The hot sink writes them with the event,
   * so an incident change is durable before the event's offset may commit; other sinks ignore them.
   */
  incidents?: Incident[];
}

/** A classified event on its way to a sink, with where it came from in Kafka. */
export type DeliveryRecord = Sourced<ClassifiedEvent>;

/** The storage tiers that must hold an event before its offset may be committed. */
export const DELIVERY_TIERS = ["hot", "cold"] as const;
/** A storage tier. */
export type DeliveryTier = typeof DELIVERY_TIERS[number];

/**
 * What became of one record:
 * - `delivered`: durable in the tier;
 * - `dead_lettered`: the tier rejected it for good (mapping/validation) and it was written to the dead-letter
 *   topic with the reason — it is handled, so its offset may advance.
 */
export type DeliveryOutcome = "delivered" | "dead_lettered";

/** Acknowledgement of one record by one tier. */
export interface DeliveryAck {
  kafka: KafkaCoordinates;
  tier: DeliveryTier;
  outcome: DeliveryOutcome;
  /** Why the record was dead-lettered (only for `dead_lettered`). */
  reason?: string;
}

/** Called by a sink with the acknowledgements of each batch it finished. */
export type AckListener = (acks: DeliveryAck[]) => void;

/** The idempotent id of the record: `<topic>-<partition>-<offset>`. */
export function deliveryId(kafka: KafkaCoordinates): string {
  return `${kafka.topic}-${kafka.partition}-${kafka.offset}`;
}

/**
 * Approximate serialised size of a record in bytes, for the sinks' `maxBytes` bounds, without serialising it
 * (`JSON.stringify` per record on the hot path cost as much as building the bulk body itself). The raw line
 * dominates an event, and the other text fields are parts of it: the content, the parsed `fields` and the
 * template's parameters. Errs on the high side, so batches stay under their limits.
 */
export function estimateRecordBytes(record: DeliveryRecord): number {
  const e = record.event;
  return 2 * e.raw.length + e.content.length + e.template.length + 512;
}
