/**
 * A Parquet byte-array column's values as UTF-8 bytes, encoded for a whole column at once (pure).
 *
 * hyparquet-writer encodes a string or JSON value with one `TextEncoder.encode` call per row, and a JSON value
 * also with `JSON.stringify(toJson(value))` per row: together ~40 % of the cold sink's encoding time per row
 * (bench/parquet_encode_bench.ts). Here a column of ASCII text costs one `encode` call, and a JSON column one
 * text per distinct value, so the writer gets bytes it only has to copy — the same bytes it would have made.
 *
 * @module
 */
import { toJson } from "hyparquet";

const encoder = new TextEncoder();

/**
 * Each string as UTF-8, exactly as `TextEncoder.encode` makes it (lone surrogates become U+FFFD). When every
 * string is ASCII the column is encoded in one call and the rows are views of that one buffer.
 *
 * @param strings the column's values
 * @returns one byte array per string, in order
 *
 * @example
 * ```ts
 * import { utf8Column } from "./column_bytes.ts";
 * const [a, b] = utf8Column(["ab", "ü"]);
 * console.assert(a.length === 2 && b.length === 2);
 * ```
 */
export function utf8Column(strings: readonly string[]): Uint8Array[] {
  const joined = strings.join("");
  const bytes = encoder.encode(joined);
  // UTF-8 is one byte per UTF-16 code unit exactly when every unit is ASCII (others take 2-3 bytes per unit).
  if (bytes.length !== joined.length) return strings.map((s) => encoder.encode(s));
  const out = new Array<Uint8Array>(strings.length);
  let at = 0;
  for (let i = 0; i < strings.length; i++) {
    const end = at + strings[i].length;
    out[i] = bytes.subarray(at, end);
    at = end;
  }
  return out;
}

/** Whether every value of an array or own enumerable property of an object is a string. */
function allStrings(values: Iterable<unknown>): boolean {
  for (const v of values) if (typeof v !== "string") return false;
  return true;
}

/**
 * `JSON.stringify(toJson(value))`. `toJson` copies the value to turn BigInts, `-0`, dates and byte arrays into
 * JSON; an empty array, an array of strings and a plain object of strings (every `flags`, `params`,
 * `reasons` and `fields`) have none of those, so their copy would stringify the same.
 */
function jsonText(value: unknown): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    if (allStrings(value)) return JSON.stringify(value);
  } else if (
    typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype &&
    allStrings(Object.values(value))
  ) {
    return JSON.stringify(value);
  }
  return JSON.stringify(toJson(value));
}

/**
 * Like {@link utf8Column}, but each distinct string is encoded once and equal strings share one byte array —
 * for a column whose values may repeat (`content`, `raw`, JSON texts): the writer's dictionary check then
 * finds a repeat by identity instead of hashing its bytes, and a column of few distinct values costs few
 * encodes (as strings would, whose dictionary the writer builds by value), while a column of distinct values
 * still costs one `encode` call when ASCII (strings would cost one per value).
 *
 * @param strings the column's values
 * @returns one byte array per string, in order
 *
 * @example
 * ```ts
 * import { sharedUtf8Column } from "./column_bytes.ts";
 * const [a, b, c] = sharedUtf8Column(["x", "y", "x"]);
 * console.assert(a === c && a !== b);
 * ```
 */
export function sharedUtf8Column(strings: readonly string[]): Uint8Array[] {
  const slot = new Map<string, number>();
  const distinct: string[] = [];
  const at = new Array<number>(strings.length);
  for (let i = 0; i < strings.length; i++) {
    const s = strings[i];
    let j = slot.get(s);
    if (j === undefined) {
      j = distinct.length;
      distinct.push(s);
      slot.set(s, j);
    }
    at[i] = j;
  }
  const bytes = utf8Column(distinct);
  return at.map((j) => bytes[j]);
}

/**
 * Each value's JSON text as UTF-8, the text hyparquet-writer writes in a `JSON` column
 * (`JSON.stringify(toJson(value))`), equal texts sharing one byte array ({@link sharedUtf8Column}).
 *
 * @param values the column's values (not `null` or `undefined`: the cold tier's JSON columns are required)
 * @returns one byte array per value, in order
 *
 * @example
 * ```ts
 * import { jsonColumn } from "./column_bytes.ts";
 * const [a, b] = jsonColumn([[], []]);
 * console.assert(a === b && new TextDecoder().decode(a) === "[]");
 * ```
 */
export function jsonColumn(values: readonly unknown[]): Uint8Array[] {
  return sharedUtf8Column(values.map(jsonText));
}
