/**
 * The top N of a count over two disjoint parts (the hot tier and the archive), each known only by its own top
 * list. A list is **complete** when it holds every value of its part (fewer values than asked); otherwise a
 * value missing from it counts at most its last (smallest) entry there — its **bound**. A value's merged count
 * is the sum of the counts listed; it is exact when no part whose list misses it has a bound above 0.
 *
 * The merged top N is **exact** (the right values up to ties, with their true counts) when each
 * value kept has an exact count and the N-th kept count is at least the largest count any other value could
 * have: a listed value's listed sum plus the bounds of the lists missing it, or, for a value in no list, the
 * sum of all bounds. Asking each part for N + K entries makes this hold unless counts are flat across more
 * than N + K values; when it does not hold the answer says so ({@link MergedTop.exact}).
 *
 * @module
 */
import type { Bucket } from "./web_deps.ts";

/** One part's top list. */
export interface TopPart {
  /** Most frequent first. */
  items: readonly Bucket[];
  /** The list holds every value of the part. */
  complete: boolean;
}

/** The merged top list. */
export interface MergedTop {
  /** Most frequent first (ties by key), at most N; a label from the first part that has one. */
  items: Bucket[];
  /** Whether the values and their counts are exactly the top N of the sum (see the module doc). */
  exact: boolean;
  /** Largest count a value left out could have (0 when nothing can be missing). */
  missingBound: number;
}

/** Whether a top list of `asked` entries holds every value (fewer came back than were asked). */
export function isComplete(items: readonly unknown[], asked: number): boolean {
  return items.length < asked;
}

/**
 * Merges top lists of disjoint parts into the top `n` of their sum.
 *
 * @throws {RangeError} when `n` is not a positive integer
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mergeTopCounts } from "./merge_top_counts.ts";
 * const merged = mergeTopCounts([
 *   { items: [{ key: "a", count: 5 }, { key: "b", count: 1 }], complete: true },
 *   { items: [{ key: "b", count: 7 }], complete: true },
 * ], 1);
 * assert.deepEqual(merged, { items: [{ key: "b", count: 8 }], exact: true, missingBound: 5 });
 * ```
 */
export function mergeTopCounts(parts: readonly TopPart[], n: number): MergedTop {
  if (!Number.isInteger(n) || n < 1) {
    throw new RangeError(`Cannot merge top counts as n must be a positive integer: current value is ${n}`);
  }
  const bounds = parts.map((p) => p.complete ? 0 : (p.items.at(-1)?.count ?? 0));
  const merged = new Map<string, { bucket: Bucket; listedIn: Set<number> }>();
  parts.forEach((part, i) => {
    for (const b of part.items) {
      const m = merged.get(b.key);
      if (m === undefined) {
        merged.set(b.key, { bucket: { ...b }, listedIn: new Set([i]) });
      } else {
        m.bucket.count += b.count;
        if (m.bucket.label === undefined && b.label !== undefined) m.bucket.label = b.label;
        m.listedIn.add(i);
      }
    }
  });
  /** The most a value could count: its listed sum plus the bounds of the parts that do not list it. */
  const upper = (listedIn: Set<number>, listed: number) =>
    listed + bounds.reduce((sum, b, i) => sum + (listedIn.has(i) ? 0 : b), 0);
  const ranked = [...merged.values()].sort((a, b) =>
    b.bucket.count - a.bucket.count ||
    (a.bucket.key < b.bucket.key ? -1 : a.bucket.key > b.bucket.key ? 1 : 0)
  );
  const kept = ranked.slice(0, n);
  const left = ranked.slice(n);
  const unseen = bounds.reduce((a, b) => a + b, 0);
  const missingBound = Math.max(unseen, ...left.map((m) => upper(m.listedIn, m.bucket.count)));
  const countsExact = kept.every((m) => upper(m.listedIn, m.bucket.count) === m.bucket.count);
  // Fewer than n kept: every value that could exist is kept only if nothing can be missing.
  const nth = kept.length === n ? kept[n - 1].bucket.count : 0;
  const membershipExact = kept.length === n ? nth >= missingBound : missingBound === 0;
  return {
    items: kept.map((m) => m.bucket),
    exact: countsExact && membershipExact,
    missingBound,
  };
}
