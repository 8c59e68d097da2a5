/**
 * The day level of cold-tier compaction: per day, classification and topic-partition, every hour object
 * (`part-…` under `dt=/hour=/classification=`) and the day's current generation become one new generation of
 * day objects of about `targetBytes` each (keys and reader rule in `day_object_key.ts`).
 *
 * Crash-safe by order: (1) read the sources, keep one row per offset (the current generation first, hour
 * objects after: a rewrite of a window wins); (2) write the new generation's objects, rows split by offset into
 * objects of about `targetBytes` (each object's rows in the cold writer's order, `encodeParquet`, so row-group
 * statistics still prune); (3) verify by a listing that every object of the generation is there — only now is
 * it committed; (4) delete the sources and any stale generation. A kill before (3) leaves an incomplete
 * generation readers ignore and a rerun overwrites with the same keys (same sources, same rows, same split);
 * a kill during (4) leaves covered objects readers ignore and a rerun deletes.
 *
 * @module
 */
import { decodeParquet, encodeParquet } from "../cold_sink/parquet_codec.ts";
import type { ColdService } from "../cold_sink/service.ts";
import type { DeliveryRecord } from "../delivery_record.ts";
import type { CompactionReport } from "./compactor.ts";
import {
  currentGenerations,
  type DayGeneration,
  dayGroupOf,
  dayKey,
  type DayKeyParts,
  hourKeyGroup,
  parseDayKey,
} from "./day_object_key.ts";

/** Default size a day object aims at. */
export const DEFAULT_TARGET_BYTES = 64 * 1024 * 1024;

/** Options of {@link compactDays}. */
export interface CompactDaysOptions {
  /** Size each day object aims at (estimated from the sources' bytes; merged objects compress better, so the
   * estimate errs towards smaller objects). Default {@link DEFAULT_TARGET_BYTES}. */
  targetBytes?: number;
  /** Which days (`…events/dt=YYYY-MM-DD/`) to compact, e.g. only days that receive no more writes. Default: all. */
  includeDay?: (dayDir: string) => boolean;
  /** Progress lines. Default: none. */
  log?: (message: string) => void;
  /** Stops the run before the next merge. */
  signal?: AbortSignal;
}

interface Group {
  /** Template of the group's day keys (gen, range filled in per generation). */
  parts: Omit<DayKeyParts, "first" | "last" | "gen" | "index" | "count">;
  hourKeys: { key: string; first: bigint; last: bigint }[];
  dayKeys: string[];
}

/** Groups a listing by day, classification and topic-partition. */
function groupsOf(keys: readonly string[]): Map<string, Group> {
  const groups = new Map<string, Group>();
  const at = (id: string, parts: Group["parts"]) => {
    const g = groups.get(id) ?? { parts, hourKeys: [], dayKeys: [] };
    groups.set(id, g);
    return g;
  };
  for (const key of keys) {
    const d = parseDayKey(key);
    if (d !== undefined) {
      at(dayGroupOf(d), d).dayKeys.push(key);
      continue;
    }
    const h = hourKeyGroup(key);
    if (h === undefined) continue;
    const [dayDir, classification, topic, partition] = h.group.split("\u0000");
    at(h.group, { dayDir, classification, topic, partition: Number(partition) }).hourKeys.push({
      key,
      first: h.first,
      last: h.last,
    });
  }
  return groups;
}

/**
 * Compacts every day under `prefix` (`<s3.prefix>events/`) that `includeDay` admits.
 *
 * @throws {RangeError} when `targetBytes` is not positive; whatever the store throws (a rerun resumes safely)
 */
