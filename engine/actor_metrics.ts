/**
 * Per-actor counters written on the hot path (plain number fields, no maps, no labels) plus a small set of
 * named counters/gauges an actor may add for itself (`ctx.metrics.count("templates_created")`).
 *
 * @module
 */
import { Histogram } from "./histogram.ts";

/**
 * The metrics of one actor. The runtime fills `processed`, `failed`, `deadLettered` and the processing-time
 * histogram; actors add their own named counters and gauges.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ActorMetrics } from "./actor_metrics.ts";
 * const m = new ActorMetrics();
 * m.count("bulk_requests");
 * m.gauge("buffered_bytes", 4096);
 * assert.deepEqual(m.custom(), { counters: { bulk_requests: 1 }, gauges: { buffered_bytes: 4096 } });
 * ```
 */
export class ActorMetrics {
  /** Messages handled without error (each message of a batch counts). */
  processed = 0;
  /** Messages whose handling threw (each attempt counts). */
  failed = 0;
  /** Messages this actor sent to dead letters. */
  deadLettered = 0;
  /** Time per message (ms); batches record their per-message average once per message. */
  readonly processingMs: Histogram = new Histogram();
  #counters = new Map<string, number>();
  #gauges = new Map<string, number>();

  /** Adds `n` (default 1) to the named counter. */
  count(name: string, n = 1): void {
    this.#counters.set(name, (this.#counters.get(name) ?? 0) + n);
  }

  /** Sets the named gauge. */
  gauge(name: string, value: number): void {
    this.#gauges.set(name, value);
  }

  /** The named counters and gauges, as plain objects. */
  custom(): { counters: Record<string, number>; gauges: Record<string, number> } {
    return { counters: Object.fromEntries(this.#counters), gauges: Object.fromEntries(this.#gauges) };
  }
}
