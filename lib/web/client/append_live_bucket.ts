/**
 * Advances a chart's bucketed series to the bucket of a live tick, in place, at a cost bounded by the number
 * of buckets kept on screen — never by how far the tick is from the last bucket. (Filling every bucket from a
 * window's end up to now froze the Overview for a window days in the past: issue 20, defect 1.)
 *
 * @module
 */

/**
 * Makes `bucket` the last bucket of `t` (and a zero in each of `cols` for every new bucket), dropping the
 * oldest so at most `keep` remain.
 *
 * @param t bucket starts, epoch seconds, ascending, `step` apart
 * @param cols one array per series, as long as `t`
 * @returns false when `bucket` is older than the last bucket (a late tick: nothing changed)
 */
export function appendLiveBucket(
  t: number[],
  cols: number[][],
  bucket: number,
  step: number,
  keep: number,
): boolean {
  let last = t.length > 0 ? t[t.length - 1] : bucket - step;
  if (bucket < last) return false;
  if ((bucket - last) / step >= keep) {
    // Every bucket on screen would be new: start over with `keep` empty buckets ending at `bucket`.
    t.length = 0;
    for (const col of cols) col.length = 0;
    last = bucket - keep * step;
  }
  while (last < bucket) {
    last += step;
    t.push(last);
    for (const col of cols) col.push(0);
  }
  const excess = t.length - keep;
  if (excess > 0) {
    t.splice(0, excess);
    for (const col of cols) col.splice(0, excess);
  }
  return true;
}
