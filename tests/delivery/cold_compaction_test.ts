/**
 * Cold-tier compaction against the real S3 server of the local stack: the sink's small per-window objects
 * become one object per directory and topic-partition with exactly the rows they held; a run killed between
 * the write of the covering object and the deletion of its sources leaves readers (who apply the covering
 * rule) with every row once, and the next run finishes the job. Cold retention deletes exactly the partitions
 * whose hour is past it.
 */
import assert from "node:assert/strict";
import { compact } from "../../actors/cold_compaction/compactor.ts";
import { expireColdObjects } from "../../actors/cold_compaction/cold_retention.ts";
import { planCompaction, visibleKeys } from "../../actors/cold_compaction/compaction_plan.ts";
import { ColdSink } from "../../actors/cold_sink/sink.ts";
import { decodeParquet } from "../../actors/cold_sink/parquet_codec.ts";
import type { ColdService } from "../../actors/cold_sink/service.ts";
import type { DeliveryRecord } from "../../actors/delivery_record.ts";
import { deliveryRecord } from "../../testing/delivery_fixtures.ts";
import { TEST_BUCKET } from "../../testing/test_namespace.ts";
import { withTestNamespace } from "../../testing/drop_test_namespace.ts";
import { silentLogger } from "../../engine/logger.ts";

const N = 600;
const PARTITIONS = 2;

function records(): DeliveryRecord[] {
  return Array.from({ length: N }, (_, i) =>
    deliveryRecord(Math.floor(i / PARTITIONS), {
      partition: i % PARTITIONS,
      event: {
        ts: new Date(Date.UTC(2016, 8, 28, 4 + (Math.floor(i / PARTITIONS) % 2), 0, i % 60)).toISOString(),
        classification: "NORMAL",
      },
    }));
}

async function rowsOf(service: ColdService, keys: readonly string[]): Promise<DeliveryRecord[]> {
  const rows: DeliveryRecord[] = [];
  for (const k of keys) rows.push(...await decodeParquet((await service.get(k))!));
  return rows;
}

function identities(rows: readonly DeliveryRecord[]): Set<string> {
  return new Set(rows.map((r) => `${r.kafka.topic}-${r.kafka.partition}-${r.kafka.offset}`));
}

/** Writes N events through the real sink in windows of 10 offsets: 2 hours × 2 partitions × 30 windows. */
async function seed(prefix: string): Promise<ColdSink> {
  const sink = new ColdSink({ bucket: TEST_BUCKET, prefix, offsetWindow: 10, logger: silentLogger });
  await sink.start();
  const acks = await sink.write(records());
  assert.equal(acks.length, N);
  return sink;
}

/** The real store, killed (every call throws) from the `n`-th delete on. */
function killedAtDelete(service: ColdService, n: number): ColdService {
  let deletes = 0;
  return {
    get: (k) => service.get(k),
    put: (k, b) => service.put(k, b),
    list: (p) => service.list(p),
    ensureBucket: () => service.ensureBucket(),
    close: () => service.close(),
    delete: (k) => {
      if (++deletes >= n) return Promise.reject(new Error("killed between write and delete"));
      return service.delete(k);
    },
  };
}

Deno.test("compact: per-window objects become one per hour and partition, exactly N rows", () =>
  withTestNamespace("compact", async (ns) => {
    const sink = await seed(ns.s3Prefix);
    try {
      const root = `${ns.s3Prefix}events/`;
      const before = await sink.service.list(root);
      assert.equal(
        before.length,
        2 * PARTITIONS * 30,
        "the sink left one object per hour and window of 10 offsets",
      );
      const report = await compact(sink.service, root);
      const after = await sink.service.list(root);
      assert.equal(after.length, 2 * PARTITIONS, "one object per hour and partition");
      assert.deepEqual(visibleKeys(after), after);
      assert.deepEqual(report, {
        written: 4,
        deleted: before.length,
        rows: N,
        bytes: report.bytes,
      });
      const rows = await rowsOf(sink.service, after);
      assert.equal(rows.length, N);
      assert.equal(identities(rows).size, N);
      for (const k of after) assert.match(k, /\/part-vigil\.test-[01]-0-299\.parquet$/);
      assert.deepEqual(planCompaction(after), [], "nothing left to merge");
      assert.deepEqual(await compact(sink.service, root), { written: 0, deleted: 0, rows: 0, bytes: 0 });
    } finally {
      await sink.close(1_000);
    }
  }));

Deno.test("compact killed between write and delete: readers see every row once; the rerun finishes", () =>
  withTestNamespace("compactkill", async (ns) => {
    const sink = await seed(ns.s3Prefix);
    try {
      const root = `${ns.s3Prefix}events/`;
      const before = await sink.service.list(root);
      // Killed at the 5th delete: the first group's covering object is written and 4 of its 30 sources gone.
      await assert.rejects(compact(killedAtDelete(sink.service, 5), root), /killed between write and delete/);
      const mid = await sink.service.list(root);
      assert.equal(mid.length, before.length + 1 - 4);
      const raw = await rowsOf(sink.service, mid);
      assert.ok(raw.length > N, `covered sources still hold copies: ${raw.length} raw rows`);
      const visible = await rowsOf(sink.service, visibleKeys(mid));
      assert.equal(visible.length, N, "the covering rule hides the copies");
      assert.equal(identities(visible).size, N);

      const report = await compact(sink.service, root);
      assert.equal(report.rows, N);
      const after = await sink.service.list(root);
      assert.equal(after.length, 2 * PARTITIONS);
      const rows = await rowsOf(sink.service, after);
      assert.equal(rows.length, N);
      assert.equal(identities(rows).size, N);
    } finally {
      await sink.close(1_000);
    }
  }));

Deno.test("expireColdObjects: deletes the hours past the retention, keeps the younger ones and their rows", () =>
  withTestNamespace("coldexpire", async (ns) => {
    const sink = await seed(ns.s3Prefix);
    try {
      const root = `${ns.s3Prefix}events/`;
      // Hour 04 of 2016-09-28 ended at 05:00, hour 05 at 06:00: one day after 05:30, only hour 04 is past.
      const now = Date.UTC(2016, 8, 29, 5, 30);
      assert.deepEqual(await expireColdObjects(sink.service, root, 0, now), [], "0 days keeps everything");
      const expired = await expireColdObjects(sink.service, root, 1, now);
      assert.equal(expired.length, PARTITIONS * 30);
      assert.ok(expired.every((k) => k.includes("/dt=2016-09-28/hour=04/")));
      const left = await sink.service.list(root);
      assert.ok(left.every((k) => k.includes("/dt=2016-09-28/hour=05/")));
      const rows = await rowsOf(sink.service, left);
      assert.equal(rows.length, N / 2);
      assert.equal(identities(rows).size, N / 2);
      assert.deepEqual(await expireColdObjects(sink.service, root, 1, now), [], "idempotent");
    } finally {
      await sink.close(1_000);
    }
  }));
