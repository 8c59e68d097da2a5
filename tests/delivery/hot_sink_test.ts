/**
 * HotSink against the real OpenSearch of the local stack (`deno task stack up`).
 * Each test uses its own test namespace (testing/test_namespace.ts), removed afterwards.
 */
import assert from "node:assert/strict";
import { HotSink, HotSinkClosedError } from "../../actors/hot_sink/sink.ts";
import {
  ARCHIVE_EVENT_TIME_WINDOW,
  CollectingDeadLetters,
  deliveryRecord,
} from "../../testing/delivery_fixtures.ts";
import { count, os } from "./opensearch_http.ts";
import { testNamespace } from "../../testing/test_namespace.ts";
import { withTestNamespace } from "../../testing/drop_test_namespace.ts";
import type { DeliveryAck, DeliveryRecord } from "../../actors/delivery_record.ts";
import { hotSinkProps } from "../../actors/hot_sink/hot_sink_actor.ts";
import { ActorSystem } from "../../engine/actor_system.ts";
import { silentLogger } from "../../engine/logger.ts";
import { until } from "../../testing/until.ts";

async function ids(pattern: string): Promise<string[]> {
  const res = await os("POST", `/${pattern}/_search`, { size: 10_000, _source: false, sort: ["_doc"] });
  return (res.hits as { hits: { _id: string }[] }).hits.map((h) => h._id);
}

/** Runs `fn` with a fresh test index prefix, removed afterwards (also when `fn` failed). */
function withPrefix(fn: (prefix: string) => Promise<void>): Promise<void> {
  return withTestNamespace("hotsink", (ns) => fn(ns.indexPrefix));
}

Deno.test("HotSink stores N events exactly once; re-delivering the same batch adds no duplicates", async () => {
  await withPrefix(async (prefix) => {
    const dlq = new CollectingDeadLetters();
    const sink = new HotSink({ indexPrefix: prefix, maxEvents: 200, deadLetters: dlq });
    await sink.start();
    const records = Array.from(
      { length: 1000 },
      (_, i) =>
        deliveryRecord(i, {
          partition: i % 4,
          event: i % 10 === 0 ? { classification: "ANOMALY", score: 0.9 } : {},
        }),
    );
    const acks = await sink.write(records);
    assert.equal(acks.length, 1000);
    assert.ok(acks.every((a) => a.outcome === "delivered" && a.tier === "hot"));
    assert.equal(await count(`${prefix}-events-*`), 1000);
    // Flagged events are stored once, in the events index: there is no second (alerts) copy.
    assert.equal(await count(`${prefix}-*-*`), 1000);
    const again = await sink.write(records.slice(0, 500));
    assert.equal(again.length, 500);
    assert.equal(await count(`${prefix}-events-*`), 1000, "same _id overwrites");
    assert.equal(new Set(await ids(`${prefix}-events-*`)).size, 1000);
    // The template registry is written by the periodic flush (here: the one close would do), once per template.
    await sink.flushTemplates();
    const tpl = await os("GET", `/${prefix}-templates/_doc/t-loaded`);
    assert.equal((tpl._source as { template: string }).template, "Loaded Servicing Stack <*> with Core");
    assert.equal(
      (tpl._source as { count: number }).count,
      1500,
      "every stored event counted (at least once)",
    );
    assert.equal(dlq.records.length, 0);
    assert.equal(sink.metrics.delivered, 1500);
    assert.ok(sink.metrics.bulkRequests >= 8, "5 + 3 batches of 200 (more if the cluster asked to retry)");
    assert.ok(sink.metrics.templateFlushes >= 1);
    // The mapping is the contract the dashboard reads.
    const mapping = await os("GET", `/${prefix}-events-*/_mapping`);
    const props =
      (Object.values(mapping)[0] as { mappings: { properties: Record<string, { type?: string }> } })
        .mappings.properties;
    assert.equal(props.ts.type, "date");
    assert.equal(props.classification.type, "keyword");
    assert.equal(props.content.type, "text");
    assert.equal(props.score.type, "float");
    await sink.close();
  });
});

Deno.test("HotSink: a mapping conflict goes to the dead-letter path with its reason; the rest flows", async () => {
  await withPrefix(async (prefix) => {
    const dlq = new CollectingDeadLetters();
    const sink = new HotSink({ indexPrefix: prefix, deadLetters: dlq });
    await sink.start();
    const records: DeliveryRecord[] = Array.from({ length: 50 }, (_, i) => deliveryRecord(i));
    // lineNo is mapped as long: a document that sends it as a word is rejected by the cluster (400).
    (records[17].event as unknown as Record<string, unknown>).lineNo = "not-a-number";
    // A dynamic field seen first as a number, then as an object: the second is a mapping conflict.
    (records[20].event as unknown as Record<string, unknown>).extra = 5;
    (records[30].event as unknown as Record<string, unknown>).extra = { nested: true };
    const first = await sink.write(records.slice(0, 25));
    const second = await sink.write(records.slice(25));
    const acks = [...first, ...second];
    const dead = acks.filter((a) => a.outcome === "dead_lettered");
    assert.deepEqual(dead.map((a) => a.kafka.offset), ["17", "30"]);
    assert.match(dead[0].reason ?? "", /status 400: mapper_parsing_exception.*lineNo/);
    assert.match(dead[1].reason ?? "", /status 400: .*extra/);
    assert.equal(dlq.records.length, 2);
    assert.equal(dlq.records[0].stage, "hot_sink");
    assert.deepEqual(dlq.records[0].kafka, { topic: "vigil.test", partition: 0, offset: "17" });
    assert.equal(JSON.parse(new TextDecoder().decode(dlq.records[0].original)).lineNo, "not-a-number");
    assert.equal(await count(`${prefix}-events-*`), 48);
    assert.equal(sink.metrics.rejected, 2);
    assert.equal(sink.metrics.delivered, 48);
    await sink.close();
  });
});

