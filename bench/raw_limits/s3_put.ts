/**
 * S3 PUT raw limit: one real vigil Parquet object (the cold sink's encoding of `rows` events) PUT repeatedly
 * through vigil's S3 client (`S3ColdService`, multipart above its threshold) at 1 and 4 concurrent uploads;
 * reports MiB/s and the events/s that bandwidth carries at this object's bytes per row.
 *
 * @module
 */
import { encodeParquet } from "../../actors/cold_sink/parquet_codec.ts";
import { resolveColdSinkConfig } from "../../actors/cold_sink/config.ts";
import { S3ColdService } from "../../actors/cold_sink/service.ts";
import type { VigilConfig } from "../../lib/config/vigil_config.ts";
import type { LogEvent } from "../../lib/event/log_event.ts";
import { deliveryRecords } from "./vigil_documents.ts";

/** Result of {@link s3PutLimit}. */
export interface S3PutLimit {
  objectBytes: number;
  rows: number;
  settings: { concurrency: number; mibPerSecond: number }[];
  bestMiBPerSecond: number;
  /** Events/s the best bandwidth carries (rows per object × objects/s). */
  eventsPerSecond: number;
}

/** PUTs `puts` copies of the encoded object per concurrency setting under `prefix`. */
export async function s3PutLimit(
  config: VigilConfig,
  prefix: string,
  events: readonly LogEvent[],
  puts: number,
  concurrencies = [1, 4],
): Promise<S3PutLimit> {
  const bytes = encodeParquet(deliveryRecords(events));
  const service = new S3ColdService(resolveColdSinkConfig({ ...config.s3 }));
  const out: S3PutLimit = {
    objectBytes: bytes.byteLength,
    rows: events.length,
    settings: [],
    bestMiBPerSecond: 0,
    eventsPerSecond: 0,
  };
  try {
    await service.ensureBucket();
    for (const concurrency of concurrencies) {
      let next = 0;
      const started = performance.now();
      const worker = async () => {
        while (next < puts) await service.put(`${prefix}put-${concurrency}-${next++ % 4}.parquet`, bytes);
      };
      await Promise.all(Array.from({ length: concurrency }, worker));
      const seconds = (performance.now() - started) / 1000;
      const mib = (puts * bytes.byteLength) / 1024 / 1024 / seconds;
      out.settings.push({ concurrency, mibPerSecond: mib });
      out.bestMiBPerSecond = Math.max(out.bestMiBPerSecond, mib);
    }
  } finally {
    service.close();
  }
  out.eventsPerSecond = (out.bestMiBPerSecond * 1024 * 1024 / bytes.byteLength) * events.length;
  return out;
}
