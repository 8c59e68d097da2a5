/**
 * Real-client test of the OTLP/HTTP receiver: the OpenTelemetry Python SDK (a client no one here wrote; installed
 * from PyPI into `.vigil/otel-venv`, see testing/otel_python.ts — the test is ignored with a message when that venv
 * is missing) exports log records with its OTLP/HTTP exporter (protobuf, gzip, batches of 256) and a bearer token;
 * an engine process consumes the topic and every record is counted in the hot tier (OpenSearch, a test namespace) —
 * exact counts, each once, mapped as documented.
 */
import assert from "node:assert/strict";
import { parseConfig } from "../../lib/config/vigil_config.ts";
import { startIngestService } from "../../lib/ingest/ingest_service.ts";
import { dropTiers, engineEnv, EngineProcess } from "../../testing/engine_process.ts";
import { dropTopic, freshTopic } from "../../testing/kafka_test_topics.ts";
import { settledHotTier } from "../../testing/settled_hot_tier.ts";
import { namespaceSettings, testNamespace } from "../../testing/test_namespace.ts";
import { hasOtelPython, OTEL_PYTHON, OTLP_PYTHON_SENDER } from "../../testing/otel_python.ts";

const hasVenv = await hasOtelPython("otlp_python_sdk_test");

Deno.test({
  name:
    "the OpenTelemetry Python SDK's OTLP/HTTP exporter (protobuf, gzip, token): exact counts in the hot tier",
  ignore: !hasVenv,
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const kafka = await freshTopic(2, "ingest-otlp-py");
    const token = "ingest-test-token-0123456789";
    const config = parseConfig(
      {
        kafka: kafka.kafka,
        ...namespaceSettings(testNamespace("ingest-otlp-py")),
        ingest: { accessToken: token },
      },
      Deno.env.toObject(),
    );
    const service = await startIngestService(config, { topic: config.kafka.topic, httpPort: 0 });
    const engine = new EngineProcess(engineEnv(config));
    try {
      const n = 3000;
      const endpoint = `${service.addresses.http}/v1/logs`;
      // Without the token the exporter is refused (401) and nothing reaches Kafka.
      const refused = await new Deno.Command(OTEL_PYTHON, {
        args: [OTLP_PYTHON_SENDER, endpoint, "5"],
        stdout: "piped",
        stderr: "piped",
      }).output();
      assert.equal(refused.code, 0);
      assert.match(new TextDecoder().decode(refused.stderr), /401/);
      const out = await new Deno.Command(OTEL_PYTHON, {
        args: [OTLP_PYTHON_SENDER, endpoint, String(n), token],
        stdout: "piped",
        stderr: "piped",
      }).output();
      const stderr = new TextDecoder().decode(out.stderr);
      assert.equal(out.code, 0, stderr);
      assert.equal(new TextDecoder().decode(out.stdout).trim(), `sent ${n}`);
      assert.doesNotMatch(stderr, /Failed to export/);
      await engine.ready();
      const hot = await settledHotTier(config, engine, n);
      assert.equal(hot.documents, n, "documents");
      assert.equal(hot.distinctContents, n, "each record once");
      const events = hot.events!;
      const e = events.find((x) => x.content === "order 10 failed")!;
      assert.equal(e.level, "error");
      assert.equal(e.component, "pyshop");
      assert.equal(e.host, "py-host-1");
      assert.equal(e.system, "otlp");
      assert.equal(e.fields["order.id"], "10");
      assert.equal(e.fields.scope, "pyshop.orders");
      assert.equal(e.fields.severityText, "ERROR");
      assert.deepEqual(e.flags, []);
      assert.ok(Math.abs(Date.parse(e.ts) - Date.now()) < 10 * 60_000, e.ts);
      assert.equal(events.filter((x) => x.level === "error").length, n / 10);
      assert.equal(events.filter((x) => x.level === "info").length, n - n / 10);
      assert.equal(service.metrics.counts.accepted, n);
    } finally {
      await service.close();
      await engine.kill9();
      await dropTiers(config);
      await dropTopic(config);
    }
  },
});
