/**
 * Nothing accepted is lost when Kafka dies mid-send: runs the ingest chaos scenario
 * (`bench/chaos/ingest_kafka_outage.ts --quick`, a child process on a throwaway broker) — util-linux `logger` over
 * syslog TCP and an OTLP/HTTP client that honours 429/503 + Retry-After, the broker killed with SIGKILL after the
 * first 500 events and restarted 5 s later — and checks every event each client sent is in Kafka and, once an
 * engine consumed the topic, in the hot tier: one document per Kafka message, every sent event among them.
 */
import assert from "node:assert/strict";

const REPO = new URL("../..", import.meta.url).pathname;

Deno.test({
  name:
    "Kafka killed and restarted while logger (TCP) and an OTLP client send: every sent event is in Kafka and in the hot tier",
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
    assert.ok(r.acceptedBeforeKill < sent, "the broker died while the clients were still sending");
    assert.equal(r.tcp.loggerExit, 0);
    assert.equal(r.tcp.lost, 0, stdout);
    assert.equal(r.otlp.lost, 0, stdout);
    assert.equal(r.otlp.answers.ok, r.otlp.sent / 50);
    assert.equal(r.distinct, sent);
    assert.equal(r.inKafka, r.distinct + r.duplicates);
    assert.equal(r.hot.documents, r.inKafka, stdout);
    assert.equal(r.hot.distinct, sent, stdout);
  },
});
