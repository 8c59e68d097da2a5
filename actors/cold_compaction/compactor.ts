/**
 * Merges the small Parquet objects of the cold tier into large ones (plan and reader rule in
 * `compaction_plan.ts`). Per step: read every source, keep one row per offset (later sources win), write the
 * covering object, and only then delete the sources. Idempotent: a rerun after a kill at any point finds
 * the covering object among the sources and ends in the same state, with no row lost or duplicated.
 *
 * @module
 */
import { decodeParquet, encodeParquet } from "../cold_sink/parquet_codec.ts";
import type { ColdService } from "../cold_sink/service.ts";
import type { DeliveryRecord } from "../delivery_record.ts";
import { planCompaction } from "./compaction_plan.ts";

/** What one compaction run did. */
export interface CompactionReport {
  /** Covering objects written. */
  written: number;
  /** Source objects deleted. */
  deleted: number;
  /** Rows in the written objects. */
  rows: number;
  /** Bytes of the written objects. */
  bytes: number;
}

/** Options of {@link compact}. */
export interface CompactOptions {
  /** Which directories to compact, e.g. only hours old enough to receive no more writes. Default: all. */
  includeDir?: (dir: string) => boolean;
  /** Progress lines. Default: none. */
  log?: (message: string) => void;
  /** Stops the run before the next merge. */
  signal?: AbortSignal;
}

/**
 * Compacts every `dt=/hour=/classification=` directory under `prefix` (`<s3.prefix>events/` or a narrower
 * one): each topic-partition's objects of a directory become one.
 *
 * @throws whatever the store throws; a rerun resumes safely
 */
export async function compact(
  service: ColdService,
  prefix: string,
  options: CompactOptions = {},
): Promise<CompactionReport> {
  const report: CompactionReport = { written: 0, deleted: 0, rows: 0, bytes: 0 };
  const keys = await service.list(prefix);
  for (const step of planCompaction(keys)) {
    const dir = step.target.slice(0, step.target.lastIndexOf("/") + 1);
    if (options.includeDir && !options.includeDir(dir)) continue;
    options.signal?.throwIfAborted();
    const byOffset = new Map<string, DeliveryRecord>();
    for (const key of step.sources) {
      const bytes = await service.get(key);
      if (bytes === undefined) continue; // deleted by a concurrent run: its rows are in the target already
      for (const r of await decodeParquet(bytes)) byOffset.set(r.kafka.offset, r);
    }
    const bytes = encodeParquet([...byOffset.values()]);
    await service.put(step.target, bytes);
    report.written++;
    report.rows += byOffset.size;
    report.bytes += bytes.byteLength;
    for (const key of step.sources) {
      if (key === step.target) continue;
      await service.delete(key);
      report.deleted++;
    }
    options.log?.(`compacted ${step.sources.length} objects into ${step.target}: ${byOffset.size} rows`);
  }
  return report;
}
