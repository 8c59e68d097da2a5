/**
 * Where the cold sink's Parquet encoding spends its time per row (issue 14), and what the cut saved.
 *
 * `deno bench -A bench/parquet_encode_bench.ts`. 10,000 rows shaped like the bench suite's events (~600 bytes
 * of JSON: synthetic Windows lines parsed and mined as the engine does, a classifier verdict) of one partition,
 * consecutive offsets, as one cold object holds them (one partition's offset window), and made of flat
 * strings, as the engine gets them from `JSON.parse` of Kafka messages. µs per row = time per
 * iteration ÷ 10,000. Each group's baseline is the reference encoding (`testing/reference_parquet_encoder.ts`:
 * one plain `parquetWriteBuffer` call of JS values, the codec before the cut), measured in the same run:
 *
 * - `encode`: the whole `encodeParquet` against the reference, end to end (the same file but for the zstd
 *   frames, which now record their size; the test checks the rest byte for byte).
 * - `split`: its parts — sorting; sorting and building the columns; writing them without compression and
 *   with zstd (the difference is compression); the same for the reference's columns.
 * - `column <name>`: one column written alone, uncompressed: the writer's per-column work (dictionary,
 *   statistics, plain or RLE pages) on the reference's JS values against the values the codec now gives.
 *
 * @module
 */
import type { ColumnSource } from "hyparquet-writer";
import {
  coldColumnData,
  encodeParquet,
  sortColdRows,
  writeColdColumns,
} from "../actors/cold_sink/parquet_codec.ts";
import type { DeliveryRecord } from "../actors/delivery_record.ts";
import { mineEvent } from "../lib/parsing/mine_event.ts";
import { TemplateMiner } from "../lib/parsing/template_miner.ts";
import {
  referenceColumnData,
  referenceEncodeParquet,
  referenceWriteColumns,
} from "../testing/reference_parquet_encoder.ts";
import { EventMaker } from "./suite/event_feeder.ts";

const N = 10_000;

/** The suite's events, mined and classified (1 in 50 an anomaly with reasons), as the cold sink gets them. */
function suiteRecords(n: number): DeliveryRecord[] {
  const maker = new EventMaker("bench-");
  const miner = new TemplateMiner();
  const ingestMs = Date.UTC(2026, 11, 4, 12);
  const records = Array.from({ length: n }, (_, i): DeliveryRecord => {
    const anomaly = i % 50 === 0;
    return {
      event: {
        ...mineEvent(miner, maker.make(i, ingestMs + i)).event,
        classification: anomaly ? "ANOMALY" : "NORMAL",
        score: anomaly ? 0.91 : (i % 97) / 1000,
        reasons: anomaly ? ["rare template", "burst of errors"] : [],
        modelVersion: "winlog-2026-11-30",
      },
      kafka: { topic: "vigil.bench", partition: 0, offset: String(100_000 + i) },
    };
  });
  // Flat strings, as JSON.parse makes them (the parser's sliced strings stringify ~2x slower).
  return JSON.parse(JSON.stringify(records));
}

const records = suiteRecords(N);

Deno.bench({ name: "reference: parquetWriteBuffer of JS values", group: "encode", baseline: true }, () => {
  referenceEncodeParquet(records);
});
Deno.bench({ name: "encodeParquet", group: "encode" }, () => {
  encodeParquet(records);
});

const columns = coldColumnData(records);
const refColumns = referenceColumnData(records);

Deno.bench({ name: "reference: sort + build + write zstd", group: "split", baseline: true }, () => {
  referenceEncodeParquet(records);
});
Deno.bench({ name: "sortColdRows", group: "split" }, () => {
  sortColdRows(records);
});
Deno.bench({ name: "reference: sortColdRows + build columns (JS values)", group: "split" }, () => {
  referenceColumnData(records);
});
Deno.bench({ name: "sortColdRows + build columns (ms, bytes, JSON text)", group: "split" }, () => {
  coldColumnData(records);
});
Deno.bench({ name: "reference: write, uncompressed", group: "split" }, () => {
  referenceWriteColumns(refColumns, "UNCOMPRESSED");
});
Deno.bench({ name: "reference: write, zstd", group: "split" }, () => {
  referenceWriteColumns(refColumns);
});
Deno.bench({ name: "write, uncompressed", group: "split" }, () => {
  writeColdColumns(columns, "UNCOMPRESSED");
});
Deno.bench({ name: "write, zstd", group: "split" }, () => {
  writeColdColumns(columns);
});
const noStatistics = (cs: ColumnSource[]) => cs.map((c) => ({ ...c, statistics: false }));
const columnsNoStats = noStatistics(columns);
Deno.bench({ name: "write, uncompressed, no statistics at all", group: "split" }, () => {
  writeColdColumns(columnsNoStats, "UNCOMPRESSED");
});

for (let i = 0; i < columns.length; i++) {
  const name = columns[i].name;
  Deno.bench({ name: `reference ${name}`, group: `column ${name}`, baseline: true }, () => {
    referenceWriteColumns([refColumns[i]], "UNCOMPRESSED");
  });
  Deno.bench({ name: `${name}`, group: `column ${name}` }, () => {
    writeColdColumns([columns[i]], "UNCOMPRESSED");
  });
}
