/**
 * Idempotent retries, counted in the hot tier: the ingest service runs with a 1 ms acknowledgement timeout, so
 * (nearly) every request's first attempt is answered 503 (`Retry-After: 1`) while its events are still on their
 * way to Kafka — where they land. Real clients retry the same request: the OpenTelemetry Python SDK's OTLP/HTTP exporter
 * (protobuf, gzip; needs `.vigil/otel-venv`, see testing/otel_python.ts — the test is ignored without it) and the
 * official `@elastic/elasticsearch` client's bulk helper. An engine process consumes the topic into OpenSearch,
 * and every event is there exactly once: the retries were answered from the retry window, not produced again.
 */
import assert from "node:assert/strict";
import { Client } from "@elastic/elasticsearch";
import { parseConfig, type VigilConfig } from "../../lib/config/vigil_config.ts";
import { startIngestService } from "../../lib/ingest/ingest_service.ts";
import { dropTopic, freshTopic } from "../../testing/kafka_test_topics.ts";
import { namespaceSettings, testNamespace } from "../../testing/test_namespace.ts";
import { dropTiers, engineEnv, EngineProcess } from "../../testing/engine_process.ts";
import { hasOtelPython, OTEL_PYTHON, OTLP_PYTHON_SENDER } from "../../testing/otel_python.ts";
import { promSample } from "../../testing/prometheus_sample.ts";
import { settledHotTier } from "../../testing/settled_hot_tier.ts";

const hasVenv = await hasOtelPython("retry_hot_tier_test");

const OTLP = 1500; // 6 exporter batches of 256 (the last one smaller)
const BULK = 2000;

async function setup(): Promise<VigilConfig> {
  const kafka = await freshTopic(2, "ingest-retry");
  return parseConfig({
    kafka: kafka.kafka,
    ...namespaceSettings(testNamespace("ingest-retry")),
    ingest: { ackTimeoutMs: 1, retryAfterSeconds: 1 },
  }, Deno.env.toObject());
}

Deno.test({
  name:
    "first attempts answered 503 while their events reach Kafka: the OTel Python SDK's and the Elasticsearch client's retries store each event exactly once in the hot tier",
  ignore: !hasVenv,
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const config = await setup();
    const engine = new EngineProcess(engineEnv(config));
    const service = await startIngestService(config, { topic: config.kafka.topic, httpPort: 0 });
    const client = new Client({ node: service.addresses.http, maxRetries: 20 });
    try {
      await engine.ready();
      const otlp = await new Deno.Command(OTEL_PYTHON, {
        args: [
          OTLP_PYTHON_SENDER,
          `${service.addresses.http}/v1/logs`,
          String(OTLP),
        ],
        stdout: "piped",
        stderr: "piped",
      }).output();
      const stderr = new TextDecoder().decode(otlp.stderr);
      assert.equal(otlp.code, 0, stderr);
      assert.equal(new TextDecoder().decode(otlp.stdout).trim(), `sent ${OTLP}`);
      assert.match(
        stderr,
        /Transient error Service Unavailable/,
        "the exporter was answered 503 and retried",
      );
      assert.doesNotMatch(stderr, /Failed to export/);
      const bulk = await client.helpers.bulk({
        datasource: Array.from({ length: BULK }, (_, i) => ({ message: `bulk ${i}`, "log.level": "info" })),
        onDocument: () => ({ create: { _index: "retry-vigil" } }),
        flushBytes: 20_000, // several requests
        concurrency: 2,
      });
      assert.equal(bulk.failed, 0);
      assert.equal(bulk.successful, BULK);
      // With a 1 ms acknowledgement timeout nearly every first attempt is answered 503 while its events are on
      // their way (which ones is timing; that some are is the precondition of this test): their retries found
      // them in the window. Each event was acknowledged by Kafka once: accepted = sent.
      const text = await service.metrics.registry.metrics();
      for (const [receiver, sent] of [["otlp_http", OTLP], ["es_bulk", BULK]] as const) {
        assert.ok(
          promSample(text, `vigil_ingest_events_total{receiver="${receiver}",outcome="failed"}`) > 0,
          text,
        );
        assert.ok(
          promSample(text, `vigil_ingest_events_total{receiver="${receiver}",outcome="repeated"}`) > 0,
          text,
        );
        assert.equal(
          promSample(text, `vigil_ingest_events_total{receiver="${receiver}",outcome="accepted"}`),
          sent,
          text,
        );
      }
      const n = OTLP + BULK;
      // Late duplicates would come from a second produce; the ingest service is closed, so none can follow.
      await service.close();
      const hot = await settledHotTier(config, engine, n);
      assert.equal(hot.documents, n, "documents");
      const contents = new Set(hot.events!.map((e) => e.content));
      assert.equal(contents.size, n, "distinct events");
      for (let i = 0; i < OTLP; i++) {
        const text = i % 10 === 0 ? `order ${i} failed` : `order ${i} placed`;
        assert.ok(contents.has(text), text);
      }
      for (let i = 0; i < BULK; i++) assert.ok(contents.has(`bulk ${i}`), `bulk ${i}`);
    } finally {
      await client.close();
      await service.close();
      await engine.kill9();
      await dropTiers(config);
      await dropTopic(config);
    }
  },
});
