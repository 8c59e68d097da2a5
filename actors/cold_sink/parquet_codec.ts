/**
 * Encodes delivery records as a zstd-compressed Parquet object, and decodes such objects back (pure).
 * The schema is documented in this folder's README.md; change both together.
 *
 * @module
 */
import { type ColumnSource, parquetWriteBuffer } from "hyparquet-writer";
import { parquetReadObjects } from "hyparquet";
import { compressors as decompressors } from "hyparquet-compressors";
import { zstdCompressSync } from "node:zlib";
import type { ClassifiedEvent } from "../../lib/event/log_event.ts";
import type { DeliveryRecord } from "../delivery_record.ts";

/** Version of the Parquet schema, stored in the file's key-value metadata as `vigil.schema`. */
export const COLD_SCHEMA_VERSION = "1";

const zstd = { ZSTD: (bytes: Uint8Array) => new Uint8Array(zstdCompressSync(bytes)) };

function toDate(iso: string): Date {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? new Date(0) : d;
}

/** Rows per row group: small enough that row-group statistics prune a filtered read, large enough that a
 * footer stays a few KiB per hour of events (measured in bench/cold_query_bench.ts). */
export const ROW_GROUP_ROWS = 8_192;

/** Longest min/max kept in a string column's statistics (longer values are cut, the max rounded up). */
export const STATISTICS_MAX_BYTES = 64;

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A record with its sort key computed once (a comparator parsing dates and BigInts dominated encoding). */
interface Keyed {
  record: DeliveryRecord;
  ts: number;
  offset: bigint;
}

function compareKeyed(a: Keyed, b: Keyed): number {
  return compareStrings(a.record.event.level, b.record.event.level) ||
    compareStrings(a.record.event.component, b.record.event.component) ||
    a.ts - b.ts ||
    compareStrings(a.record.kafka.topic, b.record.kafka.topic) ||
    a.record.kafka.partition - b.record.kafka.partition ||
    (a.offset < b.offset ? -1 : a.offset > b.offset ? 1 : 0);
}

/**
 * The cold tier's row order: `(level, component, ts, topic, partition, offset)`. Clustering by the explorer's
 * usual filters makes each row group's min/max of `level` and `component` narrow (often one value), so the
 * cold query reader (`actors/cold_query/`) skips the row groups that cannot match — or counts a whole group
 * from its statistics — instead of decoding them.
 */
export function sortColdRows(records: readonly DeliveryRecord[]): DeliveryRecord[] {
  return records.map((record): Keyed => ({
    record,
    ts: toDate(record.event.ts).getTime(),
    offset: BigInt(record.kafka.offset),
  })).sort(compareKeyed).map((k) => k.record);
}

/** Columns whose min/max statistics are written: what readers prune by (long free text would only cost). */
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

/** Turns statistics on for the columns in {@link COLUMNS_WITH_STATISTICS}, off for the others. */
function withStatistics(columns: ColumnSource[]): ColumnSource[] {
  return columns.map((c) => ({ ...c, statistics: COLUMNS_WITH_STATISTICS.has(c.name) }));
}

/**
 * Encodes records as one Parquet file, rows ordered by {@link sortColdRows}, in row groups of
 * {@link ROW_GROUP_ROWS}, with min/max statistics on the columns in {@link COLUMNS_WITH_STATISTICS}.
 *
 * @returns the file's bytes
 */