export async function compactDays(
  service: ColdService,
  prefix: string,
  options: CompactDaysOptions = {},
): Promise<CompactionReport> {
  const { targetBytes = DEFAULT_TARGET_BYTES, includeDay, log, signal } = options;
  if (!Number.isFinite(targetBytes) || targetBytes <= 0) {
    throw new RangeError(
      `Cannot compact days as targetBytes must be positive: current value is ${targetBytes}`,
    );
  }
  const report: CompactionReport = { written: 0, deleted: 0, rows: 0, bytes: 0 };
  const keys = await service.list(prefix);
  const current = currentGenerations(keys);
  for (const [id, group] of groupsOf(keys)) {
    if (includeDay && !includeDay(group.parts.dayDir)) continue;
    signal?.throwIfAborted();
    const gen = current.get(id);
    const covered = (h: { first: bigint; last: bigint }) =>
      gen !== undefined && gen.first <= h.first && h.last <= gen.last;
    const fresh = group.hourKeys.filter((h) => !covered(h));
    if (fresh.length === 0 || (gen === undefined && fresh.length === 1 && group.dayKeys.length === 0)) {
      // Nothing new: finish what a killed run left (covered hour objects, stale generations).
      const stale = [
        ...group.hourKeys.map((h) => h.key),
        ...group.dayKeys.filter((k) => !gen?.keys.includes(k)),
      ];
      if (gen !== undefined) report.deleted += await deleteAll(service, stale);
      continue;
    }
    const written = await writeGeneration(service, group, gen, targetBytes);
    report.written += written.keys.length;
    report.rows += written.rows;
    report.bytes += written.bytes;
    const listed = new Set(await service.list(group.parts.dayDir));
    const missing = written.keys.filter((k) => !listed.has(k));
    if (missing.length > 0) {
      throw new Error(`day compaction: written objects not listed: ${missing.join(", ")}`);
    }
    const obsolete = [
      ...group.hourKeys.map((h) => h.key),
      ...group.dayKeys.filter((k) => !written.keys.includes(k)),
    ];
    report.deleted += await deleteAll(service, obsolete);
    log?.(
      `compacted ${obsolete.length} objects into ${written.keys.length} day objects of ${
        id.replaceAll("\u0000", " ")
      }: ${written.rows} rows`,
    );
  }
  return report;
}

async function deleteAll(service: ColdService, keys: readonly string[]): Promise<number> {
  for (const key of keys) await service.delete(key);
  return keys.length;
}

/** Reads the sources of `group` and writes its next generation (steps 1 and 2 of the module doc). */
async function writeGeneration(
  service: ColdService,
  group: Group,
  gen: DayGeneration | undefined,
  targetBytes: number,
): Promise<{ keys: string[]; rows: number; bytes: number }> {
  const byOffset = new Map<bigint, DeliveryRecord>();
  let sourceBytes = 0;
  const hourKeys = [...group.hourKeys].sort((a, b) => a.key < b.key ? -1 : 1);
  for (const key of [...gen?.keys ?? [], ...hourKeys.map((h) => h.key)]) {
    const bytes = await service.get(key);
    if (bytes === undefined) continue; // deleted by a concurrent run after it committed: its rows are there
    sourceBytes += bytes.byteLength;
    for (const r of await decodeParquet(bytes)) byOffset.set(BigInt(r.kafka.offset), r);
  }
  let first = gen?.first;
  let last = gen?.last;
  for (const h of hourKeys) {
    if (first === undefined || h.first < first) first = h.first;
    if (last === undefined || h.last > last) last = h.last;
  }
  const rows = [...byOffset.entries()].sort((a, b) => a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0).map(([, r]) =>
    r
  );
  const count = Math.max(1, Math.ceil(sourceBytes / targetBytes));
  const per = Math.ceil(rows.length / count);
  const base = { ...group.parts, first: first!, last: last!, gen: (gen?.gen ?? 0) + 1 };
  const keys: string[] = [];
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const key = dayKey(base, i + 1, count);
    const body = encodeParquet(rows.slice(i * per, (i + 1) * per));
    await service.put(key, body);
    keys.push(key);
    bytes += body.byteLength;
  }
  return { keys, rows: rows.length, bytes };
}
