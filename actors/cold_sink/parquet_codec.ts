/**
 * Encodes delivery records as a zstd-compressed Parquet object, and decodes such objects back (pure).
 * The schema is documented in this folder's README.md; change both together.
 *
 * @module
 */
import { ByteWriter, type ColumnSource, ParquetWriter, schemaFromColumnData } from "hyparquet-writer";
import { parquetReadObjects } from "hyparquet";
import { compressors as decompressors } from "hyparquet-compressors";
import { zstdCompressSync, type ZstdOptions } from "node:zlib";
import type { ClassifiedEvent } from "../../lib/event/log_event.ts";
import type { DeliveryRecord } from "../delivery_record.ts";
import { jsonColumn, sharedUtf8Column, utf8Column } from "./column_bytes.ts";

/** Version of the Parquet schema, stored in the file's key-value metadata as `vigil.schema`. */
export const COLD_SCHEMA_VERSION = "1";

/**
 * The zstd compressor every cold object's pages are written with (node:zlib, level 3). Each page is one call,
 * ~50 per row group; telling zstd the page's size (`pledgedSrcSize`) lets it size its tables to the page
 * instead of for an unknown stream: ~26 -> 14 µs per call for a 40-byte page, 35 -> 24 for 4 KB (the frame
 * then also records its size, 1-2 bytes). In the pipeline, where many objects are small, compression was
 * half of the encoding's time.
 */
export const COLD_COMPRESSORS = {
  ZSTD: (bytes: Uint8Array): Uint8Array => {
    const options: PledgedZstdOptions = { pledgedSrcSize: bytes.length };
    return zstdCompressSync(bytes, options);
  },
};

/** Node's documented zstd option `pledgedSrcSize` (Deno 2.9 implements it; its bundled Node typings lack it). */
type PledgedZstdOptions = ZstdOptions & { pledgedSrcSize: number };

/** Milliseconds since the epoch of an ISO time; 0 (1970) when it does not parse. */
function toMillis(iso: string): number {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? 0 : ms;
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
  return sortKeyed(records).map((k) => k.record);
}

