import assert from "node:assert/strict";
import { IngestMetrics, MAX_CLIENT_LABELS } from "./ingest_metrics.ts";
import { promSample as sample } from "../../testing/prometheus_sample.ts";

const gauges = { pending: () => 0, kafkaUp: () => true, tcpConnections: () => 0 };

Deno.test("per-client counters: every outcome by client address, beside the per-receiver totals", async () => {
  const m = new IngestMetrics(gauges);
  m.events("syslog_udp", "accepted", 3, "10.0.0.1");
  m.events("syslog_udp", "dropped", 5, "10.0.0.1");
  m.events("syslog_udp", "dropped", 2, "10.0.0.2");
  m.events("otlp_http", "refused", 50, "10.0.0.2");
  m.events("otlp_http", "repeated", 4); // no address: totals only
  const text = await m.registry.metrics();
  const client = (receiver: string, address: string, outcome: string) =>
    sample(
      text,
      `vigil_ingest_client_events_total{receiver="${receiver}",client="${address}",outcome="${outcome}"}`,
    );
  assert.equal(client("syslog_udp", "10.0.0.1", "accepted"), 3);
  assert.equal(client("syslog_udp", "10.0.0.1", "dropped"), 5);
  assert.equal(client("syslog_udp", "10.0.0.2", "dropped"), 2);
  assert.equal(client("otlp_http", "10.0.0.2", "refused"), 50);
  assert.equal(sample(text, 'vigil_ingest_events_total{receiver="syslog_udp",outcome="dropped"}'), 7);
  assert.equal(sample(text, 'vigil_ingest_events_total{receiver="otlp_http",outcome="repeated"}'), 4);
  assert.ok(!text.includes('outcome="repeated",client'), "no client label without an address");
  assert.deepEqual(m.counts, { accepted: 3, refused: 50, failed: 0, dropped: 7, repeated: 4 });
});

Deno.test("per-client counters stay bounded: addresses past the limit count as other", async () => {
  const m = new IngestMetrics(gauges);
  for (let i = 0; i < MAX_CLIENT_LABELS + 5; i++) {
    m.events("syslog_udp", "accepted", 1, `10.1.${i >> 8}.${i & 255}`);
  }
  const text = await m.registry.metrics();
  const lines = text.split("\n").filter((l) => l.startsWith("vigil_ingest_client_events_total{"));
  assert.equal(lines.length, MAX_CLIENT_LABELS + 1);
  assert.equal(
    sample(text, 'vigil_ingest_client_events_total{receiver="syslog_udp",client="other",outcome="accepted"}'),
    5,
  );
});
