/**
 * Keys of the cold tier's **day objects** (pure), what the day level of compaction writes
 * (`day_compactor.ts`), and the rule readers apply to them.
 *
 * `<prefix>events/dt=YYYY-MM-DD/classification=C/day-<topic>-<partition>-<first>-<last>-g<gen>-<i>of<n>.parquet`
 *
 * One **generation** is the `n` objects `1of<n>` … `<n>of<n>` with the same topic, partition, `[first, last]`
 * and `gen`; together they hold every row of that topic-partition, classification and day whose offset lies in
 * `[first, last]`, split by offset into objects of about the target size. A generation is **committed** once
 * all its `n` keys are listed: compaction deletes nothing before that, so a listing alone (no manifest GET)
 * tells a reader which objects hold the day.
 *
 * **Reader rule:** of a day's group (classification, topic, partition) only the committed generation with the
 * highest `gen` is read; its other generations, its incomplete ones (a run killed while writing) and every
 * hour object (`part-…`, `dt=/hour=/classification=` of the same day and classification) whose `[first, last]`
 * lies inside the committed range are superseded. So every row is visible exactly once at every instant:
 * through the hour objects until the last part of a generation is written, through the generation after.
 *
 * @module
 */

/** The parts of a day object's key. */
export interface DayKeyParts {
  /** `…events/dt=YYYY-MM-DD/` (up to and including the day's `/`). */
  dayDir: string;
  /** Classification as written in the key. */
  classification: string;
  topic: string;
  partition: number;
  first: bigint;
  last: bigint;
  gen: number;
  /** 1-based index of this object in its generation. */
  index: number;
  /** Objects in the generation. */
  count: number;
}

const DAY_KEY =
  /^(.*\/dt=\d{4}-\d{2}-\d{2}\/)classification=([^/]*)\/day-(.+)-(\d+)-(\d+)-(\d+)-g(\d+)-(\d+)of(\d+)\.parquet$/;
const HOUR_KEY =
  /^(.*\/dt=\d{4}-\d{2}-\d{2}\/)hour=\d{2}\/classification=([^/]*)\/part-(.+)-(\d+)-(\d+)-(\d+)\.parquet$/;

/** Splits a day object's key; `undefined` for any other key. */
export function parseDayKey(key: string): DayKeyParts | undefined {
  const m = DAY_KEY.exec(key);
  if (m === null) return undefined;
  return {
    dayDir: m[1],
    classification: m[2],
    topic: m[3],
    partition: Number(m[4]),
    first: BigInt(m[5]),
    last: BigInt(m[6]),
    gen: Number(m[7]),
    index: Number(m[8]),
    count: Number(m[9]),
  };
}

/** The key of object `index` of `count` of a generation. */
export function dayKey(p: Omit<DayKeyParts, "index" | "count">, index: number, count: number): string {
  return `${p.dayDir}classification=${p.classification}/day-${p.topic}-${p.partition}-${p.first}-${p.last}-g${p.gen}-${index}of${count}.parquet`;
}

/** The group (day, classification, topic, partition) an hour object (`part-…`) belongs to, with its range. */
export function hourKeyGroup(key: string): { group: string; first: bigint; last: bigint } | undefined {
  const m = HOUR_KEY.exec(key);
  if (m === null) return undefined;
  return { group: groupId(m[1], m[2], m[3], Number(m[4])), first: BigInt(m[5]), last: BigInt(m[6]) };
}

/** Identity of a day's group. */
export function groupId(dayDir: string, classification: string, topic: string, partition: number): string {
  return `${dayDir}\u0000${classification}\u0000${topic}\u0000${partition}`;
}

/** The group of a day object. */
export function dayGroupOf(p: DayKeyParts): string {
  return groupId(p.dayDir, p.classification, p.topic, p.partition);
}

/** A committed generation: its keys (in index order) and range. */
export interface DayGeneration {
  gen: number;
  first: bigint;
  last: bigint;
  keys: string[];
}

/**
 * Per group, the committed generation readers read (highest `gen` with all its objects listed), from a
 * listing that holds the whole day.
 */
export function currentGenerations(keys: readonly string[]): Map<string, DayGeneration> {
  const gens = new Map<string, { parts: DayKeyParts; keys: Map<number, string> }>();
  for (const key of keys) {
    const p = parseDayKey(key);
    if (p === undefined || p.index < 1 || p.index > p.count) continue;
    const id = `${dayGroupOf(p)}\u0000${p.first}\u0000${p.last}\u0000${p.gen}\u0000${p.count}`;
    const g = gens.get(id) ?? { parts: p, keys: new Map() };
    g.keys.set(p.index, key);
    gens.set(id, g);
  }
  const current = new Map<string, DayGeneration>();
  for (const { parts, keys: byIndex } of gens.values()) {
    if (byIndex.size !== parts.count) continue; // not committed: a run was killed while writing it
    const group = dayGroupOf(parts);
    const seen = current.get(group);
    if (seen !== undefined && seen.gen >= parts.gen) continue;
    const ordered = [...byIndex.entries()].sort((a, b) => a[0] - b[0]).map(([, k]) => k);
    current.set(group, { gen: parts.gen, first: parts.first, last: parts.last, keys: ordered });
  }
  return current;
}

/**
 * The day rule of the module doc: drops day objects outside their group's current generation and hour objects
 * it covers. Other keys pass through. `keys` must hold whole days (a reader lists per day).
 */
export function dayVisibleKeys(keys: readonly string[]): string[] {
  const current = currentGenerations(keys);
  if (current.size === 0) return keys.filter((k) => parseDayKey(k) === undefined);
  const visible = new Set([...current.values()].flatMap((g) => g.keys));
  return keys.filter((key) => {
    if (parseDayKey(key) !== undefined) return visible.has(key);
    const h = hourKeyGroup(key);
    if (h === undefined) return true;
    const g = current.get(h.group);
    return g === undefined || !(g.first <= h.first && h.last <= g.last);
  });
}
