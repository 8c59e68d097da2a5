/**
 * HotSink writes the incidents its records carry into `<prefix>-incidents`, against the real OpenSearch of the
 * local stack (`deno task stack up`): external versions keep the newest, replays add nothing, and an event is
 * acknowledged only once its incident change is stored. Each test uses its own test namespace, removed after.
 */
import assert from "node:assert/strict";
import { silentLogger } from "../../engine/logger.ts";
import { HotSink } from "../../actors/hot_sink/sink.ts";
import type { DeliveryRecord } from "../../actors/delivery_record.ts";
import type { Incident } from "../../lib/incidents/incident.ts";
import { CollectingDeadLetters, deliveryRecord } from "../../testing/delivery_fixtures.ts";
import { count, os } from "./opensearch_http.ts";
import { withTestNamespace } from "../../testing/drop_test_namespace.ts";
import { testIncident } from "../../testing/incident_fixture.ts";
import { until } from "../../testing/until.ts";

async function storedIncident(prefix: string, id: string): Promise<{ version: number; source: Incident }> {
  const doc = await os("GET", `/${prefix}-incidents/_doc/${id}`);
  return { version: doc._version as number, source: doc._source as Incident };
}

/** Runs `fn` with a fresh test index prefix, removed afterwards (also when `fn` failed). */
function withPrefix(fn: (prefix: string) => Promise<void>): Promise<void> {
  return withTestNamespace("hotinc", (ns) => fn(ns.indexPrefix));
}

function carrying(offset: number, ...incidents: Incident[]): DeliveryRecord {
  return { ...deliveryRecord(offset, { event: { classification: "ANOMALY", score: 0.9 } }), incidents };
}

Deno.test("HotSink incidents: versions out of order in two bulks end with the highest version stored", async () => {
  await withPrefix(async (prefix) => {
    const dlq = new CollectingDeadLetters();
    const sink = new HotSink({ indexPrefix: prefix, deadLetters: dlq, logger: silentLogger });
    await sink.start();
    const v = (version: number) => testIncident(1, { version, count: version * 10 });
    const first = await sink.write([carrying(0, v(2)), carrying(1, v(5)), carrying(2, v(4))]);
    const late = await sink.write([carrying(3, v(3)), carrying(4, testIncident(2))]);
    assert.ok([...first, ...late].every((a) => a.outcome === "delivered"));
    const stored = await storedIncident(prefix, v(1).id);
    assert.equal(stored.version, 5, "the external version is the incident's");
    assert.deepEqual(stored.source, v(5), "the late version 3 did not overwrite version 5");
    assert.equal(await count(`${prefix}-incidents`), 2);
    assert.equal(dlq.records.length, 0, "a version conflict is not a rejection");
    assert.equal(sink.metrics.retries, 0, "nor a transient failure");
    // The mapping is the contract the dashboard reads.
    const mapping = await os("GET", `/${prefix}-incidents/_mapping`);
    const props = (mapping[`${prefix}-incidents`] as {
      mappings: { properties: Record<string, { type?: string; enabled?: boolean }> };
    }).mappings.properties;
    assert.equal(props.severity.type, "keyword");
    assert.equal(props.lastTs.type, "date");
    assert.equal(props.count.type, "integer");
    assert.equal(props.title.type, "text");
    assert.equal(props.samples.enabled, false);
    const open = await os("POST", `/${prefix}-incidents/_search`, {
      query: {
        bool: { must_not: { exists: { field: "resolvedTs" } }, filter: { term: { status: "open" } } },
      },
    });
    assert.equal(
      (open.hits as { total: { value: number } }).total.value,
      2,
      "unresolved: no resolvedTs indexed",
    );
    await sink.close();
  });
});

Deno.test("HotSink incidents: a replayed batch writes no duplicate and is acknowledged again", async () => {
  await withPrefix(async (prefix) => {
    const dlq = new CollectingDeadLetters();
    const sink = new HotSink({ indexPrefix: prefix, deadLetters: dlq, logger: silentLogger });
    await sink.start();
    const batch = Array.from(
      { length: 30 },
      (_, i) => carrying(i, testIncident(i % 3, { version: i + 1, count: i + 1 })),
    );
    assert.equal((await sink.write(batch)).length, 30);
    const before = await Promise.all([0, 1, 2].map((n) => storedIncident(prefix, testIncident(n).id)));
    const again = await sink.write(batch);
    assert.equal(again.length, 30);
    assert.ok(again.every((a) => a.outcome === "delivered" && a.tier === "hot"));
    assert.equal(await count(`${prefix}-incidents`), 3);
    assert.equal(await count(`${prefix}-events-*`), 30);
    const after = await Promise.all([0, 1, 2].map((n) => storedIncident(prefix, testIncident(n).id)));
    assert.deepEqual(after, before, "same versions, same documents");
    assert.deepEqual(after.map((s) => s.version), [28, 29, 30]);
    assert.equal(dlq.records.length, 0);
    assert.equal(sink.metrics.retries, 0, "the replay's 409s count as success, not as retries");
    await sink.close();
  });
});

Deno.test("HotSink incidents: an event is acknowledged only after its incident write succeeded", async () => {
  await withPrefix(async (prefix) => {
    const dlq = new CollectingDeadLetters();
    const sink = new HotSink({
      indexPrefix: prefix,
      deadLetters: dlq,
      retryInitialBackoffMs: 10,
      retryMaxBackoffMs: 50,
      logger: silentLogger,
    });
    await sink.start();
    // The flood-stage block makes OpenSearch refuse writes to the incidents index with 429 (transient), while
    // the events index takes its documents: the event is stored, its incident is not yet.
    await os("PUT", `/${prefix}-incidents/_settings`, { "index.blocks.read_only_allow_delete": true });
    const incident = testIncident(7, { version: 2 });
    let acked = false;
    const pending = sink.write([carrying(0, incident), deliveryRecord(1)]).then((acks) => {
      acked = true;
      return acks;
    });
    await until(() => sink.metrics.retries >= 3, { what: "the incident op to be retried" });
    assert.equal(await count(`${prefix}-events-*`), 2, "the events themselves are stored");
    assert.equal(acked, false, "but not acknowledged while the incident write fails");
    assert.match(sink.metrics.lastError ?? "", /status 429: cluster_block_exception/);
    await os("PUT", `/${prefix}-incidents/_settings`, { "index.blocks.read_only_allow_delete": null });
    const acks = await pending;
    assert.deepEqual(acks.map((a) => a.outcome), ["delivered", "delivered"]);
    assert.equal((await storedIncident(prefix, incident.id)).version, 2);
    assert.equal(dlq.records.length, 0);
    await sink.close();
  });
});
