/**
 * ColdSink against the real S3 server of the local stack (`deno task stack up`).
 * Each test writes under its own key prefix.
 */
import assert from "node:assert/strict";
import { ColdSink, ColdSinkClosedError } from "../../actors/cold_sink/sink.ts";
import { decodeParquet } from "../../actors/cold_sink/request_builder.ts";
import type { DeliveryAck, DeliveryRecord } from "../../actors/delivery_record.ts";
import { deliveryRecord } from "./fixtures.ts";

function testPrefix(): string {
  return `test-${crypto.randomUUID().slice(0, 8)}/`;
}

async function readAll(sink: ColdSink, prefix: string): Promise<{ keys: string[]; rows: DeliveryRecord[] }> {
  const keys = await sink.service.list(prefix);
  const rows: DeliveryRecord[] = [];
  for (const k of keys) rows.push(...await decodeParquet((await sink.service.get(k))!));
  return { keys, rows };
}

function records(n: number, partitions = 4): DeliveryRecord[] {
  return Array.from({ length: n }, (_, i) =>
    deliveryRecord(Math.floor(i / partitions), {
      partition: i % partitions,
      event: {
        ts: new Date(Date.UTC(2016, 8, 28, 4 + (i % 3), 0, i % 60)).toISOString(),
        classification: i % 7 === 0 ? "ANOMALY" : "NORMAL",
        score: (i % 100) / 100,
      },
    }));
}

Deno.test("ColdSink writes N rows once under Hive-style keys; a replay rewrites the same objects", async () => {
  const prefix = testPrefix();
  const acked: DeliveryAck[] = [];
  const sink = new ColdSink({ prefix, offsetWindow: 100, onAck: (a) => acked.push(...a) });
  await sink.start();
  const input = records(1000);
  for (const r of input) await sink.push(r);
  await sink.flush();
  assert.equal(acked.length, 1000);
  assert.ok(acked.every((a) => a.tier === "cold" && a.outcome === "delivered"));
  const first = await readAll(sink, prefix);
  assert.equal(first.rows.length, 1000);
  assert.equal(new Set(first.rows.map((r) => `${r.kafka.partition}-${r.kafka.offset}`)).size, 1000);
  for (const k of first.keys) {
    assert.match(
      k,
      /^test-[0-9a-f]{8}\/events\/dt=2016-09-28\/hour=0[456]\/classification=(NORMAL|ANOMALY)\/part-vigil\.test-[0-3]-\d+-\d+\.parquet$/,
    );
  }
  // Types as a reader sees them.
  const row = first.rows.find((r) => r.kafka.partition === 2 && r.kafka.offset === "10")!;
  assert.equal(typeof row.event.score, "number");
  assert.equal(row.event.lineNo, 11);
  assert.deepEqual(row.event.fields, { Date: "2016-09-28", Time: "04:30:31" });

  // Crash-and-replay: the same records again, cut differently (one big write), land in the same objects.
  await sink.write(input.slice(0, 600));
  const second = await readAll(sink, prefix);
  assert.deepEqual(second.keys, first.keys);
  assert.equal(second.rows.length, 1000, "a replay merges by offset: no duplicate rows");
  await sink.close();
});

Deno.test("ColdSink: a window flushed in parts (timeout) ends as one object holding every row", async () => {
  const prefix = testPrefix();
  const sink = new ColdSink({ prefix, offsetWindow: 1000, timeoutMs: 50 });
  const input = Array.from({ length: 30 }, (_, i) => deliveryRecord(i));
  for (const r of input.slice(0, 10)) await sink.push(r);
  await new Promise((r) => setTimeout(r, 300)); // the timeout writes a partial object
  for (const r of input.slice(10)) await sink.push(r);
  await sink.flush();
  const { keys, rows } = await readAll(sink, prefix);
  assert.equal(keys.length, 1);
  assert.equal(rows.length, 30);
  assert.equal(sink.metrics.merges, 1);
  await sink.close();
});

Deno.test("ColdSink: the partition moving to the next window writes the previous window at once", async () => {
  const prefix = testPrefix();
  const acked: string[] = [];
  const sink = new ColdSink({
    prefix,
    offsetWindow: 10,
    onAck: (a) => acked.push(...a.map((x) => x.kafka.offset)),
  });
  for (let o = 0; o < 25; o++) await sink.push(deliveryRecord(o));
  await new Promise((r) => setTimeout(r, 500));
  assert.deepEqual(
    acked.map(Number),
    Array.from({ length: 20 }, (_, i) => i),
    "windows 0-9 and 10-19 are written",
  );
  assert.equal(sink.metrics.buffered, 5);
  await sink.close();
  assert.equal(acked.length, 25, "close flushes the rest");
});

Deno.test("ColdSink: large objects go up as multipart uploads and read back whole", async () => {
  const prefix = testPrefix();
  const sink = new ColdSink({ prefix, multipartThresholdBytes: 1024, offsetWindow: 1_000_000 });
  // Incompressible text, so the zstd object really exceeds one 5 MiB part.
  const noise = () => btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(2400))));
  const input = Array.from({ length: 3000 }, (_, i) => deliveryRecord(i, { event: { raw: noise() } }));
  await sink.write(input);
  const { keys, rows } = await readAll(sink, prefix);
  assert.equal(keys.length, 1);
  assert.equal(rows.length, 3000);
  assert.ok(
    sink.metrics.bytesWritten > 5 * 1024 * 1024,
    `object spans two parts: ${sink.metrics.bytesWritten} bytes`,
  );
  await sink.close();
});

Deno.test("ColdSink: while S3 is unreachable nothing is acknowledged; abort leaves records unacked", async () => {
  const sink = new ColdSink({
    endpoint: "http://127.0.0.1:9",
    retryInitialBackoffMs: 10,
    retryMaxBackoffMs: 50,
    retryMaxDurationMs: 100,
    log: () => {},
  });
  let settled = false;
  const pending = sink.write([deliveryRecord(1)]).finally(() => settled = true);
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(settled, false);
  assert.equal(sink.metrics.healthy, false);
  assert.equal(sink.metrics.delivered, 0);
  sink.abort();
  await assert.rejects(pending, ColdSinkClosedError);
  await sink.close(10);
});

Deno.test("ColdSink: reaching maxBytes writes everything buffered before push returns (backpressure)", async () => {
  const prefix = testPrefix();
  const acked: string[] = [];
  const sink = new ColdSink({
    prefix,
    maxBytes: 20_000,
    offsetWindow: 1_000_000,
    onAck: (a) => acked.push(...a.map((x) => x.kafka.offset)),
  });
  const text = "y".repeat(3000);
  let pushes = 0;
  while (acked.length === 0) {
    await sink.push(deliveryRecord(pushes++, { event: { content: text } }));
    assert.ok(pushes < 20, "maxBytes must trigger a write");
  }
  assert.equal(acked.length, pushes, "every buffered record was written when the limit was reached");
  assert.equal(sink.metrics.buffered, 0);
  await sink.close();
});
