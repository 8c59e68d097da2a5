/**
 * Real-client test of the Elasticsearch-`_bulk`-compatible endpoint: the official `@elastic/elasticsearch` 9.x
 * client (a client no one here wrote; it refuses servers without `X-Elastic-Product: Elasticsearch`) probes with
 * `info()` and sends Winlogbeat-shaped ECS documents through its bulk helper in several requests; an engine process
 * consumes the topic and every document is counted in the hot tier (OpenSearch, a test namespace) — exact counts,
 * each once, mapped as documented — and the helper reports no failures. Per-item answers are checked against Kafka.
 */
import assert from "node:assert/strict";
import { Client } from "@elastic/elasticsearch";
import { parseConfig } from "../../lib/config/vigil_config.ts";
import type { LogEvent } from "../../lib/event/log_event.ts";
import { createKafkaAdmin } from "../../lib/kafka/kafka_client.ts";
import { startIngestService } from "../../lib/ingest/ingest_service.ts";
import { consumeTopic, uniqueTopic } from "../../testing/consume_topic.ts";
import { dropTiers, engineEnv, EngineProcess } from "../../testing/engine_process.ts";
import { dropTopic, freshTopic } from "../../testing/kafka_test_topics.ts";
import { settledHotTier } from "../../testing/settled_hot_tier.ts";
import { namespaceSettings, testNamespace } from "../../testing/test_namespace.ts";

function winlogDocument(i: number) {
  return {
    "@timestamp": new Date(Date.UTC(2026, 11, 3, 12, 0, 0) + i * 1000).toISOString(),
    message: `An account was successfully logged on. (${i})`,
    event: {
      code: i % 5 === 0 ? "4625" : "4624",
      kind: "event",
      provider: "Microsoft-Windows-Security-Auditing",
    },
    log: { level: i % 5 === 0 ? "error" : "information" },
    winlog: {
      channel: "Security",
      provider_name: "Microsoft-Windows-Security-Auditing",
      event_id: i % 5 === 0 ? "4625" : "4624",
      record_id: 100_000 + i,
      computer_name: "DC01.corp.local",
      event_data: { TargetUserName: `user${i % 7}` },
    },
    host: { name: "dc01" },
    agent: { type: "winlogbeat" },
  };
}

Deno.test({
  name:
    "the official Elasticsearch client's bulk helper sends Winlogbeat documents: exact counts in the hot tier",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const kafka = await freshTopic(2, "ingest-bulk");
    const token = "ingest-test-token-0123456789";
    const config = parseConfig(
      {
        kafka: kafka.kafka,
        ...namespaceSettings(testNamespace("ingest-bulk")),
        ingest: { accessToken: token },
      },
      Deno.env.toObject(),
    );
    const service = await startIngestService(config, { topic: config.kafka.topic, httpPort: 0 });
    const engine = new EngineProcess(engineEnv(config));
    const client = new Client({ node: service.addresses.http, auth: { bearer: token } });
    try {
      const info = await client.info();
      assert.equal(info.version.number.split(".")[0], "9");
      const n = 5000;
      const result = await client.helpers.bulk({
        datasource: Array.from({ length: n }, (_, i) => winlogDocument(i)),
        onDocument: () => ({ create: { _index: "winlogbeat-vigil" } }),
        flushBytes: 200_000, // several requests
        concurrency: 3,
      });
      assert.equal(result.total, n);
      assert.equal(result.successful, n);
      assert.equal(result.failed, 0);
      await engine.ready();
      const hot = await settledHotTier(config, engine, n);
      assert.equal(hot.documents, n, "documents");
      const events = hot.events!;
      assert.equal(new Set(events.map((e) => e.fields["winlog.record_id"])).size, n, "each document once");
      const e = events.find((x) => x.fields["winlog.record_id"] === "100005")!;
      assert.equal(e.host, "dc01");
      assert.equal(e.component, "Microsoft-Windows-Security-Auditing");
      assert.equal(e.level, "error");
      assert.equal(e.fields["winlog.event_id"], "4625");
      assert.equal(e.fields["winlog.channel"], "Security");
      assert.equal(e.fields["event.code"], "4625");
      assert.equal(e.fields._index, "winlogbeat-vigil");
      assert.equal(e.ts, "2026-12-03T12:00:05.000Z");
      assert.equal(e.system, "bulk");
      assert.deepEqual(e.flags, []);
      assert.equal(events.filter((x) => x.level === "error").length, n / 5);
      assert.equal(events.filter((x) => x.level === "info").length, n - n / 5);
      assert.equal(service.metrics.counts.accepted, n);
    } finally {
      await client.close();
      await service.close();
      await engine.kill9();
      await dropTiers(config);
      await dropTopic(config);
    }
  },
});

Deno.test({
  name: "_bulk: per-item errors for bad documents and delete; a bad action line is a 400; gzip accepted",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const topic = uniqueTopic("ingest-bulk-items");
    const config = parseConfig({ kafka: { partitions: 1 } }, Deno.env.toObject());
    const service = await startIngestService(config, { topic, httpPort: 0 });
    try {
      const body = [
        '{"index":{}}',
        '{"message":"ok 1"}',
        '{"index":{}}',
        "{broken",
        '{"delete":{"_id":"1"}}',
        '{"create":{}}',
        '{"message":"ok 2"}',
        "",
      ].join("\n");
      const gz = new Uint8Array(
        await new Response(new Blob([body]).stream().pipeThrough(new CompressionStream("gzip")))
          .arrayBuffer(),
      );
      const r = await fetch(`${service.addresses.http}/logs/_bulk`, {
        method: "POST",
        headers: { "content-type": "application/x-ndjson", "content-encoding": "gzip" },
        body: gz,
      });
      assert.equal(r.status, 200);
      assert.equal(r.headers.get("x-elastic-product"), "Elasticsearch");
      const json = await r.json();
      assert.equal(json.errors, true);
      assert.deepEqual(
        json.items.map((i: Record<string, { status: number }>) => Object.values(i)[0].status),
        [201, 400, 400, 201],
      );
      const bad = await fetch(`${service.addresses.http}/_bulk`, { method: "POST", body: "{nope\n" });
      assert.equal(bad.status, 400);
      await bad.body?.cancel();
      const messages = await consumeTopic(config, topic, 2);
      assert.deepEqual(messages.map((m) => (JSON.parse(m.value) as LogEvent).content).sort(), [
        "ok 1",
        "ok 2",
      ]);
    } finally {
      await service.close();
      const admin = createKafkaAdmin(config);
      await admin.deleteTopics([topic]).catch(() => {});
      await admin.close();
    }
  },
});
