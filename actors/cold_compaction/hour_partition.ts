/**
 * The end of the UTC hour a cold-tier key names in its `dt=YYYY-MM-DD/hour=HH/` segments (pure): what
 * compaction (only hours the sink no longer writes) and cold retention (hours past the retention) decide by.
 *
 * @module
 */

/** End of the hour named by `key` (ms since the epoch), or undefined when it names none. */
export function hourEndOf(key: string): number | undefined {
  const m = /(?:^|\/)dt=(\d{4}-\d{2}-\d{2})\/hour=(\d{2})\//.exec(key);
  if (m === null) return undefined;
  const start = Date.parse(`${m[1]}T${m[2]}:00:00Z`);
  return Number.isFinite(start) ? start + 3_600_000 : undefined;
}

/** True when the hour named by `key` ended at least `minAgeMs` before `now` (false when it names none). */
export function hourEnded(key: string, minAgeMs: number, now: number): boolean {
  const end = hourEndOf(key);
  return end !== undefined && now - end >= minAgeMs;
}

/**
 * The UTC span a cold-tier key's partition names: its hour for an hour object (`dt=/hour=`), its whole day for a
 * day object (`dt=` without `hour=`, see `day_object_key.ts`); undefined when it names neither.
 */
export function partitionSpanOf(key: string): { start: number; end: number } | undefined {
  const hourEnd = hourEndOf(key);
  if (hourEnd !== undefined) return { start: hourEnd - 3_600_000, end: hourEnd };
  const m = /(?:^|\/)dt=(\d{4}-\d{2}-\d{2})\/(?!hour=)/.exec(key);
  if (m === null) return undefined;
  const start = Date.parse(`${m[1]}T00:00:00Z`);
  return Number.isFinite(start) ? { start, end: start + 86_400_000 } : undefined;
}
