/**
 * ColdSink against the real S3 server of the local stack (`deno task stack up`).
 * Each test writes under its own test namespace (the tests' bucket), removed afterwards.
 */
import assert from "node:assert/strict";
import { ColdSink, ColdSinkClosedError } from "../../actors/cold_sink/sink.ts";
import { coldSinkProps } from "../../actors/cold_sink/cold_sink_actor.ts";
import { ActorSystem } from "../../engine/actor_system.ts";
import { silentLogger } from "../../engine/logger.ts";
import { decodeParquet } from "../../actors/cold_sink/parquet_codec.ts";
import type { ColdService } from "../../actors/cold_sink/service.ts";
import { type DeliveryAck, type DeliveryRecord, estimateRecordBytes } from "../../actors/delivery_record.ts";
import type { ClassifiedEvent } from "../../lib/event/log_event.ts";
import { ARCHIVE_EVENT_TIME_WINDOW, deliveryRecord } from "../../testing/delivery_fixtures.ts";
import { TEST_BUCKET } from "../../testing/test_namespace.ts";
import { withTestNamespace } from "../../testing/drop_test_namespace.ts";
import { until } from "../../testing/until.ts";

/** A test writing under its own key prefix in the tests' bucket, removed afterwards (also when it failed). */
function coldTest(name: string, fn: (prefix: string) => Promise<void>): void {
  Deno.test(name, () => withTestNamespace("coldsink", (ns) => fn(ns.s3Prefix)));
}

async function readAll(sink: ColdSink, prefix: string): Promise<{ keys: string[]; rows: DeliveryRecord[] }> {
  const keys = await sink.service.list(prefix);
  const rows: DeliveryRecord[] = [];
  for (const k of keys) rows.push(...await decodeParquet((await sink.service.get(k))!));
  return { keys, rows };
}

/**
 * The cold sink as the engine runs it: its actor (which buffers and decides when objects are due), fed through
 * its mailbox, acknowledging to `acked`.
 */