export function encodeParquet(records: readonly DeliveryRecord[]): Uint8Array {
  const rows = sortColdRows(records);
  const col = <T>(f: (r: DeliveryRecord) => T) => rows.map(f);
  const e = (r: DeliveryRecord) => r.event;
  const buffer = parquetWriteBuffer({
    codec: "ZSTD",
    compressors: zstd,
    statisticsTruncateLength: STATISTICS_MAX_BYTES,
    rowGroupSize: ROW_GROUP_ROWS,
    kvMetadata: [{ key: "vigil.schema", value: COLD_SCHEMA_VERSION }],
    columnData: withStatistics([
      { name: "topic", data: col((r) => r.kafka.topic), type: "STRING", nullable: false },
      { name: "partition", data: col((r) => r.kafka.partition), type: "INT32", nullable: false },
      { name: "offset", data: col((r) => BigInt(r.kafka.offset)), type: "INT64", nullable: false },
      { name: "v", data: col((r) => e(r).v), type: "INT32", nullable: false },
      { name: "id", data: col((r) => e(r).id), type: "STRING", nullable: false },
      { name: "ts", data: col((r) => toDate(e(r).ts)), type: "TIMESTAMP", nullable: false },
      { name: "ingestTs", data: col((r) => toDate(e(r).ingestTs)), type: "TIMESTAMP", nullable: false },
      { name: "host", data: col((r) => e(r).host), type: "STRING", nullable: false },
      { name: "source", data: col((r) => e(r).source), type: "STRING", nullable: false },
      { name: "system", data: col((r) => e(r).system), type: "STRING", nullable: false },
      { name: "level", data: col((r) => e(r).level), type: "STRING", nullable: false },
      { name: "component", data: col((r) => e(r).component), type: "STRING", nullable: false },
      { name: "content", data: col((r) => e(r).content), type: "STRING", nullable: false },
      { name: "fields", data: col((r) => e(r).fields ?? {}), type: "JSON", nullable: false },
      { name: "lineNo", data: col((r) => BigInt(e(r).lineNo)), type: "INT64", nullable: false },
      { name: "raw", data: col((r) => e(r).raw), type: "STRING", nullable: false },
      { name: "flags", data: col((r) => e(r).flags ?? []), type: "JSON", nullable: false },
      { name: "parseError", data: col((r) => e(r).parseError ?? null), type: "STRING" },
      { name: "templateId", data: col((r) => e(r).templateId), type: "STRING", nullable: false },
      { name: "template", data: col((r) => e(r).template), type: "STRING", nullable: false },
      { name: "params", data: col((r) => e(r).params ?? []), type: "JSON", nullable: false },
      { name: "classification", data: col((r) => e(r).classification), type: "STRING", nullable: false },
      { name: "score", data: col((r) => e(r).score), type: "DOUBLE", nullable: false },
      { name: "reasons", data: col((r) => e(r).reasons ?? []), type: "JSON", nullable: false },
      { name: "modelVersion", data: col((r) => e(r).modelVersion), type: "STRING", nullable: false },
    ]),
  });
  return new Uint8Array(buffer);
}

/**
 * Reads only the `offset` column of a Parquet object written by {@link encodeParquet} (the other columns are
 * neither decompressed nor decoded): what a sibling check needs to know whether the object holds any of a
 * batch's offsets.
 *
 * @throws when the bytes are not a Parquet file of this schema
 */
export async function decodeOffsets(bytes: Uint8Array): Promise<string[]> {
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const rows = await parquetReadObjects({ file, columns: ["offset"], compressors: decompressors }) as Row[];
  return rows.map((row) => String(row.offset));
}

/** One row as hyparquet returns it. */
type Row = Record<string, unknown>;

/**
 * Decodes a Parquet object written by {@link encodeParquet} back into delivery records.
 *
 * @throws when the bytes are not a Parquet file of this schema
 */
export async function decodeParquet(bytes: Uint8Array): Promise<DeliveryRecord[]> {
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const rows = await parquetReadObjects({ file, compressors: decompressors }) as Row[];
  return rows.map((row): DeliveryRecord => {
    const event: ClassifiedEvent = {
      v: row.v as 1,
      id: row.id as string,
      ts: (row.ts as Date).toISOString(),
      ingestTs: (row.ingestTs as Date).toISOString(),
      host: row.host as string,
      source: row.source as string,
      system: row.system as string,
      level: row.level as ClassifiedEvent["level"],
      component: row.component as string,
      content: row.content as string,
      fields: row.fields as Record<string, string>,
      lineNo: Number(row.lineNo),
      raw: row.raw as string,
      flags: row.flags as ClassifiedEvent["flags"],
      templateId: row.templateId as string,
      template: row.template as string,
      params: row.params as string[],
      classification: row.classification as ClassifiedEvent["classification"],
      score: row.score as number,
      reasons: row.reasons as string[],
      modelVersion: row.modelVersion as string,
    };
    if (row.parseError !== null && row.parseError !== undefined) event.parseError = row.parseError as string;
    return {
      event,
      kafka: { topic: row.topic as string, partition: row.partition as number, offset: String(row.offset) },
    };
  });
}
