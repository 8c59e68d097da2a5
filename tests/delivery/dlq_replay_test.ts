/**
 * `deno task dlq` (list, re-drive) against the real Kafka, and `deno task replay --from s3` from the real S3
 * into the real OpenSearch.
 */
import assert from "node:assert/strict";
import { listDeadLetters, redriveDeadLetters } from "../../cli/dlq.ts";
import { parseTime, replayFromS3 } from "../../cli/replay.ts";
import { DeadLetterProducer } from "../../actors/dead_letter_producer.ts";
import { deadLetter } from "../../actors/dead_letter_record.ts";
import { ColdSink } from "../../actors/cold_sink/sink.ts";
import { parseConfig } from "../../lib/config/vigil_config.ts";
import { namespaceSettings, testNamespace } from "../../testing/test_namespace.ts";
import { dropTestNamespace, ensureTestBucket } from "../../testing/drop_test_namespace.ts";
import { CollectingDeadLetters, deliveryRecord } from "../../testing/delivery_fixtures.ts";
import { eventTimeWindowFromConfig, KEEP_FOREVER_MAX_AGE_DAYS } from "../../actors/routing_time.ts";
import { dropTopic, freshTopic, readTopic } from "../../testing/kafka_test_topics.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

Deno.test({
  ...opts,
  name: "dlq: list shows reasons and stages; redrive sends original bytes back once",
  fn: async () => {
    const config = await freshTopic(1, "dlqcli");
    const writer = new DeadLetterProducer(config);
    try {
      const topic = config.kafka.topic;
      const a = deadLetter("not json", "value is not UTF-8 JSON", "source", {
        topic,
        partition: 0,
        offset: "3",
      });
      a.key = new TextEncoder().encode("h|c");
      const b = deadLetter(new Uint8Array([0xff, 0x00]), "binary", "source", {
        topic,
        partition: 0,
        offset: "4",
      });
      const c = deadLetter('{"lineNo":"x"}', "status 400: mapper_parsing_exception", "hot_sink", {
        topic,
        partition: 0,
        offset: "9",
      });
      await writer.write([a, b, c]);
      const all = await listDeadLetters(config);
      assert.deepEqual(all.map((e) => e.letter?.stage), ["source", "source", "hot_sink"]);
      assert.equal(all[2].letter?.reason, "status 400: mapper_parsing_exception");
      assert.equal((await listDeadLetters(config, { stage: "hot_sink" })).length, 1);
      assert.equal((await listDeadLetters(config, { limit: 2 })).length, 2);

      assert.deepEqual(await redriveDeadLetters(config, { stage: "source" }), { sent: 2, skipped: 1 });
      const back = await readTopic(config, topic, 2);
      assert.equal(back[0].key, "h|c", "the original key is kept (same partition as before)");
      assert.equal(back[0].value, "not json");
      assert.deepEqual(
        await redriveDeadLetters(config, { stage: "source" }),
        { sent: 0, skipped: 0 },
        "only once",
      );
    } finally {
      await writer.close();
      await dropTopic(config);
    }
  },
});

Deno.test("replay: parseTime takes ISO forms as UTC", () => {
  assert.equal(parseTime("2016-09-28", "since").toISOString(), "2016-09-28T00:00:00.000Z");
  assert.equal(parseTime("2016-09-28T04", "since").toISOString(), "2016-09-28T04:00:00.000Z");
  assert.equal(parseTime("2016-09-28T04:30", "since").toISOString(), "2016-09-28T04:30:00.000Z");
  assert.equal(parseTime("2016-09-28T04:30:00+02:00", "since").toISOString(), "2016-09-28T02:30:00.000Z");
  assert.throws(() => parseTime("yesterday", "since"), /--since must be an ISO 8601 time/);
});

Deno.test({
  ...opts,
  name: "replay --from s3 re-indexes the rows of a time range into the hot tier, idempotently",
  fn: async () => {
    const ns = testNamespace("replay");
    const indexPrefix = ns.indexPrefix;
    // Replay reads the hours of its range by `ts`: the 2016 rows are in their own hours only under an
    // archive-wide window (the default, the hot retention, routes them to ingest − 7 days).
    const config = parseConfig(
      { ...namespaceSettings(ns), delivery: { eventTimeMaxAgeDays: KEEP_FOREVER_MAX_AGE_DAYS } },
      Deno.env.toObject(),
    );
    const cold = new ColdSink({
      bucket: ns.bucket,
      prefix: ns.s3Prefix,
      offsetWindow: 50,
      eventTimeWindow: eventTimeWindowFromConfig(config),
    });
    // 300 events over three hours: 04:xx, 05:xx, 06:xx on 2016-09-28.
    const records = Array.from({ length: 300 }, (_, i) =>
      deliveryRecord(i, {
        partition: i % 2,
        event: { ts: new Date(Date.UTC(2016, 8, 28, 4 + Math.floor(i / 100), i % 60)).toISOString() },
      }));
    try {
      await ensureTestBucket();
      await cold.write(records);
      await cold.close();
      const run = () =>
        replayFromS3(config, {
          since: parseTime("2016-09-28T05", "since"),
          until: parseTime("2016-09-28T07", "until"),
          deadLetters: new CollectingDeadLetters(),
          log: () => {},
        });
      const report = await run();
      assert.deepEqual({ rows: report.rows, indexed: report.indexed, deadLettered: report.deadLettered }, {
        rows: 200,
        indexed: 200,
        deadLettered: 0,
      });
      await run();
      await fetch(`${config.hot.url}/${indexPrefix}-events-*/_refresh`, { method: "POST" }).then((r) =>
        r.body?.cancel()
      );
      const count = await (await fetch(`${config.hot.url}/${indexPrefix}-events-*/_count`)).json();
      assert.equal(count.count, 200, "replaying twice overwrites");
    } finally {
      await dropTestNamespace(ns);
    }
  },
});
