/**
 * What cold-tier compaction merges, and the rule every reader applies (pure).
 *
 * The sink writes one object per fixed offset window (`part-<topic>-<partition>-<first>-<last>.parquet`, see
 * `../cold_sink/object_key.ts`), so a low-rate partition leaves many small objects in one
 * `dt=/hour=/classification=` directory. Compaction merges the objects of one topic-partition in one directory
 * into one object under the **same naming scheme**, whose range covers its sources:
 * `part-<topic>-<partition>-<min first>-<max last>.parquet` — deterministic (a function of the sources' keys),
 * so a rerun after a crash writes the same key.
 *
 * **Reader rule (covering wins):** an object whose `[first, last]` lies inside the range of another object of
 * the same directory, topic and partition is superseded and must not be read ({@link visibleKeys}). Compaction
 * writes the covering object first and deletes its sources afterwards, so at every instant each row is
 * visible exactly once: before the write through its source, after it through the covering object (a kill
 * between the two leaves covered sources that readers skip and the next run deletes).
 *
 * @module
 */
import { dayVisibleKeys } from "./day_object_key.ts";

/** The parts of an object key compaction works with. */
export interface ObjectKeyParts {
  /** Everything up to and including the last `/` (`…/dt=…/hour=…/classification=…/`). */
  dir: string;
  /** Topic as written in the key (escaped). */
  topic: string;
  partition: number;
  first: bigint;
  last: bigint;
}

const PART = /^part-(.+)-(\d+)-(\d+)-(\d+)\.parquet$/;

/** Splits a cold-tier object key; `undefined` for any other key (left alone by compaction and readers). */
export function parseObjectKey(key: string): ObjectKeyParts | undefined {
  const slash = key.lastIndexOf("/");
  const m = PART.exec(key.slice(slash + 1));
  if (m === null) return undefined;
  return {
    dir: key.slice(0, slash + 1),
    topic: m[1],
    partition: Number(m[2]),
    first: BigInt(m[3]),
    last: BigInt(m[4]),
  };
}

function keyOf(p: ObjectKeyParts): string {
  return `${p.dir}part-${p.topic}-${p.partition}-${p.first}-${p.last}.parquet`;
}

function groupOf(p: ObjectKeyParts): string {
  return `${p.dir}\u0000${p.topic}\u0000${p.partition}`;
}

/** One merge: read `sources` (in this order, later rows winning per offset), write `target`, delete the rest. */
export interface CompactionStep {
  target: string;
  /**
   * Every object of the group. The target itself comes first when it exists (a run killed after its write,
   * or an earlier compaction): the window objects after it are the same rows, or newer versions of them (a
   * redelivery that rewrote a window), which must win.
   */
  sources: string[];
}

/** Parsed keys by directory, topic and partition (keys outside the naming scheme are left out). */
function groupKeys(keys: readonly string[]): Map<string, ObjectKeyParts[]> {
  const groups = new Map<string, ObjectKeyParts[]>();
  for (const key of keys) {
    const p = parseObjectKey(key);
    if (p === undefined) continue;
    const g = groups.get(groupOf(p)) ?? [];
    g.push(p);
    groups.set(groupOf(p), g);
  }
  return groups;
}

/** Groups keys by directory, topic and partition; groups of two or more objects become steps. */
export function planCompaction(keys: readonly string[]): CompactionStep[] {
  const groups = groupKeys(keys);
  const steps: CompactionStep[] = [];
  for (const parts of groups.values()) {
    if (parts.length < 2) continue;
    const first = parts.reduce((m, p) => p.first < m ? p.first : m, parts[0].first);
    const last = parts.reduce((m, p) => p.last > m ? p.last : m, parts[0].last);
    const target = keyOf({ ...parts[0], first, last });
    const others = parts.map(keyOf).filter((k) => k !== target).sort();
    steps.push({ target, sources: parts.some((p) => keyOf(p) === target) ? [target, ...others] : others });
  }
  return steps.sort((a, b) => a.target < b.target ? -1 : 1);
}

/**
 * The keys a reader reads: every key except those covered by another key's range in the same directory,
 * topic and partition (see the module doc), and the day level's superseded objects (`day_object_key.ts`:
 * `keys` must then hold whole days). Keys outside both naming schemes pass through.
 */
export function visibleKeys(keys: readonly string[]): string[] {
  keys = dayVisibleKeys(keys);
  const groups = groupKeys(keys);
  return keys.filter((key) => {
    const p = parseObjectKey(key);
    if (p === undefined) return true;
    return !groups.get(groupOf(p))!.some((o) =>
      o !== p && o.first <= p.first && o.last >= p.last && (o.first < p.first || o.last > p.last)
    );
  });
}
