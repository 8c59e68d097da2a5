/**
 * Nothing accepted is lost when Kafka dies mid-send, with clients no one here wrote: runs the ingest chaos scenario
 * (`bench/chaos/ingest_kafka_outage.ts --quick`, a child process on a throwaway broker) — util-linux `logger` over
 * syslog TCP and the OpenTelemetry Python SDK's OTLP/HTTP exporter (needs `.vigil/otel-venv`, see
 * testing/otel_python.ts; the test is ignored with a message without it), the broker killed with SIGKILL once
 * both clients' first events were acknowledged and restarted 5 s later — and checks both clients ended well (logger
 * exit 0; the exporter answered 503 during the outage, retried, exported everything and failed no batch), then
 * counts end to end: every sent event is in Kafka, and once an engine consumed the topic the hot tier holds one
 * document per Kafka message and every sent event among them — exactly the sent events when Kafka holds no
 * duplicate (at-least-once allows a produce that failed for the receiver to have reached the dying broker).
 */
import assert from "node:assert/strict";
import { hasOtelPython } from "../../testing/otel_python.ts";

const REPO = new URL("../..", import.meta.url).pathname;
const hasVenv = await hasOtelPython("kafka_outage_test");

Deno.test({
  name:
    "Kafka killed and restarted while logger (TCP) and the OTel Python SDK exporter send: every sent event is in Kafka and in the hot tier",
  ignore: !hasVenv,
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "bench/chaos/ingest_kafka_outage.ts", "--quick"],
      cwd: REPO,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stdout = new TextDecoder().decode(out.stdout);
    const stderr = new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 0, stderr.slice(-3000));
    const r = JSON.parse(stdout.trim().split("\n").at(-1)!);
    const sent = r.tcp.sent + r.otlp.sent;
    assert.ok(r.acceptedBeforeKill.tcp < r.tcp.sent, "the broker died while logger was still sending");
    assert.ok(
      r.acceptedBeforeKill.otlp < r.otlp.sent,
      "the broker died while the exporter was still sending",
    );
    assert.equal(r.tcp.loggerExit, 0);
    assert.equal(r.otlp.exporterExit, 0, r.otlp.stderrTail);
    assert.equal(r.otlp.exporterSaid, `sent ${r.otlp.sent}`);
    assert.ok(r.otlp.answers503 > 0, "the exporter was answered 503 during the outage");
    assert.equal(r.otlp.failedExports, 0, r.otlp.stderrTail);
    assert.equal(r.tcp.lost, 0, stdout);
    assert.equal(r.otlp.lost, 0, stdout);
    assert.equal(r.distinct, sent);
    assert.equal(r.inKafka, r.distinct + r.duplicates);
    assert.equal(r.hot.documents, r.inKafka, stdout);
    assert.equal(r.hot.distinct, sent, stdout);
  },
});
