import assert from "node:assert/strict";
import { parquetMetadata, parquetSchema } from "hyparquet";
import {
  COLD_COMPRESSORS,
  decodeOffsets,
  decodeParquet,
  encodeParquet,
  ROW_GROUP_ROWS,
} from "./parquet_codec.ts";
import { compressors as decompressors } from "hyparquet-compressors";
import { deliveryRecord } from "../../testing/delivery_fixtures.ts";
import { referenceEncodeParquet } from "../../testing/reference_parquet_encoder.ts";
import type { DeliveryRecord } from "../delivery_record.ts";
import { testIncident } from "../../testing/incident_fixture.ts";

Deno.test("encodeParquet → decodeParquet round-trips every field, rows sorted by ts within level and component", async () => {
  const records = [
    deliveryRecord(7, {
      event: { parseError: "no match", flags: ["parse_error"], classification: "ANOMALY" },
    }),
    deliveryRecord(3, {
      event: { content: "<b>html</b> \u0000 ünïcode \ud83d\ude00", reasons: ["rare template"] },
    }),
  ];
  const bytes = encodeParquet(records);
  assert.equal(new TextDecoder().decode(bytes.subarray(0, 4)), "PAR1");
  const back = await decodeParquet(bytes);
  assert.deepEqual(back.map((r) => r.kafka.offset), ["3", "7"]);
  assert.deepEqual(back[0], records[1]);
  assert.deepEqual(back[1], records[0]);
});

Deno.test("encodeParquet: zstd column chunks and the documented physical types", () => {
  const bytes = encodeParquet([deliveryRecord(1)]);
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const meta = parquetMetadata(file);
  assert.equal(meta.num_rows, 1n);
  assert.ok(meta.row_groups[0].columns.every((c) => c.meta_data?.codec === "ZSTD"));
  const types = Object.fromEntries(
    parquetSchema(meta).children.map((c) => [c.element.name, c.element.converted_type ?? c.element.type]),
  );
  assert.deepEqual(types, {
    topic: "UTF8",
    partition: "INT32",
    offset: "INT64",
    v: "INT32",
    id: "UTF8",
    ts: "TIMESTAMP_MILLIS",
    ingestTs: "TIMESTAMP_MILLIS",
    host: "UTF8",
    source: "UTF8",
    system: "UTF8",
    level: "UTF8",
    component: "UTF8",
    content: "UTF8",
    fields: "JSON",
    lineNo: "INT64",
    raw: "UTF8",
    flags: "JSON",
    parseError: "UTF8",
    templateId: "UTF8",
    template: "UTF8",
    params: "JSON",
    classification: "UTF8",
    score: "DOUBLE",
    reasons: "JSON",
    modelVersion: "UTF8",
  });
});

Deno.test("decodeParquet rejects bytes that are not Parquet", async () => {
  await assert.rejects(decodeParquet(new TextEncoder().encode("not parquet at all")));
});

Deno.test("decodeOffsets reads the offset column alone, in stored order (level, component, ts, offset)", async () => {
  // An offset beyond 2^53 must survive exactly (Kafka offsets are int64).
  const big = {
    ...deliveryRecord(1),
    kafka: { topic: "vigil.test", partition: 0, offset: "9007199254740993" },
  };
  const bytes = encodeParquet([deliveryRecord(12), deliveryRecord(5), big]);
  // Same level and component: ordered by ts (second n % 60), so `big` (n = 1) comes first.
  assert.deepEqual(await decodeOffsets(bytes), ["9007199254740993", "5", "12"]);
  await assert.rejects(decodeOffsets(new TextEncoder().encode("not parquet at all")));
});

Deno.test("encodeParquet ignores the incidents a record carries: same columns, round-trips to the bare record", async () => {
  const bare = deliveryRecord(4, { event: { classification: "CRITICAL_ANOMALY" } });
  const bytes = encodeParquet([{ ...bare, incidents: [testIncident(1), testIncident(2, { version: 3 })] }]);
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const names = parquetSchema(parquetMetadata(file)).children.map((c) => c.element.name);
  assert.equal(names.length, 25);
  assert.ok(!names.includes("incidents"));
  assert.deepEqual(await decodeParquet(bytes), [bare]);
  assert.deepEqual(encodeParquet([bare]), bytes, "byte-identical to the record without incidents");
});

/** Records that take every path of the column encoders: ASCII and not, escapes, lone surrogates, nulls, bad
 * times, shared and distinct JSON values, big offsets, levels and components in no order. */
function variedRecords(n: number, nonAscii: boolean): DeliveryRecord[] {
  return Array.from({ length: n }, (_, i) =>
    deliveryRecord(i, {
      partition: i % 3,
      event: {
        level: (["info", "error", "warn"] as const)[i % 3],
        component: `C${i % 7}`,
        ts: i % 97 === 0
          ? "not a time"
          : new Date(Date.UTC(2026, 11, 4, 12, 0, i % 3600, i % 1000)).toISOString(),
        content: nonAscii && i % 1000 === 1 ? `ü \ud83d lone ${i}` : `say "${i}" \\ done\t`,
        raw: nonAscii && i % 2000 === 2 ? `raw \ud83d\ude00 ${i}` : `raw line ${i}`,
        fields: i % 5 === 0
          ? {}
          : { Date: "2026-12-04", Time: `12:00:${i % 60}`, Quote: i % 11 === 0 ? 'a"b' : "x" },
        params: i % 13 === 0 ? [] : [`p${i}`, i % 17 === 0 ? "\u0001ctl" : "v"],
        flags: i % 31 === 0 ? ["parse_error", "ts_from_ingest"] : [],
        parseError: i % 31 === 0 ? "no match" : undefined,
        reasons: i % 50 === 0 ? ["rare template", `score ${i}`] : [],
        templateId: `t${i % 40}`,
        score: (i % 100) / 100,
      },
    })).map((r, i) => i === 5 ? { ...r, kafka: { ...r.kafka, offset: "9223372036854775807" } } : r);
}

Deno.test("encodeParquet writes byte for byte what one plain parquetWriteBuffer call of JS values writes", () => {
  // The same compressor on both sides: the reference's own (a stream of unknown size) frames pages differently.
  for (const nonAscii of [false, true]) {
    for (const n of [1, 17, ROW_GROUP_ROWS + 300]) {
      const records = variedRecords(n, nonAscii);
      assert.deepEqual(
        encodeParquet(records),
        referenceEncodeParquet(records, COLD_COMPRESSORS),
        `${n} rows, non-ASCII ${nonAscii}`,
      );
    }
  }
});

Deno.test("the cold zstd compressor's frames decode to their input with the readers' decompressor", () => {
  for (const n of [0, 1, 40, 4_000, 300_000]) {
    const input = new Uint8Array(n).map((_, i) => (i * 7 + (i >> 5)) & 0x7f);
    const frame = COLD_COMPRESSORS.ZSTD(input);
    assert.deepEqual(decompressors.ZSTD!(frame, n), input, `${n} bytes`);
  }
});
