/**
 * One pass of the cold tier's lifecycle, what `deno task compact` and the engine's compaction actor both run:
 * expire the partitions past the retention (first: compacting them would be wasted work), merge each ended
 * hour's objects per topic-partition, then each ended day's into day objects. Every step is idempotent and
 * crash-safe on its own (see `compactor.ts`, `day_compactor.ts`), so a pass killed anywhere is finished by the
 * next one.
 *
 * @module
 */
import type { ColdService } from "../cold_sink/service.ts";
import { expireColdObjects } from "./cold_retention.ts";
import { compact, type CompactionReport } from "./compactor.ts";
import { compactDays, DEFAULT_TARGET_BYTES } from "./day_compactor.ts";
import { hourEnded } from "./hour_partition.ts";

/** Options of {@link runColdLifecycle}. */
export interface ColdLifecycleOptions {
  /** Retention in days of event time; 0 keeps everything. Default 0. */
  retentionDays?: number;
  /** Only hours (days) that ended at least this long ago, so the sink no longer writes them. Default 2 h. */
  minAgeMs?: number;
  /** Size each day object aims at. Default 64 MiB. */
  targetBytes?: number;
  /** The clock. Default `Date.now()`. */
  now?: number;
  /** Stops the pass between two merges (a merge under way finishes or is abandoned crash-safely). */
  signal?: AbortSignal;
  /** Progress lines. Default: none. */
  log?: (message: string) => void;
}

/** What one pass did. */
export interface ColdLifecycleReport {
  /** Keys deleted by retention. */
  expired: number;
  hours: CompactionReport;
  days: CompactionReport;
}

/**
 * Runs one lifecycle pass over `root` (`<s3.prefix>events/`).
 *
 * @throws whatever the store throws, or the signal's reason once aborted; a rerun resumes safely
 */
export async function runColdLifecycle(
  service: ColdService,
  root: string,
  options: ColdLifecycleOptions = {},
): Promise<ColdLifecycleReport> {
  const {
    retentionDays = 0,
    minAgeMs = 2 * 3_600_000,
    targetBytes = DEFAULT_TARGET_BYTES,
    now = Date.now(),
    signal,
    log,
  } = options;
  const expired = (await expireColdObjects(service, root, retentionDays, now)).length;
  signal?.throwIfAborted();
  const hours = await compact(service, root, {
    includeDir: (dir) => hourEnded(dir, minAgeMs, now),
    signal,
    log,
  });
  signal?.throwIfAborted();
  const days = await compactDays(service, root, {
    targetBytes,
    // A day's directory names no hour: it ended when its last hour did.
    includeDay: (dir) => hourEnded(`${dir}hour=23/`, minAgeMs, now),
    signal,
    log,
  });
  return { expired, hours, days };
}
