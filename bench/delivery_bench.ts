/**
 * Delivery throughput: encoding (pure) and writing to the real local stack.
 *
 * `deno bench -A bench/delivery_bench.ts` (needs `deno task stack up`). Each group has a baseline measured in
 * the same run — `JSON.stringify` of the same 10 000 events, the cheapest thing any sink must do — so the
 * figures are ratios, comparable across machines. Events per second = 10 000 / time per iteration.
 *
 * @module
 */
import { testNamespace } from "../testing/test_namespace.ts";
import { dropOnExit } from "../testing/drop_test_namespace.ts";
import { buildBulkOps, bulkBody } from "../actors/hot_sink/request_builder.ts";
import { encodeParquet } from "../actors/cold_sink/parquet_codec.ts";
import { HotSink } from "../actors/hot_sink/sink.ts";
import { ColdSink } from "../actors/cold_sink/sink.ts";
import { CollectingDeadLetters, deliveryRecord } from "../testing/delivery_fixtures.ts";

const N = 10_000;
const records = Array.from({ length: N }, (_, i) =>
  deliveryRecord(i, {
    partition: i % 4,
    event: {
      classification: i % 50 === 0 ? "ANOMALY" : "NORMAL",
      templateId: `t${i % 40}`,
      score: (i % 100) / 100,
    },
  }));
// The bench's own namespace (indices and objects), removed when the process ends.
const ns = testNamespace("delivery", "bench");
dropOnExit(ns);

Deno.bench({ name: "JSON.stringify 10k events (baseline)", group: "encode", baseline: true }, () => {
  for (const r of records) JSON.stringify(r.event);
});
Deno.bench({ name: "bulk NDJSON 10k events", group: "encode" }, () => {
  bulkBody(buildBulkOps(records, "vigil"));
});
Deno.bench({ name: "Parquet zstd 10k rows", group: "encode" }, () => {
  encodeParquet(records);
});

const hot = new HotSink({
  indexPrefix: ns.indexPrefix,
  maxEvents: 2000,
  deadLetters: new CollectingDeadLetters(),
});
await hot.start();
const cold = new ColdSink({ bucket: ns.bucket, prefix: ns.s3Prefix, offsetWindow: 1_000_000 });
let run = 0;

Deno.bench({ name: "JSON.stringify 10k events (baseline)", group: "write", baseline: true, n: 5 }, () => {
  for (const r of records) JSON.stringify(r.event);
});
Deno.bench(
  { name: "HotSink.write 10k events → OpenSearch (bulk 2000)", group: "write", n: 5, warmup: 1 },
  async () => {
    await hot.write(records);
  },
);
Deno.bench(
  { name: "ColdSink.write 10k rows → S3 (4 objects)", group: "write", n: 5, warmup: 1 },
  async () => {
    // A fresh offset range each run, so the objects are new rather than merged rewrites.
    const base = ++run * N;
    await cold.write(
      records.map((r) => ({ ...r, kafka: { ...r.kafka, offset: String(base + Number(r.kafka.offset)) } })),
    );
  },
);
