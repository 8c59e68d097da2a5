import assert from "node:assert/strict";
import { parseConfig } from "../config/vigil_config.ts";
import { createKafkaProducer } from "../kafka/kafka_client.ts";
import { EventPublisher } from "../producer/event_publisher.ts";
import { AckedRecordWindow, requestKey } from "./acked_record_window.ts";
import { createIngestHttpApp } from "./ingest_http_app.ts";
import { IngestGate } from "./ingest_gate.ts";
import { IngestMetrics } from "./ingest_metrics.ts";
import { jsonFieldMapping } from "./json_field_mapping.ts";

Deno.test({
  name:
    "_bulk retried while Kafka fails: documents an earlier attempt stored answer 201, the others 429 each; a body Kafka took none of is a 503",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    // Nothing listens on port 1: every produce request of this attempt fails (after the publisher's send timeout).
    const producer = createKafkaProducer(parseConfig({ kafka: { brokers: ["127.0.0.1:1"] } }), {
      retries: 0,
      timeout: 500,
    });
    try {
      const publisher = new EventPublisher(producer, { topic: "t", sendTimeoutMs: 1000, lingerMs: 0 });
      const gate = new IngestGate(publisher, { maxPendingEvents: 1000, ackTimeoutMs: 30_000 });
      const retryWindow = new AckedRecordWindow({ maxRecords: 1000, maxAgeMs: 60_000 });
      const metrics = new IngestMetrics({ pending: () => 0, kafkaUp: () => true, tcpConnections: () => 0 });
      const app = createIngestHttpApp({
        gate,
        metrics,
        retryWindow,
        maxBodyBytes: 1 << 20,
        maxChars: 65_536,
        retryAfterSeconds: 1,
        fieldMapping: jsonFieldMapping({}),
      });
      const body = Array.from({ length: 4 }, (_, i) => `{"create":{}}\n{"message":"doc ${i}"}\n`).join("");
      const env = { remoteAddr: { hostname: "10.1.2.3" } };
      // The earlier attempt of this body: Kafka acknowledged documents 0 and 2, not 1 and 3.
      const key = requestKey("es_bulk", "10.1.2.3", "/_bulk", new TextEncoder().encode(body));
      await retryWindow.deliverOnce(key, ["0", "1", "2", "3"], (_records, onSettled) => {
        onSettled([0, 2], true);
        onSettled([1, 3], false);
        return Promise.resolve("failed" as const);
      }, 1000);
      const post = () =>
        app.fetch(
          new Request("http://ingest/_bulk", {
            method: "POST",
            headers: { "content-type": "application/x-ndjson" },
            body,
          }),
          env,
        );
      const res = await post();
      assert.equal(res.status, 200);
      const answer = await res.json() as { errors: boolean; items: { create: { status: number } }[] };
      assert.equal(answer.errors, true);
      assert.deepEqual(answer.items.map((i) => i.create.status), [201, 429, 201, 429]);
      assert.equal(metrics.counts.repeated, 2);
      assert.equal(metrics.counts.failed, 2);
      // Another body whose documents all fail is answered 503 as a whole (Retry-After), not per item.
      const other = await app.fetch(
        new Request("http://ingest/_bulk", {
          method: "POST",
          headers: { "content-type": "application/x-ndjson" },
          body: `{"create":{}}\n{"message":"alone"}\n`,
        }),
        env,
      );
      assert.equal(other.status, 503);
      assert.equal(other.headers.get("retry-after"), "1");
      await other.body?.cancel();
    } finally {
      await producer.close();
    }
  },
});
