/**
 * Cold-tier compaction against the real S3 server of the local stack: the sink's small per-window objects
 * become one object per directory and topic-partition with exactly the rows they held; a run killed between
 * the write of the covering object and the deletion of its sources leaves readers (who apply the covering
 * rule) with every row once, and the next run finishes the job. Cold retention deletes exactly the partitions
 * whose hour is past it. The lifecycle test chains redelivery, both compaction levels (each killed mid-way) and
 * retention, checking each event once through the cold reader after every step; the actor test runs the
 * lifecycle under an actor system's supervision.
 */
import assert from "node:assert/strict";
import { compact } from "../../actors/cold_compaction/compactor.ts";
import { coldCompactionActor } from "../../actors/cold_compaction/cold_compaction_actor.ts";
import { ActorSystem } from "../../engine/actor_system.ts";
import { until } from "../../testing/until.ts";
import { compactDays } from "../../actors/cold_compaction/day_compactor.ts";
import { ColdQueryReader } from "../../actors/cold_query/cold_query.ts";
import { expireColdObjects } from "../../actors/cold_compaction/cold_retention.ts";
import { planCompaction, visibleKeys } from "../../actors/cold_compaction/compaction_plan.ts";
import { ColdSink } from "../../actors/cold_sink/sink.ts";
import { decodeParquet } from "../../actors/cold_sink/parquet_codec.ts";
import { type ColdService, S3ColdService } from "../../actors/cold_sink/service.ts";
import type { DeliveryRecord } from "../../actors/delivery_record.ts";
import { ARCHIVE_EVENT_TIME_WINDOW, deliveryRecord } from "../../testing/delivery_fixtures.ts";
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
  // Archive-wide window: the 2016 rows are partitioned by their own hours (the default would clamp them).
  const sink = new ColdSink({
    bucket: TEST_BUCKET,
    prefix,
    offsetWindow: 10,
    logger: silentLogger,
    eventTimeWindow: ARCHIVE_EVENT_TIME_WINDOW,
  });
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

/** The real store, killed (every call throws) from the `n`-th put on. */
function killedAtPut(service: ColdService, n: number): ColdService {
  let puts = 0;
  return {
    ...killedAtDelete(service, Infinity),
    put: (k, b) => {
      if (++puts >= n) return Promise.reject(new Error("killed while writing a generation"));
      return service.put(k, b);
    },
  };
}

/** Two days: 2016-09-27 10:00 (offsets 0–149 of each partition), 2016-09-28 04:00–05:59 (offsets 150–299). */
function twoDays(): DeliveryRecord[] {
  return Array.from({ length: N }, (_, i) => {
    const offset = Math.floor(i / PARTITIONS);
    const ts = offset < 150
      ? new Date(Date.UTC(2016, 8, 27, 10, 0, offset % 60))
      : new Date(Date.UTC(2016, 8, 28, 4 + (offset % 2), 0, offset % 60));
    return deliveryRecord(offset, {
      partition: i % PARTITIONS,
      event: { ts: ts.toISOString(), classification: "NORMAL" },
    });
  });
}

