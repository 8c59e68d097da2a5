/**
 * The delivery stall watchdog: reports every partition whose oldest in-flight event has been neither
 * acknowledged by both tiers nor dead-lettered for longer than `delivery.stallAgeMs`.
 *
 * Why it exists: an event the engine loses between source and sinks (issue 21: a classifier batch stranded by
 * a worker's death) never fails loudly — it just never comes back, the partition's committed offset stops
 * behind it and lag grows until a restart re-reads it. The watchdog makes such a stall visible whatever its
 * cause, from the one place that sees every event: the source's {@link OffsetWatermark}. It only reports (a log
 * line when a stall starts and when it clears, the `/health` and `/metrics` of the engine); it does not guess
 * what to do with the event — the engine may still deliver it, and a restart re-reads it from the last commit.
 *
 * The age must exceed how long acks are held back by design: the cold tier acknowledges only when it flushes
 * (`cold.timeoutMs`).
 *
 * @module
 */
import type { PendingOffset } from "./offset_watermark.ts";
import { jsonLogger, type Logger } from "../engine/logger.ts";

/** Options of {@link StallWatchdog}. */
export interface StallWatchdogOptions {
  /** The oldest un-acknowledged offset per partition (`OffsetWatermark.oldestPending`). */
  pending: () => PendingOffset[];
  /** An event un-acknowledged for at least this long is stalled, ms (`delivery.stallAgeMs`). */
  maxAgeMs: number;
  /** Warned when a stall starts, told when it clears. Default: JSON lines on stderr. */
  logger?: Logger;
}

const label = (p: { topic: string; partition: number }) => `${p.topic}-${p.partition}`;

/** Reports stalled partitions on each {@link StallWatchdog.check}; see the module doc. */
export class StallWatchdog {
  readonly maxAgeMs: number;
  #pending: () => PendingOffset[];
  #logger: Logger;
  /** Partition label → the stalled offset last reported for it. */
  #reported = new Map<string, string>();
  #stalled: PendingOffset[] = [];
  #stallsReported = 0;

  /** @throws {RangeError} when `maxAgeMs` is not a positive number */
  constructor(options: StallWatchdogOptions) {
    if (!(options.maxAgeMs > 0)) {
      throw new RangeError(
        `Cannot create StallWatchdog as maxAgeMs must be a positive number: current value is ${options.maxAgeMs}`,
      );
    }
    this.maxAgeMs = options.maxAgeMs;
    this.#pending = options.pending;
    this.#logger = options.logger ?? jsonLogger("info", { component: "stall_watchdog" });
  }

  /**
   * Looks at every partition now: logs each new stall (a partition, or a later offset of it, newly past the
   * age) and each cleared one.
   * @returns the stalled partitions, oldest offset of each
   */
  check(): PendingOffset[] {
    const stalled = this.#pending().filter((p) => p.ageMs >= this.maxAgeMs);
    const now = new Map<string, string>();
    for (const p of stalled) {
      const k = label(p);
      now.set(k, p.offset);
      if (this.#reported.get(k) === p.offset) continue;
      this.#stallsReported++;
      this.#logger.warn(
        `delivery stalled: ${k} offset ${p.offset} is neither acknowledged by every tier nor dead-lettered after ${
          Math.round(p.ageMs / 1000)
        } s (delivery.stallAgeMs ${this.maxAgeMs} ms); its partition commits nothing past it`,
      );
    }
    for (const [k, offset] of this.#reported) {
      if (!now.has(k)) this.#logger.info(`delivery stall cleared: ${k} moved past offset ${offset}`);
    }
    this.#reported = now;
    this.#stalled = stalled;
    return stalled;
  }

  /** The stalled partitions found by the last {@link StallWatchdog.check}. */
  get stalled(): readonly PendingOffset[] {
    return this.#stalled;
  }

  /** Stalls reported so far (a partition counts again when a later offset of it stalls). */
  get stallsReported(): number {
    return this.#stallsReported;
  }

  /**
   * Prometheus text: per partition the oldest un-acknowledged offset and its age (live), the stalled
   * partitions at the last check, and the stalls reported so far.
   */
  prometheusText(): string {
    const esc = (s: string) => s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
    const pending = this.#pending();
    const lines = [
      "# HELP vigil_delivery_oldest_unacked_age_seconds Age of the oldest event of a partition not yet acknowledged by every tier nor dead-lettered.",
      "# TYPE vigil_delivery_oldest_unacked_age_seconds gauge",
      ...pending.map((p) =>
        `vigil_delivery_oldest_unacked_age_seconds{topic="${esc(p.topic)}",partition="${p.partition}"} ${
          p.ageMs / 1000
        }`
      ),
      "# HELP vigil_delivery_oldest_unacked_offset Offset of the oldest event of a partition not yet acknowledged by every tier nor dead-lettered.",
      "# TYPE vigil_delivery_oldest_unacked_offset gauge",
      ...pending.map((p) =>
        `vigil_delivery_oldest_unacked_offset{topic="${esc(p.topic)}",partition="${p.partition}"} ${p.offset}`
      ),
      "# HELP vigil_delivery_stalled_partitions Partitions whose oldest un-acknowledged event is older than delivery.stallAgeMs.",
      "# TYPE vigil_delivery_stalled_partitions gauge",
      `vigil_delivery_stalled_partitions ${this.#stalled.length}`,
      "# HELP vigil_delivery_stalls_total Delivery stalls reported by the watchdog.",
      "# TYPE vigil_delivery_stalls_total counter",
      `vigil_delivery_stalls_total ${this.#stallsReported}`,
    ];
    return lines.join("\n") + "\n";
  }
}
