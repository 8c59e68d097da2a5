/**
 * Event-time routing against the real OpenSearch and S3 of the local stack: events dated year 1970 and 9999
 * land in the daily index (and the `dt=/hour=` partition) of their clamped time, keep their own `ts` and are
 * marked `tsClamped`, so a hostile timestamp cannot create an index per day it names.
 */
import assert from "node:assert/strict";
import { HotSink } from "../../actors/hot_sink/sink.ts";
import { hotSinkOptionsFromConfig } from "../../actors/hot_sink/config.ts";
import { ColdSink } from "../../actors/cold_sink/sink.ts";
import { coldSinkOptionsFromConfig } from "../../actors/cold_sink/config.ts";
import { decodeParquet } from "../../actors/cold_sink/parquet_codec.ts";
import { dailySuffix } from "../../actors/hot_sink/request_builder.ts";
import { parseConfig } from "../../lib/config/vigil_config.ts";
import { CollectingDeadLetters, deliveryRecord } from "../../testing/delivery_fixtures.ts";
import { os } from "./opensearch_http.ts";
import { namespaceSettings, type TestNamespace } from "../../testing/test_namespace.ts";
import { withTestNamespace } from "../../testing/drop_test_namespace.ts";

const DAY = 86_400_000;

/** A config whose window is 30 days back, 24 hours ahead, in the test's namespace. */
function routingConfig(ns: TestNamespace) {
  return parseConfig({
    ...namespaceSettings(ns),
    delivery: { eventTimeMaxAgeDays: 30, eventTimeMaxAheadHours: 24 },
  }, Deno.env.toObject());
}

/** Events ingested now: one dated now, the rest far outside the window (garbled and hostile clocks). */
function hostileRecords(ingest: Date) {
  const ingestTs = ingest.toISOString();
  const dated = [
    ingestTs,
    "1970-01-01T00:00:00.000Z",
    "1970-01-02T03:04:05.000Z",
    "9999-12-31T23:59:59.000Z",
    "9000-06-15T12:00:00.000Z",
    "2001-09-09T01:46:40.000Z",
  ];
  return dated.map((ts, i) => deliveryRecord(i, { event: { ts, ingestTs } }));
}

Deno.test("event-time routing: 1970 / 9999 events land in the clamped daily index and keep their ts (OpenSearch)", () =>
  withTestNamespace("routing", async (ns) => {
    const config = routingConfig(ns);
    const prefix = config.hot.indexPrefix;
    const sink = new HotSink({
      ...hotSinkOptionsFromConfig(config),
      deadLetters: new CollectingDeadLetters(),
    });
    try {
      await sink.start();
      const ingest = new Date();
      const records = hostileRecords(ingest);
      const acks = await sink.write(records);
      assert.ok(acks.every((a) => a.outcome === "delivered"), JSON.stringify(acks));
      await os("POST", `/${prefix}-events-*/_refresh`);
      const indices = (await os("GET", `/${prefix}-events-*/_settings`)) as Record<string, unknown>;
      const low = `${prefix}-events-${dailySuffix(new Date(ingest.getTime() - 30 * DAY))}`;
      const high = `${prefix}-events-${dailySuffix(new Date(ingest.getTime() + DAY))}`;
      const today = `${prefix}-events-${dailySuffix(ingest)}`;
      assert.deepEqual(
        Object.keys(indices).sort(),
        [low, high, today].sort(),
        "three indices, not one per date",
      );
      const res = await os("POST", `/${prefix}-events-*/_search`, { size: 100, sort: ["lineNo"] });
      const hits = (res.hits as { hits: { _index: string; _source: Record<string, unknown> }[] }).hits;
      assert.deepEqual(
        hits.map((h) => [h._source.ts, h._index, h._source.tsClamped ?? false]),
        [
          [ingest.toISOString(), today, false],
          ["1970-01-01T00:00:00.000Z", low, true],
          ["1970-01-02T03:04:05.000Z", low, true],
          ["9999-12-31T23:59:59.000Z", high, true],
          ["9000-06-15T12:00:00.000Z", high, true],
          ["2001-09-09T01:46:40.000Z", low, true],
        ],
      );
      // The original ts stays searchable as a date, and the flag finds the clamped ones.
      const old = await os("POST", `/${prefix}-events-*/_count`, {
        query: { range: { ts: { lt: "1971-01-01T00:00:00Z" } } },
      });
      assert.equal(old.count, 2);
      const flagged = await os("POST", `/${prefix}-events-*/_count`, {
        query: { term: { tsClamped: true } },
      });
      assert.equal(flagged.count, 5);
    } finally {
      await sink.close(5_000);
    }
  }));

Deno.test("event-time routing: the cold tier partitions by the same clamped time, rows keep their ts (S3)", () =>
  withTestNamespace("routing", async (ns) => {
    const config = routingConfig(ns);
    const sink = new ColdSink(coldSinkOptionsFromConfig(config));
    try {
      await sink.start();
      const ingest = new Date();
      const acks = await sink.write(hostileRecords(ingest));
      assert.equal(acks.length, 6);
      const keys = await sink.service.list(config.s3.prefix);
      const partition = (t: number) => {
        const iso = new Date(t).toISOString();
        return `dt=${iso.slice(0, 10)}/hour=${iso.slice(11, 13)}`;
      };
      const expected = [ingest.getTime() - 30 * DAY, ingest.getTime(), ingest.getTime() + DAY].map(partition);
      assert.deepEqual(
        [...new Set(keys.map((k) => /dt=[^/]+\/hour=\d\d/.exec(k)![0]))].sort(),
        [...new Set(expected)].sort(),
      );
      const rows = [];
      for (const k of keys) rows.push(...await decodeParquet((await sink.service.get(k))!));
      assert.deepEqual(
        rows.map((r) => r.event.ts).sort(),
        hostileRecords(ingest).map((r) => new Date(r.event.ts).toISOString()).sort(),
      );
    } finally {
      await sink.close(5_000);
    }
  }));
