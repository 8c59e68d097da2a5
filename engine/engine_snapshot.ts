/**
 * The typed metrics and health snapshot of the engine, as the dashboard's Pipeline page and `/metrics` read it.
 *
 * @module
 */
import type { HistogramSnapshot } from "./histogram.ts";
import type { WhenFull } from "./bounded_mailbox.ts";

/** Lifecycle state of an actor. `failed` = stopped by its supervisor (error or restart limit). */
export type ActorState = "starting" | "running" | "restarting" | "stopping" | "stopped" | "failed";

/** Health and counters of one actor at one instant. */
export interface ActorSnapshot {
  /** Local name. */
  name: string;
  /** Path from the system root, e.g. `/classifier/worker-1`. */
  path: string;
  state: ActorState;
  mailbox: {
    depth: number;
    capacity: number;
    whenFull: WhenFull;
    /** Senders parked under `block`. */
    waitingSenders: number;
  };
  messages: {
    /** Accepted into the mailbox. */
    in: number;
    /** Handled without error. */
    out: number;
    /** Discarded by a drop policy. */
    dropped: number;
    /** Handling attempts that threw. */
    failed: number;
    /** Sent to dead letters by this actor. */
    deadLettered: number;
  };
  restarts: number;
  /** Processing time per message, ms. */
  processingMs: HistogramSnapshot;
  /** The actor's own named counters and gauges. */
  custom: { counters: Record<string, number>; gauges: Record<string, number> };
}

/** The whole engine at one instant. */
export interface EngineSnapshot {
  /** Epoch ms of the snapshot (system clock). */
  at: number;
  /** Every live or stopped actor spawned by the system, parents before children. */
  actors: ActorSnapshot[];
  deadLetters: { total: number };
}
