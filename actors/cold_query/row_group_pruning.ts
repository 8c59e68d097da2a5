/**
 * Row-group pruning by Parquet statistics (pure): from a row group's min/max of `ts`, `level` and `component`
 * (written by the cold writer, which clusters rows by level, component and ts — `../cold_sink/parquet_codec.ts`),
 * and of `classification`, `host`, `system` and `templateId` (which can only skip), decide whether the group cannot match (skip it), matches as a whole (count it from its row count, decode
 * nothing), or must be read.
 *
 * Strings compare in UTF-8 byte order, as Parquet and the writer order them. A min/max the writer truncated
 * (longer than its statistics limit) still bounds the values, so it can prune; it never proves a whole match.
 *
 * @module
 */
import type { RowGroup } from "hyparquet";
import { type ColdQueryFilter, needsRowCheck } from "./cold_query_filter.ts";

/** What to do with a row group. */
export type RowGroupVerdict = "skip" | "all" | "read";

const utf8 = new TextEncoder();

/** Compares two strings in UTF-8 byte order (code point order). */
export function compareUtf8(a: string, b: string): number {
  if (a === b) return 0;
  const x = utf8.encode(a);
  const y = utf8.encode(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}

interface Bounds<T> {
  min: T;
  max: T;
}

function boundsOf<T>(rowGroup: RowGroup, column: string, is: (v: unknown) => v is T): Bounds<T> | undefined {
  const chunk = rowGroup.columns.find((c) => c.meta_data?.path_in_schema[0] === column);
  const stats = chunk?.meta_data?.statistics;
  const min = stats?.min_value ?? stats?.min;
  const max = stats?.max_value ?? stats?.max;
  return is(min) && is(max) ? { min, max } : undefined;
}

/** A string statistic usable for comparisons: a cut inside a multi-byte character decodes to U+FFFD. */
function isCleanString(v: unknown): v is string {
  return typeof v === "string" && !v.includes("\uFFFD");
}

function isDate(v: unknown): v is Date {
  return v instanceof Date && !Number.isNaN(v.getTime());
}

/**
 * @param maxExactBytes longest string the writer keeps whole in statistics: a min = max of that length or
 *   more may be a truncated prefix shared by different values, so it proves nothing
 */
export function judgeRowGroup(
  rowGroup: RowGroup,
  filter: ColdQueryFilter,
  maxExactBytes: number,
): RowGroupVerdict {
  if (Number(rowGroup.num_rows) === 0) return "skip";
  // A filter without statistics (text, classification, host, ...) never lets a group count whole.
  let all = !needsRowCheck(filter);
  const ts = boundsOf(rowGroup, "ts", isDate);
  if (ts !== undefined) {
    if (ts.max.getTime() < filter.from.getTime() || ts.min.getTime() >= filter.to.getTime()) return "skip";
    if (ts.min.getTime() < filter.from.getTime() || ts.max.getTime() >= filter.to.getTime()) all = false;
  } else all = false;
  const exact = (b: Bounds<string>) => b.min === b.max && utf8.encode(b.min).length < maxExactBytes;
  if (filter.levels !== undefined) {
    const level = boundsOf(rowGroup, "level", isCleanString);
    if (level !== undefined) {
      const inside = filter.levels.filter((l) =>
        compareUtf8(l, level.min) >= 0 && compareUtf8(l, level.max) <= 0
      );
      if (inside.length === 0) return "skip";
      if (!(exact(level) && inside.includes(level.min))) all = false;
    } else all = false;
  }
  if (filter.component !== undefined) {
    const component = boundsOf(rowGroup, "component", isCleanString);
    if (component !== undefined) {
      const c = filter.component;
      if (compareUtf8(c, component.min) < 0 || compareUtf8(c, component.max) > 0) return "skip";
      if (!(exact(component) && component.min === c)) all = false;
    } else all = false;
  }
  // Classification, host, system and template id have statistics too: they skip groups, never prove a whole
  // match (a group counted whole would need each of them exact, which clustering by level and component rarely
  // gives).
  if (filter.classifications !== undefined) {
    const c = boundsOf(rowGroup, "classification", isCleanString);
    if (
      c !== undefined &&
      filter.classifications.every((v) => compareUtf8(v, c.min) < 0 || compareUtf8(v, c.max) > 0)
    ) return "skip";
  }
  for (const field of ["host", "system", "templateId"] as const) {
    const value = filter[field];
    if (value === undefined) continue;
    const b = boundsOf(rowGroup, field, isCleanString);
    if (b !== undefined && (compareUtf8(value, b.min) < 0 || compareUtf8(value, b.max) > 0)) return "skip";
  }
  return all ? "all" : "read";
}