function coldActor(sink: ColdSink) {
  const system = new ActorSystem({ logger: silentLogger });
  const acked: DeliveryAck[] = [];
  const ref = system.spawn(coldSinkProps(sink, (a) => acked.push(...a)));
  return {
    acked,
    async send(records: DeliveryRecord[]): Promise<void> {
      for (const r of records) await ref.send(r);
    },
    /** Stops it as the pipeline does: the mailbox drains, then `postStop` writes what is buffered. */
    stop: () => system.shutdown({ deadlineMs: 30_000 }),
  };
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

coldTest(
  "ColdSink writes N rows once under Hive-style keys; a replay rewrites the same objects",
  async (prefix) => {
    // The 2016 rows keep their own hours in the keys under an archive-wide window (the default, the hot
    // retention, would clamp them to their ingest time − 7 days).
    const sink = new ColdSink({
      bucket: TEST_BUCKET,
      prefix,
      offsetWindow: 100,
      eventTimeWindow: ARCHIVE_EVENT_TIME_WINDOW,
    });
    await sink.start();
    const actor = coldActor(sink);
    const { acked } = actor;
    const input = records(1000);
    await actor.send(input);
    await actor.stop();
    assert.equal(acked.length, 1000);
    assert.ok(acked.every((a) => a.tier === "cold" && a.outcome === "delivered"));
    const first = await readAll(sink, prefix);
    assert.equal(first.rows.length, 1000);
    assert.equal(new Set(first.rows.map((r) => `${r.kafka.partition}-${r.kafka.offset}`)).size, 1000);
    for (const k of first.keys) {
      assert.match(
        k,
        /^test-[0-9a-z]+-coldsink-[0-9a-f]{4}\/events\/dt=2016-09-28\/hour=0[456]\/classification=(NORMAL|ANOMALY)\/part-vigil\.test-[0-3]-\d+-\d+\.parquet$/,
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
  },
);

coldTest(
  "ColdSink: a window flushed in parts (timeout) ends as one object holding every row",
  async (prefix) => {
    const sink = new ColdSink({ bucket: TEST_BUCKET, prefix, offsetWindow: 1000, timeoutMs: 50 });
    const actor = coldActor(sink);
    const input = Array.from({ length: 30 }, (_, i) => deliveryRecord(i));
    await actor.send(input.slice(0, 10));
    // The actor's own flush message, `timeoutMs` later, writes a partial object.
    await until(() => actor.acked.length === 10, { what: "the timeout write of the first 10 records" });
    assert.equal(sink.metrics.flushDueAt, undefined, "nothing more is due");
    await actor.send(input.slice(10));
    await actor.stop();
    assert.equal(actor.acked.length, 30);
    const { keys, rows } = await readAll(sink, prefix);
    assert.equal(keys.length, 1);
    assert.equal(rows.length, 30);
    assert.equal(sink.metrics.merges, 1);
    await sink.close();
  },
);

coldTest(
  "ColdSink: the partition moving to the next window writes the previous window at once",
  async (prefix) => {
    const sink = new ColdSink({ bucket: TEST_BUCKET, prefix, offsetWindow: 10 });
    const actor = coldActor(sink);
    const acked = () => actor.acked.map((a) => Number(a.kafka.offset));
    await actor.send(Array.from({ length: 25 }, (_, o) => deliveryRecord(o)));
    await until(() => sink.metrics.buffered === 5, { what: "offsets 20-24 in the buffers" });
    // The writes run behind the handler (the actor's concurrency): wait for them, not for the timeout.
    await until(() => actor.acked.length >= 20, { what: "windows 0-9 and 10-19 acknowledged" });
    assert.deepEqual(acked(), Array.from({ length: 20 }, (_, i) => i), "windows 0-9 and 10-19 are written");
    assert.equal(sink.metrics.buffered, 5, "the open window waits");
    await actor.stop();
    assert.equal(actor.acked.length, 25, "stopping writes the rest");
    await sink.close();
  },
);

coldTest(
  "ColdSink actor: a write runs behind the handler, which goes on buffering; writes stay one at a time, in order",
  async (prefix) => {
    const inner = new ColdSink({ bucket: TEST_BUCKET, prefix, offsetWindow: 10 }).service;
    const gate = Promise.withResolvers<void>();
    let running = 0;
    let most = 0;
    const gated = Object.assign(new FaultyService(inner, () => {}), {
      async put(key: string, bytes: Uint8Array) {
        most = Math.max(most, ++running);
        await gate.promise; // S3 slow: the first write holds until the test opens the gate
        try {
          return await inner.put(key, bytes);
        } finally {
          running--;
        }
      },
    });
    const sink = new ColdSink({ bucket: TEST_BUCKET, prefix, offsetWindow: 10, service: gated });
    const writes: number[] = [];
    const write = sink.write.bind(sink);
    sink.write = (records) => (writes.push(records.length), write(records));
    const actor = coldActor(sink);
    await actor.send(Array.from({ length: 21 }, (_, o) => deliveryRecord(o)));
    // Window 0's write is stuck in S3, yet the handler took window 1 into the next write: only offset 20 waits.
    await until(() => writes.length === 2, { what: "windows 0 and 1 handed to writes" });
    assert.deepEqual(writes, [10, 10]);
    assert.equal(sink.metrics.buffered, 1);
    assert.equal(actor.acked.length, 0, "nothing acknowledged before S3 stored it");
    gate.resolve();
    await until(() => actor.acked.length === 20, { what: "windows 0 and 1 acknowledged" });
    assert.deepEqual(actor.acked.map((a) => Number(a.kafka.offset)), Array.from({ length: 20 }, (_, i) => i));
    assert.equal(most, 1, "the sink runs the writes one after another");
    await actor.stop();
    assert.equal(actor.acked.length, 21, "stopping writes the rest and waits for it");
    await sink.close();
  },
);

coldTest("ColdSink: large objects go up as multipart uploads and read back whole", async (prefix) => {
  const sink = new ColdSink({
    bucket: TEST_BUCKET,
    prefix,
    multipartThresholdBytes: 1024,
    offsetWindow: 1_000_000,
  });
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
    logger: silentLogger,
  });
  let settled = false;
  const pending = sink.write([deliveryRecord(1)]).finally(() => settled = true);
  // Unhealthy once retrying outlasted retryMaxDurationMs; it keeps retrying.
  await until(() => !sink.metrics.healthy && sink.metrics.retries > 2, {
    what: "the sink reporting S3 down",
  });
  assert.equal(settled, false, "no acknowledgement while S3 is down");
  assert.equal(sink.metrics.delivered, 0);
  sink.abort();
  await assert.rejects(pending, ColdSinkClosedError);
  await sink.close(10);
});

coldTest(
  "ColdSink: reaching maxBytes writes everything buffered at once, the rest waits",
  async (prefix) => {
    const sink = new ColdSink({ bucket: TEST_BUCKET, prefix, maxBytes: 20_000, offsetWindow: 1_000_000 });
    const actor = coldActor(sink);
    const input = Array.from(
      { length: 10 },
      (_, i) => deliveryRecord(i, { event: { content: "y".repeat(3000) } }),
    );
    // The record that brings the buffers to maxBytes: everything up to it is written at once.
    let bytes = 0;
    const full = input.findIndex((r) => (bytes += estimateRecordBytes(r)) >= 20_000) + 1;
    assert.ok(full > 1 && full < input.length, `maxBytes is reached at record ${full}`);
    await actor.send(input);
    await until(() => sink.metrics.buffered === input.length - full, { what: "the records after the limit" });
    await until(() => actor.acked.length >= full, { what: "the records up to the limit acknowledged" });
    assert.deepEqual(
      actor.acked.map((a) => Number(a.kafka.offset)),
      Array.from({ length: full }, (_, i) => i),
      "every buffered record was written when the limit was reached",
    );
    await actor.stop();
    await sink.close();
  },
);

/** Offsets of one partition with every event in one hour, classified `classification`. */
function classified(
  from: number,
  to: number,
  classification: ClassifiedEvent["classification"],
): DeliveryRecord[] {
  return Array.from(
    { length: to - from },
    (_, i) =>
      deliveryRecord(from + i, { event: { classification, score: classification === "NORMAL" ? 0.1 : 0.9 } }),
  );
}

/** Which classification each offset is stored under (by object key), and how many rows in all. */
async function placement(
  sink: ColdSink,
  prefix: string,
): Promise<{ rows: number; by: Map<string, string[]> }> {
  const { keys, rows } = await readAll(sink, prefix);
  const by = new Map<string, string[]>();
  for (const k of keys) {
    const c = /classification=([^/]+)\//.exec(k)![1];
    for (const r of await decodeParquet((await sink.service.get(k))!)) {
      assert.equal(r.event.classification, c, `row ${r.kafka.offset} sits under its own classification`);
      by.set(r.kafka.offset, [...by.get(r.kafka.offset) ?? [], c]);
    }
  }
  return { rows: rows.length, by };
}

coldTest(
  "ColdSink: a replay that classifies differently moves the rows — one row per offset across objects",
  async (prefix) => {
    const sink = new ColdSink({ bucket: TEST_BUCKET, prefix, offsetWindow: 1000 });
    await sink.write(classified(0, 100, "NORMAL"));
    assert.equal(sink.metrics.siblingsRewritten, 0, "the normal path touches no sibling");

    // Replay of 40..59 (after a crash or a rebalance) gets another verdict from the online classifier.
    const acks = await sink.write(classified(40, 60, "ANOMALY"));
    assert.equal(acks.length, 20);
    let p = await placement(sink, prefix);
    assert.equal(p.rows, 100, "exactly one row per offset");
    assert.equal(p.by.size, 100);
    for (const [offset, cs] of p.by) {
      const o = Number(offset);
      assert.deepEqual(cs, [o >= 40 && o < 60 ? "ANOMALY" : "NORMAL"], `offset ${offset}`);
    }
    assert.equal(sink.metrics.siblingsRewritten, 1);
    assert.equal(sink.metrics.rowsMoved, 20);

    // Replayed again, NORMAL again: back where they were, and the ANOMALY object, now empty, is gone.
    await sink.write(classified(40, 60, "NORMAL"));
    p = await placement(sink, prefix);
    assert.equal(p.rows, 100);
    assert.ok([...p.by.values()].every((cs) => cs.length === 1 && cs[0] === "NORMAL"));
    assert.equal((await sink.service.list(prefix)).length, 1, "the emptied sibling was deleted");
    assert.equal(sink.metrics.siblingsDeleted, 1);

    // Three-way: some offsets to CRITICAL_ANOMALY, some of those back to ANOMALY, through the push buffers.
    await sink.write(classified(0, 10, "CRITICAL_ANOMALY"));
    const actor = coldActor(sink);
    await actor.send(classified(5, 15, "ANOMALY"));
    await actor.stop();
    assert.equal(actor.acked.length, 10);
    p = await placement(sink, prefix);
    assert.equal(p.rows, 100);
    const expected = (o: number) => o < 5 ? "CRITICAL_ANOMALY" : o < 15 ? "ANOMALY" : "NORMAL";
    for (const [offset, cs] of p.by) assert.deepEqual(cs, [expected(Number(offset))], `offset ${offset}`);
    await sink.close();
  },
);

coldTest(
  "ColdSink: one batch holding an offset twice stores it once (the later copy wins)",
  async (prefix) => {
    const sink = new ColdSink({ bucket: TEST_BUCKET, prefix, offsetWindow: 1000 });
    const input = [
      ...classified(0, 10, "NORMAL"),
      ...classified(3, 6, "NORMAL").map((r) => ({
        ...r,
        event: { ...r.event, score: 0.5 },
      })),
    ];
    const acks = await sink.write(input);
    assert.equal(acks.length, 13, "every copy is acknowledged");
    const { rows } = await readAll(sink, prefix);
    assert.equal(rows.length, 10);
    assert.deepEqual(rows.filter((r) => r.event.score === 0.5).map((r) => r.kafka.offset), ["3", "4", "5"]);
    await sink.close();
  },
);

/** Delegates to S3; `beforeWrite` runs before every PUT and DELETE and may throw (an injected fault). */
class FaultyService implements ColdService {
  constructor(readonly inner: ColdService, readonly beforeWrite: (key: string) => void) {}
  get(key: string) {
    return this.inner.get(key);
  }
  list(prefix: string) {
    return this.inner.list(prefix);
  }
  ensureBucket() {
    return this.inner.ensureBucket();
  }
  close() {
    this.inner.close();
  }
  put(key: string, bytes: Uint8Array) {
    this.beforeWrite(key);
    return this.inner.put(key, bytes);
  }
  delete(key: string) {
    this.beforeWrite(key);
    return this.inner.delete(key);
  }
}

coldTest(
  "ColdSink: a crash between storing the new version and cleaning the sibling loses nothing; the replay removes the duplicate",
  async (prefix) => {
    const setup = new ColdSink({ bucket: TEST_BUCKET, prefix, offsetWindow: 1000 });
    await setup.write(classified(0, 100, "NORMAL"));

    // The replay writes 40..59 as ANOMALY, then dies before the NORMAL object is rewritten without them.
    let crashed = false;
    const crashing = new FaultyService(setup.service, (key) => {
      if (!crashed && key.includes("classification=NORMAL/")) {
        crashed = true;
        first.abort(); // the process dies here: nothing after this runs
        throw new Error(`injected crash before writing ${key}`);
      }
    });
    const acked: DeliveryAck[] = [];
    const first: ColdSink = new ColdSink({
      bucket: TEST_BUCKET,
      prefix,
      offsetWindow: 1000,
      service: crashing,
      logger: silentLogger,
    });
    await assert.rejects(first.write(classified(40, 60, "ANOMALY")), ColdSinkClosedError);
    assert.equal(crashed, true);
    assert.equal(acked.length, 0, "nothing acknowledged: Kafka will redeliver 40..59");
    let p = await placement(setup, prefix);
    assert.equal(p.by.size, 100, "no offset lost");
    assert.equal(p.rows, 120, "a temporary duplicate of 40..59");

    // Kafka redelivers 40..59; this time the classifier says CRITICAL_ANOMALY. Both older copies go.
    const second = new ColdSink({ bucket: TEST_BUCKET, prefix, offsetWindow: 1000 });
    acked.push(...await second.write(classified(40, 60, "CRITICAL_ANOMALY")));
    assert.equal(acked.length, 20);
    p = await placement(setup, prefix);
    assert.equal(p.rows, 100, "exactly one row per offset again");
    for (const [offset, cs] of p.by) {
      const o = Number(offset);
      assert.deepEqual(cs, [o >= 40 && o < 60 ? "CRITICAL_ANOMALY" : "NORMAL"], `offset ${offset}`);
    }
    assert.equal(second.metrics.siblingsDeleted, 1, "the ANOMALY object held only replayed rows");
    assert.equal(second.metrics.siblingsRewritten, 1, "the NORMAL object was rewritten without them");
    await second.close();
    await setup.close();
  },
);

coldTest(
  "ColdSink: a failing sibling cleanup is retried and acknowledges only once it succeeded",
  async (prefix) => {
    const setup = new ColdSink({ bucket: TEST_BUCKET, prefix, offsetWindow: 1000 });
    await setup.write(classified(0, 50, "NORMAL"));
    let failures = 3;
    const flaky = new FaultyService(setup.service, (key) => {
      if (key.includes("classification=NORMAL/") && failures-- > 0) {
        throw Object.assign(new Error("injected"), { name: "SlowDown", $metadata: { httpStatusCode: 503 } });
      }
    });
    const sink = new ColdSink({
      bucket: TEST_BUCKET,
      prefix,
      offsetWindow: 1000,
      service: flaky,
      retryInitialBackoffMs: 5,
      logger: silentLogger,
    });
    const acks = await sink.write(classified(10, 20, "ANOMALY"));
    assert.equal(acks.length, 10);
    assert.equal(sink.metrics.retries, 3);
    assert.equal(
      sink.metrics.objectsWritten,
      2,
      "the ANOMALY object once, its sibling once: no redundant rewrite",
    );
    const p = await placement(setup, prefix);
    assert.equal(p.rows, 50);
    await setup.close();
  },
);

/** Counts reads and the bytes they returned. */
class CountingService extends FaultyService {
  gets = 0;
  bytesRead = 0;
  constructor(inner: ColdService) {
    super(inner, () => {});
  }
  override async get(key: string) {
    this.gets++;
    const bytes = await this.inner.get(key);
    this.bytesRead += bytes?.byteLength ?? 0;
    return bytes;
  }
}

coldTest(
  "ColdSink: a window written once reads each of its objects once and never reads back what it just wrote",
  async (prefix) => {
    const inner = new ColdSink({ bucket: TEST_BUCKET, prefix, offsetWindow: 1000 }).service;
    const counting = new CountingService(inner);
    const sink = new ColdSink({ bucket: TEST_BUCKET, prefix, offsetWindow: 1000, service: counting });
    // Two partitions' windows, each holding all three classifications (nine objects), in one write.
    const records = [0, 1].flatMap((partition) =>
      Array.from({ length: 300 }, (_, i) =>
        deliveryRecord(i, {
          partition,
          event: { classification: (["NORMAL", "ANOMALY", "CRITICAL_ANOMALY"] as const)[i % 3], score: 0.5 },
        }))
    );
    assert.equal((await sink.write(records)).length, 600);
    assert.equal(sink.metrics.objectsWritten, 6);
    assert.equal(counting.gets, 6, "three keys per window, each read once (404s)");
    assert.equal(counting.bytesRead, 0, "no object this write stored is read back");
    // A replay of partition 0 where offset 3 (NORMAL before) comes back as ANOMALY, and, in the same batch,
    // offset 4 twice under two classifications: one row per offset, the later copy winning.
    const replay = [
      deliveryRecord(3, { partition: 0, event: { classification: "ANOMALY", score: 0.9 } }),
      deliveryRecord(4, { partition: 0, event: { classification: "NORMAL", score: 0.1 } }),
      deliveryRecord(4, { partition: 0, event: { classification: "CRITICAL_ANOMALY", score: 0.99 } }),
    ];
    assert.equal((await sink.write(replay)).length, 3);
    const { rows } = await readAll(sink, prefix);
    assert.equal(rows.length, 600, "one row per offset across all objects");
    const at = (partition: number, offset: string) =>
      rows.filter((r) => r.kafka.partition === partition && r.kafka.offset === offset);
    assert.deepEqual(at(0, "3").map((r) => r.event.classification), ["ANOMALY"]);
    assert.deepEqual(at(0, "4").map((r) => r.event.classification), ["CRITICAL_ANOMALY"]);
    assert.deepEqual(at(1, "3").map((r) => r.event.classification), ["NORMAL"]);
    await sink.close();
  },
);

coldTest(
  "ColdSink: metrics tell when the timeout flush of what is buffered is due, and forget it when aborted",
  async (prefix) => {
    const sink = new ColdSink({ bucket: TEST_BUCKET, prefix, timeoutMs: 120_000, logger: silentLogger });
    const actor = coldActor(sink);
    assert.equal(sink.metrics.flushDueAt, undefined);
    const before = Date.now();
    await actor.send([deliveryRecord(0), deliveryRecord(1)]);
    await until(() => sink.metrics.buffered === 2, { what: "two records buffered" });
    const due = sink.metrics.flushDueAt;
    assert.ok(due !== undefined && due >= before + 120_000 && due <= Date.now() + 120_000, `due ${due}`);
    assert.equal(sink.metrics.buffered, 2);
    // Nothing is written: abort drops the buffers unacknowledged (Kafka would redeliver them), and the timer.
    sink.abort();
    assert.equal(sink.metrics.flushDueAt, undefined);
    assert.equal(sink.metrics.buffered, 0);
    await actor.stop();
    assert.equal(actor.acked.length, 0, "nothing acknowledged");
    await sink.close(10);
  },
);
