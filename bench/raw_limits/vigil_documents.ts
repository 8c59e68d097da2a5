/**
 * vigil's documents as the sinks write them, for the raw-limit measurements: LogEvents turned into delivery
 * records (a classified event plus Kafka coordinates) without running the parser or the model — the sinks'
 * cost does not depend on what the classifier decided.
 *
 * @module
 */
import type { DeliveryRecord } from "../../actors/delivery_record.ts";
import type { LogEvent } from "../../lib/event/log_event.ts";

/** Delivery records for `events` at offsets `base + i` of `partition = i % partitions` of `topic`. */
export function deliveryRecords(
  events: readonly LogEvent[],
  { topic = "bench.raw", partitions = 4, base = 0 }: { topic?: string; partitions?: number; base?: number } =
    {},
): DeliveryRecord[] {
  return events.map((e, i) => {
    const template = e.content.replace(/\d+/g, "<*>");
    return {
      event: {
        ...e,
        templateId: `t${template.length % 64}`,
        template,
        params: [],
        classification: i % 100 === 0 ? "ANOMALY" : "NORMAL",
        score: (i % 100) / 100,
        reasons: [],
        modelVersion: "bench",
      },
      kafka: { topic, partition: i % partitions, offset: String(base + Math.floor(i / partitions)) },
    };
  });
}
