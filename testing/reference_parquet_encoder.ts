/**
 * The cold tier's Parquet encoding as one plain `parquetWriteBuffer` call with the rows as JS values (`Date`s,
 * strings, objects) — how `actors/cold_sink/parquet_codec.ts` encoded before issue 14 cut its cost per row.
 * The codec's test holds `encodeParquet` to it byte for byte; `bench/parquet_encode_bench.ts` measures both.
 *
 * @module
 */
import { type ColumnSource, parquetWriteBuffer } from "hyparquet-writer";
import type { Compressors } from "hyparquet-writer/src/types.js";
import { zstdCompressSync } from "node:zlib";
import type { ClassifiedEvent } from "../lib/event/log_event.ts";
import type { DeliveryRecord } from "../actors/delivery_record.ts";
import {
  COLD_SCHEMA_VERSION,
  ROW_GROUP_ROWS,
  sortColdRows,
  STATISTICS_MAX_BYTES,
} from "../actors/cold_sink/parquet_codec.ts";

/** The compressor the codec used before issue 14 (a zstd stream of unknown size per page). */
export const REFERENCE_COMPRESSORS = { ZSTD: (bytes: Uint8Array) => new Uint8Array(zstdCompressSync(bytes)) };

function toDate(iso: string): Date {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? new Date(0) : d;
}

/** The columns with min/max statistics (as in the codec). */
const COLUMNS_WITH_STATISTICS = new Set([
  "topic",
  "partition",
  "offset",
  "ts",
  "ingestTs",
  "host",
  "system",
  "level",
  "component",
  "templateId",
  "classification",
  "score",
]);

/** The reference encoding's columns: rows sorted by `sortColdRows`, values as JS values. */
export function referenceColumnData(records: readonly DeliveryRecord[]): ColumnSource[] {
  const rows = sortColdRows(records);
  const col = <T>(f: (e: ClassifiedEvent) => T) => rows.map((r) => f(r.event));
  const columns: ColumnSource[] = [
    { name: "topic", data: rows.map((r) => r.kafka.topic), type: "STRING", nullable: false },
    { name: "partition", data: rows.map((r) => r.kafka.partition), type: "INT32", nullable: false },
    { name: "offset", data: rows.map((r) => BigInt(r.kafka.offset)), type: "INT64", nullable: false },
    { name: "v", data: col((e) => e.v), type: "INT32", nullable: false },
    { name: "id", data: col((e) => e.id), type: "STRING", nullable: false },
    { name: "ts", data: col((e) => toDate(e.ts)), type: "TIMESTAMP", nullable: false },
    { name: "ingestTs", data: col((e) => toDate(e.ingestTs)), type: "TIMESTAMP", nullable: false },
    { name: "host", data: col((e) => e.host), type: "STRING", nullable: false },
    { name: "source", data: col((e) => e.source), type: "STRING", nullable: false },
    { name: "system", data: col((e) => e.system), type: "STRING", nullable: false },
    { name: "level", data: col((e) => e.level), type: "STRING", nullable: false },
    { name: "component", data: col((e) => e.component), type: "STRING", nullable: false },
    { name: "content", data: col((e) => e.content), type: "STRING", nullable: false },
    { name: "fields", data: col((e) => e.fields ?? {}), type: "JSON", nullable: false },
    { name: "lineNo", data: col((e) => BigInt(e.lineNo)), type: "INT64", nullable: false },
    { name: "raw", data: col((e) => e.raw), type: "STRING", nullable: false },
    { name: "flags", data: col((e) => e.flags ?? []), type: "JSON", nullable: false },
    { name: "parseError", data: col((e) => e.parseError ?? null), type: "STRING" },
    { name: "templateId", data: col((e) => e.templateId), type: "STRING", nullable: false },
    { name: "template", data: col((e) => e.template), type: "STRING", nullable: false },
    { name: "params", data: col((e) => e.params ?? []), type: "JSON", nullable: false },
    { name: "classification", data: col((e) => e.classification), type: "STRING", nullable: false },
    { name: "score", data: col((e) => e.score), type: "DOUBLE", nullable: false },
    { name: "reasons", data: col((e) => e.reasons ?? []), type: "JSON", nullable: false },
    { name: "modelVersion", data: col((e) => e.modelVersion), type: "STRING", nullable: false },
  ];
  return columns.map((c) => ({ ...c, statistics: COLUMNS_WITH_STATISTICS.has(c.name) }));
}

/**
 * Writes {@link referenceColumnData}'s columns with one plain `parquetWriteBuffer` call, which converts each
 * value itself; zstd unless `codec` says otherwise.
 *
 * @returns the file's bytes
 */
export function referenceWriteColumns(
  columnData: ColumnSource[],
  codec: "ZSTD" | "UNCOMPRESSED" = "ZSTD",
  compressors: Compressors = REFERENCE_COMPRESSORS,
): Uint8Array {
  return new Uint8Array(parquetWriteBuffer({
    codec,
    compressors,
    statisticsTruncateLength: STATISTICS_MAX_BYTES,
    rowGroupSize: ROW_GROUP_ROWS,
    kvMetadata: [{ key: "vigil.schema", value: COLD_SCHEMA_VERSION }],
    columnData,
  }));
}

/**
 * The reference encoding: records sorted by `sortColdRows`, every column given to hyparquet-writer as JS
 * values, which it converts per row.
 *
 * @returns the file's bytes
 */
export function referenceEncodeParquet(
  records: readonly DeliveryRecord[],
  compressors: Compressors = REFERENCE_COMPRESSORS,
): Uint8Array {
  return referenceWriteColumns(referenceColumnData(records), "ZSTD", compressors);
}