/** The records in {@link sortColdRows}'s order, with their sort keys (which are also the `ts` and `offset` columns). */
function sortKeyed(records: readonly DeliveryRecord[]): Keyed[] {
  return records.map((record): Keyed => ({
    record,
    ts: toMillis(record.event.ts),
    offset: BigInt(record.kafka.offset),
  })).sort(compareKeyed);
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

/**
 * The cold tier's 25 columns for rows already in {@link sortColdRows}'s order. Values are given in the forms
 * hyparquet-writer writes without converting them per row: times as epoch milliseconds (not `Date`s, which
 * the writer turns back into milliseconds, also for statistics), free text (`id`, `content`, `raw`) and JSON as
 * UTF-8 bytes ({@link utf8Column}; {@link sharedUtf8Column} and {@link jsonColumn} where values may repeat).
 * Short repeated strings stay strings: the writer's dictionary dedupes them by value.
 */
function coldColumns(keyed: readonly Keyed[]): ColumnSource[] {
  const n = keyed.length;
  const c = {
    topic: new Array<string>(n),
    partition: new Array<number>(n),
    offset: new Array<bigint>(n),
    v: new Array<number>(n),
    id: new Array<string>(n),
    ts: new Array<number>(n),
    ingestTs: new Array<number>(n),
    host: new Array<string>(n),
    source: new Array<string>(n),
    system: new Array<string>(n),
    level: new Array<string>(n),
    component: new Array<string>(n),
    content: new Array<string>(n),
    fields: new Array<unknown>(n),
    lineNo: new Array<bigint>(n),
    raw: new Array<string>(n),
    flags: new Array<unknown>(n),
    parseError: new Array<string | null>(n),
    templateId: new Array<string>(n),
    template: new Array<string>(n),
    params: new Array<unknown>(n),
    classification: new Array<string>(n),
    score: new Array<number>(n),
    reasons: new Array<unknown>(n),
    modelVersion: new Array<string>(n),
  };
  // One pass over the rows: a map per column (25 passes, each loading the row again) cost ~6x as much.
  for (let i = 0; i < n; i++) {
    const { record: { event: e, kafka }, ts, offset } = keyed[i];
    c.topic[i] = kafka.topic;
    c.partition[i] = kafka.partition;
    c.offset[i] = offset;
    c.v[i] = e.v;
    c.id[i] = e.id;
    c.ts[i] = ts;
    c.ingestTs[i] = toMillis(e.ingestTs);
    c.host[i] = e.host;
    c.source[i] = e.source;
    c.system[i] = e.system;
    c.level[i] = e.level;
    c.component[i] = e.component;
    c.content[i] = e.content;
    c.fields[i] = e.fields ?? {};
    c.lineNo[i] = BigInt(e.lineNo);
    c.raw[i] = e.raw;
    c.flags[i] = e.flags ?? [];
    c.parseError[i] = e.parseError ?? null;
    c.templateId[i] = e.templateId;
    c.template[i] = e.template;
    c.params[i] = e.params ?? [];
    c.classification[i] = e.classification;
    c.score[i] = e.score;
    c.reasons[i] = e.reasons ?? [];
    c.modelVersion[i] = e.modelVersion;
  }
  const columns: ColumnSource[] = [
    { name: "topic", data: c.topic, type: "STRING", nullable: false },
    { name: "partition", data: c.partition, type: "INT32", nullable: false },
    { name: "offset", data: c.offset, type: "INT64", nullable: false },
    { name: "v", data: c.v, type: "INT32", nullable: false },
    { name: "id", data: utf8Column(c.id), type: "STRING", nullable: false },
    { name: "ts", data: c.ts, type: "TIMESTAMP", nullable: false },
    { name: "ingestTs", data: c.ingestTs, type: "TIMESTAMP", nullable: false },
    { name: "host", data: c.host, type: "STRING", nullable: false },
    { name: "source", data: c.source, type: "STRING", nullable: false },
    { name: "system", data: c.system, type: "STRING", nullable: false },
    { name: "level", data: c.level, type: "STRING", nullable: false },
    { name: "component", data: c.component, type: "STRING", nullable: false },
    { name: "content", data: sharedUtf8Column(c.content), type: "STRING", nullable: false },
    { name: "fields", data: jsonColumn(c.fields), type: "JSON", nullable: false },
    { name: "lineNo", data: c.lineNo, type: "INT64", nullable: false },
    { name: "raw", data: sharedUtf8Column(c.raw), type: "STRING", nullable: false },
    { name: "flags", data: jsonColumn(c.flags), type: "JSON", nullable: false },
    { name: "parseError", data: c.parseError, type: "STRING" },
    { name: "templateId", data: c.templateId, type: "STRING", nullable: false },
    { name: "template", data: c.template, type: "STRING", nullable: false },
    { name: "params", data: jsonColumn(c.params), type: "JSON", nullable: false },
    { name: "classification", data: c.classification, type: "STRING", nullable: false },
    { name: "score", data: c.score, type: "DOUBLE", nullable: false },
    { name: "reasons", data: jsonColumn(c.reasons), type: "JSON", nullable: false },
    { name: "modelVersion", data: c.modelVersion, type: "STRING", nullable: false },
  ];
  return columns.map((col) => ({ ...col, statistics: COLUMNS_WITH_STATISTICS.has(col.name) }));
}

/**
 * The cold tier's columns for `records`, rows in {@link sortColdRows}'s order, as {@link encodeParquet} hands
 * them to the writer (exported for `bench/parquet_encode_bench.ts`, which splits the cost per row).
 */
export function coldColumnData(records: readonly DeliveryRecord[]): ColumnSource[] {
  return coldColumns(sortKeyed(records));
}

/**
 * Writes columns from {@link coldColumnData} as one Parquet file: row groups of {@link ROW_GROUP_ROWS},
 * `vigil.schema` metadata, zstd unless `codec` says otherwise (the bench's way to time compression apart).
 *
 * @returns the file's bytes
 */
export function writeColdColumns(
  columnData: ColumnSource[],
  codec: "ZSTD" | "UNCOMPRESSED" = "ZSTD",
): Uint8Array {
  const schema = schemaFromColumnData({ columnData });
  // The JSON columns arrive as their UTF-8 text, which the writer only copies into a plain BYTE_ARRAY column:
  // declared JSON while writing, it would `JSON.stringify` each value again. The footer, written last by
  // `finish`, declares them JSON — so readers see the same schema as from JS values.
  const physical = schema.map((e) => e.converted_type === "JSON" ? { ...e, converted_type: undefined } : e);
  const writer = new ByteWriter();
  const pq = new ParquetWriter({
    writer,
    schema: physical,
    codec,
    compressors: COLD_COMPRESSORS,
    statisticsTruncateLength: STATISTICS_MAX_BYTES,
    kvMetadata: [{ key: "vigil.schema", value: COLD_SCHEMA_VERSION }],
  });
  pq.write({ columnData, rowGroupSize: ROW_GROUP_ROWS });
  pq.schema = schema;
  pq.finish();
  return new Uint8Array(writer.getBuffer());
}

/**
 * Encodes records as one Parquet file, rows ordered by {@link sortColdRows}, in row groups of
 * {@link ROW_GROUP_ROWS}, with min/max statistics on the columns in {@link COLUMNS_WITH_STATISTICS}.
 *
 * The file is byte for byte what `parquetWriteBuffer` makes of the same rows given as JS values with the same
 * compressor (`testing/reference_parquet_encoder.ts`, held to it by the test), at about half the cost per row
 * (`bench/parquet_encode_bench.ts`).
 *
 * @returns the file's bytes
 */
export function encodeParquet(records: readonly DeliveryRecord[]): Uint8Array {
  return writeColdColumns(coldColumnData(records));
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
