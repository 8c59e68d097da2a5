/**
 * Cold retention: deletes the objects of every `dt=/hour=` partition (and `dt=` day object) whose hour (day) ended more than
 * `cold.retentionDays` ago. Age counts from the partition's hour — the events' routing time — so the archive
 * keeps a fixed span of event time (S3 lifecycle rules count from the object's write instead, which a
 * compaction would reset). Idempotent: a rerun deletes what a killed run left.
 *
 * @module
 */
import type { ColdService } from "../cold_sink/service.ts";
import { partitionSpanOf } from "./hour_partition.ts";

const DAY_MS = 86_400_000;

/**
 * Deletes the expired objects under `prefix` (`<s3.prefix>events/`).
 *
 * @param days retention in days; 0 keeps everything
 * @param now the clock
 * @returns the keys deleted
 */
export async function expireColdObjects(
  service: ColdService,
  prefix: string,
  days: number,
  now: number = Date.now(),
): Promise<string[]> {
  if (!Number.isFinite(days) || days < 0) {
    throw new RangeError(`Cannot expire cold objects as days must be 0 or more: current value is ${days}`);
  }
  if (days === 0) return [];
  // A day object (compaction's day level) expires with the last hour of its day.
  const expired = (await service.list(prefix)).filter((key) => {
    const span = partitionSpanOf(key);
    return span !== undefined && now - span.end >= days * DAY_MS;
  });
  for (const key of expired) await service.delete(key);
  return expired;
}