Deno.test("lifecycle: replayed duplicates, hour and day compaction killed mid-way, retention: each event once", () =>
  withTestNamespace("coldlife", async (ns) => {
    const sink = new ColdSink({
      bucket: TEST_BUCKET,
      prefix: ns.s3Prefix,
      offsetWindow: 10,
      logger: silentLogger,
      eventTimeWindow: ARCHIVE_EVENT_TIME_WINDOW,
    });
    const store = new S3ColdService(sink.config);
    try {
      await sink.start();
      const root = `${ns.s3Prefix}events/`;
      const all = twoDays();
      assert.equal((await sink.write(all)).length, N);
      // At-least-once: a redelivery writes a slice again (the sink merges it into the same window objects).
      assert.equal((await sink.write(all.slice(100, 400))).length, 300);
      const range = { from: new Date(Date.UTC(2016, 8, 27)), to: new Date(Date.UTC(2016, 8, 29)) };
      /** Every event once: by the cold reader's count, and by the identities of the visible objects' rows. */
      const assertEachOnce = async (expected: number, stage: string) => {
        const reader = new ColdQueryReader(store, {
          prefix: ns.s3Prefix,
          cacheBytes: 0,
          decodedCacheBytes: 0,
        });
        assert.equal((await reader.count(range)).count, expected, `${stage}: cold reader count`);
        const page = await reader.page(range, 1000);
        assert.equal(page.events.length, expected, `${stage}: cold reader page`);
        assert.equal(new Set(page.events.map((e) => `${e.partition}-${e.offset}`)).size, expected, stage);
        const rows = await rowsOf(sink.service, visibleKeys(await sink.service.list(root)));
        assert.equal(rows.length, expected, `${stage}: visible rows`);
        assert.equal(identities(rows).size, expected, `${stage}: distinct rows`);
      };
      await assertEachOnce(N, "after replay");

      await assert.rejects(compact(killedAtDelete(sink.service, 5), root), /killed/);
      await assertEachOnce(N, "hour compaction killed");
      await compact(sink.service, root);
      await assertEachOnce(N, "hour compaction");

      // A small target splits each day's group into several day objects: a kill after the first leaves an
      // incomplete generation readers ignore.
      const targetBytes = 4_000;
      await assert.rejects(compactDays(killedAtPut(sink.service, 2), root, { targetBytes }), /killed/);
      assert.ok((await sink.service.list(root)).some((k) => k.includes("/day-")), "a partial generation");
      await assertEachOnce(N, "day compaction killed while writing");
      await assert.rejects(compactDays(killedAtDelete(sink.service, 2), root, { targetBytes }), /killed/);
      await assertEachOnce(N, "day compaction killed while deleting");
      const report = await compactDays(sink.service, root, { targetBytes });
      assert.ok(report.deleted > 0);
      await assertEachOnce(N, "day compaction");
      const after = await sink.service.list(root);
      // 2016-09-28 had two hours: day objects now; 2016-09-27 had one hour per partition, a single object
      // already, which stays where it is.
      const day28 = after.filter((k) => k.includes("/dt=2016-09-28/"));
      assert.ok(
        day28.every((k) => /\/dt=2016-09-28\/classification=NORMAL\/day-/.test(k)),
        "only day objects",
      );
      assert.ok(day28.length > PARTITIONS, `several objects per day and partition: ${day28.length}`);
      assert.deepEqual(await compactDays(sink.service, root, { targetBytes }), {
        written: 0,
        deleted: 0,
        rows: 0,
        bytes: 0,
      });

      // A replay after compaction: its window objects are covered by the day objects (same offsets) and deleted.
      assert.equal((await sink.write(all.slice(0, 50))).length, 50);
      await assertEachOnce(N, "replay after compaction");
      await compactDays(sink.service, root, { targetBytes });
      await assertEachOnce(N, "compaction after a replay");

      // Retention: one day after 2016-09-27 ended, that day's objects go; 2016-09-28's stay.
      const expired = await expireColdObjects(sink.service, root, 1, Date.UTC(2016, 8, 29, 1));
      assert.ok(expired.length > 0 && expired.every((k) => k.includes("/dt=2016-09-27/")));
      await assertEachOnce(N / 2, "retention");
    } finally {
      store.close();
      await sink.close(1_000);
    }
  }));

Deno.test("compaction actor: supervised in an actor system, a failed pass is restarted and the next one compacts", () =>
  withTestNamespace("coldactor", async (ns) => {
    const sink = await seed(ns.s3Prefix);
    const system = new ActorSystem({ logger: silentLogger });
    const stop = new AbortController();
    try {
      const root = `${ns.s3Prefix}events/`;
      let lists = 0;
      // The first pass meets an S3 that fails: the actor throws, the supervisor restarts it.
      const flaky: ColdService = {
        ...killedAtDelete(sink.service, Infinity),
        list: (p) => ++lists === 1 ? Promise.reject(new Error("S3 down")) : sink.service.list(p),
      };
      const ref = system.spawn(coldCompactionActor({
        service: flaky,
        root,
        intervalMs: 500,
        firstDelayMs: 0,
        lifecycle: { minAgeMs: 0, targetBytes: 64 * 1048576 },
        signal: stop.signal,
      }));
      // 2016-09-28 04:00 and 05:00 of both partitions end as one day object per partition.
      await until(async () => {
        const keys = await sink.service.list(root);
        return keys.length === PARTITIONS && keys.every((k) => k.includes("/day-"));
      }, { what: "one day object per partition", deadlineMs: 60_000, pollMs: 200 });
      assert.ok(lists >= 2, "the failed pass was followed by another");
      stop.abort();
      await system.stop(ref);
      const rows = await rowsOf(sink.service, await sink.service.list(root));
      assert.equal(rows.length, N);
      assert.equal(identities(rows).size, N);
    } finally {
      stop.abort();
      await system.shutdown({ deadlineMs: 1_000 });
      await sink.close(1_000);
    }
  }));
