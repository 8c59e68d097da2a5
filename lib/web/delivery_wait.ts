/**
 * What Kafka's lag of a running engine is made of. Kafka reports end − committed offset; vigil commits an
 * offset only once its event is in both tiers, and the cold tier buffers events until its flush
 * (`cold.timeoutMs`, 5 minutes by default). So right after a file is replayed, Kafka's "lag" is the whole
 * file although every event was consumed and is searchable: that part is the **cold-flush wait**, not a
 * backlog. The **consumer lag** is only what was not consumed yet.
 *
 * One computation, read by `start`'s status line and the dashboard's Pipeline page, so both say the same.
 *
 * @module
 */

/** The parts of Kafka's lag, as the status line and the Pipeline page show them. */
export interface DeliveryWait {
  /** Events consumed since the engine started. */
  consumed: number;
  /** Events in flight still on their way through the engine (parsing, classifying, the hot tier). */
  processing: number;
  /** Events processed and buffered by the cold sink until its next flush; their offsets wait for it. */
  coldWaiting: number;
  /** Whole seconds (rounded up) until that flush is due at the latest; meaningful when `coldWaiting > 0`. */
  coldFlushInS: number;
  /** Messages not consumed yet: Kafka's lag − in flight; undefined before Kafka's lag was measured. */
  consumerLag?: number;
}

/** The figures {@link deliveryWait} reads off an engine. */
export interface DeliveryFigures {
  consumed: number;
  /** Events handed over by the source and not yet done in every tier. */
  inFlight: number;
  /** Events the cold sink buffers until its next flush. */
  coldBuffered: number;
  /** Ms until the cold sink's `timeoutMs` flush is due, when one is scheduled. */
  coldFlushInMs?: number;
  /** The cold tier's `timeoutMs`: the bound of the wait when no flush time is known. */
  coldTimeoutMs: number;
  /** Kafka's lag (end − committed) summed over partitions; undefined before measured. */
  kafkaLag?: number;
}

/**
 * Splits Kafka's lag into the cold-flush wait, events still processing and the real consumer lag. Kafka's lag
 * is sampled every few seconds while the in-flight counts are current, so the consumer lag is clamped at 0.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { deliveryWait } from "./delivery_wait.ts";
 * // A file of 2,002 lines delivered in seconds: all in flight, all buffered for the cold tier.
 * const w = deliveryWait({
 *   consumed: 2002, inFlight: 2002, coldBuffered: 2002, coldFlushInMs: 286_400, coldTimeoutMs: 300_000,
 *   kafkaLag: 2002,
 * });
 * assert.deepEqual(w, {
 *   consumed: 2002, processing: 0, coldWaiting: 2002, coldFlushInS: 287, consumerLag: 0,
 * });
 * ```
 */
export function deliveryWait(f: DeliveryFigures): DeliveryWait {
  const coldWaiting = Math.min(f.coldBuffered, f.inFlight);
  return {
    consumed: f.consumed,
    processing: f.inFlight - coldWaiting,
    coldWaiting,
    coldFlushInS: Math.ceil(Math.max(0, f.coldFlushInMs ?? f.coldTimeoutMs) / 1000),
    consumerLag: f.kafkaLag === undefined ? undefined : Math.max(0, f.kafkaLag - f.inFlight),
  };
}

/**
 * `waiting for the cold flush: N events, next flush in ≤ M s`, or undefined when nothing waits for it.
 */
export function coldFlushWaitText(w: Pick<DeliveryWait, "coldWaiting" | "coldFlushInS">): string | undefined {
  if (w.coldWaiting <= 0) return undefined;
  const n = Math.round(w.coldWaiting).toLocaleString("en-US");
  return `waiting for the cold flush: ${n} event${
    w.coldWaiting === 1 ? "" : "s"
  }, next flush in ≤ ${w.coldFlushInS} s`;
}