Deno.test("HotSink: while the cluster is unreachable nothing is acknowledged; abort leaves records unacked", async () => {
  // A port nothing listens on stands for a cluster that is down.
  const dlq = new CollectingDeadLetters();
  const sink = new HotSink({
    url: "http://127.0.0.1:9",
    deadLetters: dlq,
    retryInitialBackoffMs: 10,
    retryMaxBackoffMs: 50,
    retryMaxDurationMs: 200,
    logger: silentLogger,
  });
  let settled = false;
  const pending = sink.write([deliveryRecord(1), deliveryRecord(2)]).finally(() => settled = true);
  // Unhealthy once retrying outlasted retryMaxDurationMs; it keeps retrying.
  await until(() => !sink.metrics.healthy, { what: "the sink reporting the cluster down" });
  assert.equal(settled, false, "no acknowledgement while the cluster is down");
  assert.equal(sink.metrics.retryingOverdue, 2);
  assert.ok(sink.metrics.retries > 2);
  assert.match(sink.metrics.lastError ?? "", /no response/);
  sink.abort();
  await assert.rejects(pending, HotSinkClosedError);
  assert.equal(dlq.records.length, 0, "an outage is not a rejection");
  await sink.close(10);
});

Deno.test("hot sink actor: mailbox batches become bulk requests of at most maxEvents, each acknowledged", async () => {
  await withPrefix(async (prefix) => {
    const sink = new HotSink({
      indexPrefix: prefix,
      maxEvents: 10,
      deadLetters: new CollectingDeadLetters(),
    });
    await sink.start();
    // The product path: the actor the pipeline runs, fed through its mailbox, acknowledging to a listener.
    const system = new ActorSystem({ logger: silentLogger });
    const acked: DeliveryAck[] = [];
    const actor = system.spawn(hotSinkProps(sink, (acks) => acked.push(...acks)));
    for (let i = 0; i < 25; i++) await actor.send(deliveryRecord(i));
    await until(() => acked.length === 25, { what: "25 acknowledgements" });
    assert.deepEqual(
      acked.map((a) => Number(a.kafka.offset)).sort((a, b) => a - b),
      Array.from({ length: 25 }, (_, i) => i),
    );
    assert.ok(acked.every((a) => a.tier === "hot" && a.outcome === "delivered"));
    assert.ok(sink.metrics.bulkRequests >= 3, `25 records in requests of ≤ 10: ${sink.metrics.bulkRequests}`);
    await system.shutdown();
    await sink.close();
    assert.equal(await count(`${prefix}-events-*`), 25);
  });
});

Deno.test("HotSink: a document larger than maxBytes is sent in a bulk request of its own and stored", async () => {
  await withPrefix(async (prefix) => {
    const sink = new HotSink({
      indexPrefix: prefix,
      maxBytes: 64 * 1024,
      deadLetters: new CollectingDeadLetters(),
      eventTimeWindow: ARCHIVE_EVENT_TIME_WINDOW, // the 2016 fixtures land in the 2016 index
    });
    await sink.start();
    const big = "<b>x</b>".repeat(200_000); // 1.6 MB of content, HTML included
    const records = [
      deliveryRecord(0),
      deliveryRecord(1, { event: { content: big, raw: big } }),
      deliveryRecord(2),
    ];
    const acks = await sink.write(records);
    assert.deepEqual(acks.map((a) => a.outcome), ["delivered", "delivered", "delivered"]);
    assert.equal(sink.metrics.bulkRequests, 3, "small, big alone, small");
    const doc = await os("GET", `/${prefix}-events-2016.09.28/_doc/vigil.test-0-1`);
    assert.equal((doc._source as { content: string }).content.length, big.length);
    await sink.close();
  });
});

Deno.test("HotSink kind elasticsearch pointed at OpenSearch: start fails with the cluster's answer, nothing DLQ'd", async () => {
  // The Elasticsearch 9 client negotiates a content type OpenSearch refuses (406): a configuration error.
  const dlq = new CollectingDeadLetters();
  const sink = new HotSink({
    kind: "elasticsearch",
    indexPrefix: testNamespace("eskind").indexPrefix,
    deadLetters: dlq,
    logger: silentLogger,
  });
  await assert.rejects(sink.start(), (err: Error) => {
    assert.equal(err.name, "HotServiceError");
    assert.match(err.message, /status 406.*compatible-with=9/);
    return true;
  });
  await sink.close(10);
  assert.equal(dlq.records.length, 0);
});
