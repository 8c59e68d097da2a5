/**
 * The cold tier's lifecycle as a supervised background actor of the engine: every `intervalMs` (and once
 * `firstDelayMs` after start) it runs one pass of `runColdLifecycle` — retention, hour and day compaction.
 *
 * A failed pass (S3 down, a decode error) throws: the engine's supervisor restarts the actor with backoff, and
 * the next tick runs a fresh pass, which resumes where the failed one stopped (every step is idempotent and
 * crash-safe). Ticks that come while a pass runs are dropped (mailbox of one), so passes never pile up. The
 * engine's shutdown aborts `signal`, which stops a pass before its next merge.
 *
 * @module
 */
import type { Props } from "../../engine/actor.ts";
import { restartWithBackoff } from "../../engine/restart_with_backoff.ts";
import type { VigilConfig } from "../../lib/config/vigil_config.ts";
import type { ColdService } from "../cold_sink/service.ts";
import { type ColdLifecycleOptions, runColdLifecycle } from "./cold_lifecycle.ts";

/** The one message of the actor: run a pass. */
export type CompactionTick = "tick";

/** Options of {@link coldCompactionActor}. */
export interface ColdCompactionActorOptions {
  service: ColdService;
  /** `<s3.prefix>events/`. */
  root: string;
  /** Pause between passes, ms (a positive number). */
  intervalMs: number;
  /** Delay of the first pass after start, ms. Default: `min(intervalMs, 60 000)`. */
  firstDelayMs?: number;
  /** Retention, age and target size of each pass. */
  lifecycle: Omit<ColdLifecycleOptions, "now" | "signal" | "log">;
  /** Aborted by the engine's shutdown. */
  signal?: AbortSignal;
}

/**
 * The actor's props (name `cold-compaction`), supervised by restart with backoff (1 s up to 10 min).
 *
 * @throws {RangeError} when `intervalMs` is not a positive number
 */
export function coldCompactionActor(options: ColdCompactionActorOptions): Props<CompactionTick> {
  const { service, root, intervalMs, lifecycle, signal } = options;
  if (!(intervalMs > 0) || !Number.isFinite(intervalMs)) {
    throw new RangeError(
      `Cannot create coldCompactionActor as intervalMs must be a positive number: current value is ${intervalMs}`,
    );
  }
  const firstDelayMs = options.firstDelayMs ?? Math.min(intervalMs, 60_000);
  return {
    name: "cold-compaction",
    mailbox: { capacity: 1, whenFull: "drop_newest" },
    supervisor: restartWithBackoff({ minBackoffMs: 1_000, maxBackoffMs: 600_000 }),
    // A failed tick is not retried in place: the next scheduled one starts a fresh pass.
    maxAttempts: 1,
    create: (ctx) => ({
      preStart() {
        ctx.scheduleOnce(firstDelayMs, "tick");
        ctx.scheduleRepeatedly(intervalMs, "tick");
      },
      async receive() {
        if (signal?.aborted) return;
        const started = Date.now();
        const report = await runColdLifecycle(service, root, { ...lifecycle, now: started, signal });
        ctx.log.info("cold lifecycle pass done", {
          expired: report.expired,
          hourObjectsWritten: report.hours.written,
          dayObjectsWritten: report.days.written,
          objectsDeleted: report.hours.deleted + report.days.deleted,
          elapsedMs: Date.now() - started,
        });
      },
    }),
  };
}

/** The actor's options from the configuration; `undefined` when `cold.compaction.enabled` is off. */
export function coldCompactionFromConfig(
  config: VigilConfig,
  service: ColdService,
  signal?: AbortSignal,
): ColdCompactionActorOptions | undefined {
  const c = config.cold.compaction;
  if (!c.enabled) return undefined;
  return {
    service,
    root: `${config.s3.prefix}events/`,
    intervalMs: c.intervalMs,
    lifecycle: {
      retentionDays: config.cold.retentionDays,
      minAgeMs: c.minAgeHours * 3_600_000,
      targetBytes: Math.round(c.targetMiB * 1048576),
    },
    signal,
  };
}
