/**
 * Time windows for hot-tier queries: presets ("last 15 minutes") and custom ranges, resolved against a clock.
 *
 * @module
 */

/** Named relative windows offered by the UI, in seconds. */
export const RANGE_PRESETS = {
  "5m": 300,
  "15m": 900,
  "1h": 3_600,
  "6h": 21_600,
  "24h": 86_400,
  "7d": 604_800,
  "30d": 2_592_000,
} as const;

/** A preset name, or `custom` for explicit from/to. */
export type RangeName = keyof typeof RANGE_PRESETS | "custom";

/** All range names, presets first. */
export const RANGE_NAMES: [RangeName, ...RangeName[]] = [
  "5m",
  "15m",
  "1h",
  "6h",
  "24h",
  "7d",
  "30d",
  "custom",
];

/** A resolved, absolute time window. */
export interface TimeWindow {
  from: Date;
  to: Date;
  range: RangeName;
}

/**
 * Resolves a preset or custom range to absolute times.
 *
 * @param range a preset name or `custom`
 * @param now the clock's current time
 * @param custom from/to for `custom`
 * @throws {RangeError} when `custom` lacks from/to or from is not before to
 */
export function resolveTimeWindow(
  range: RangeName,
  now: Date,
  custom: { from?: Date; to?: Date } = {},
): TimeWindow {
  if (range === "custom") {
    const { from, to } = custom;
    if (!from || !to) throw new RangeError("Cannot resolve a custom time range without both 'from' and 'to'");
    if (from.getTime() >= to.getTime()) {
      throw new RangeError(
        `Cannot resolve a custom time range as 'from' must be before 'to': current values are ${from.toISOString()} and ${to.toISOString()}`,
      );
    }
    return { from, to, range };
  }
  return { from: new Date(now.getTime() - RANGE_PRESETS[range] * 1000), to: now, range };
}

/** Bucket widths (seconds) that keep a chart at roughly 100–300 points. */
const STEPS = [1, 5, 10, 15, 30, 60, 120, 300, 600, 1_800, 3_600, 10_800, 21_600, 86_400];

/**
 * Picks a histogram bucket width for a window so that charts stay readable and queries cheap.
 *
 * @returns seconds per bucket, at most ~300 buckets
 */
export function bucketSeconds(window: TimeWindow, maxBuckets = 300): number {
  const span = (window.to.getTime() - window.from.getTime()) / 1000;
  return STEPS.find((s) => span / s <= maxBuckets) ?? STEPS[STEPS.length - 1];
}
