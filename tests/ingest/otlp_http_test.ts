/**
 * The OTLP/HTTP receiver against the real Kafka: JSON and protobuf encodings, gzip, and the refusals the OTLP
 * specification defines (400 not retryable; 413, 415; 401 without the token), each answered in the request's
 * encoding and leaving nothing in Kafka; accepted requests counted exactly.
 */
import assert from "node:assert/strict";
import { parseConfig } from "../../lib/config/vigil_config.ts";
import type { LogEvent } from "../../lib/event/log_event.ts";
import { createKafkaAdmin } from "../../lib/kafka/kafka_client.ts";
import { startIngestService } from "../../lib/ingest/ingest_service.ts";
import { encodeOtlpLogsProtobuf } from "../../lib/ingest/otlp_logs_protobuf.ts";
import { consumeTopic, uniqueTopic } from "../../testing/consume_topic.ts";

function request(prefix: string, n: number) {
  return {
    resourceLogs: [{
      resource: { attributes: [{ key: "service.name", value: { stringValue: "svc" } }] },
      scopeLogs: [{
        logRecords: Array.from({ length: n }, (_, i) => ({
          timeUnixNano: "1764784800000000000",
          severityNumber: 13,
          body: { stringValue: `${prefix} ${i}` },
        })),
      }],
    }],
  };
}

async function gzip(bytes: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(
    new CompressionStream("gzip"),
  );
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

Deno.test({
  name: "OTLP/HTTP: JSON, gzip and protobuf accepted exactly; bad bodies refused as the specification says",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const topic = uniqueTopic("ingest-otlp-http");
    const token = "ingest-test-token-0123456789";
    const config = parseConfig(
      { kafka: { partitions: 2 }, ingest: { accessToken: token, maxBodyBytes: 64 * 1024 } },
      Deno.env.toObject(),
    );
    const service = await startIngestService(config, { topic, httpPort: 0 });
    const url = `${service.addresses.http}/v1/logs`;
    const auth = { authorization: `Bearer ${token}` };
    const json = { ...auth, "content-type": "application/json" };
    const proto = { ...auth, "content-type": "application/x-protobuf" };
    const post = (headers: Record<string, string>, body: BodyInit) =>
      fetch(url, { method: "POST", headers, body });
    try {
      const enc = new TextEncoder();
      let r = await post(json, JSON.stringify(request("json", 100)));
      assert.equal(r.status, 200);
      assert.deepEqual(await r.json(), {});
      r = await post(
        { ...json, "content-encoding": "gzip" },
        await gzip(enc.encode(JSON.stringify(request("gz", 50)))),
      );
      assert.equal(r.status, 200);
      await r.body?.cancel();
      r = await post(proto, encodeOtlpLogsProtobuf(request("pb", 70)) as Uint8Array<ArrayBuffer>);
      assert.equal(r.status, 200);
      assert.equal(r.headers.get("content-type"), "application/x-protobuf");
      assert.equal((await r.arrayBuffer()).byteLength, 0); // an empty ExportLogsServiceResponse

      // Refusals: nothing of these reaches Kafka.
      r = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
      assert.equal(r.status, 401);
      await r.body?.cancel();
      r = await post({ ...auth, "content-type": "text/plain" }, JSON.stringify(request("x", 1)));
      assert.equal(r.status, 415);
      await r.body?.cancel();
      r = await post(json, "{not json");
      assert.equal(r.status, 400);
      assert.equal((await r.json()).code, 3);
      r = await post(json, JSON.stringify({ resourceLogs: 5 }));
      assert.equal(r.status, 400);
      await r.body?.cancel();
      r = await post(proto, new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0x0f, 1, 2]));
      assert.equal(r.status, 400);
      await r.body?.cancel();
      r = await post(json, JSON.stringify(request("big", 2000))); // > 64 KiB declared
      assert.equal(r.status, 413);
      await r.body?.cancel();
      const chunks = new ReadableStream<Uint8Array>({ // > 64 KiB streamed without a Content-Length
        start(controller) {
          for (let i = 0; i < 100; i++) controller.enqueue(new Uint8Array(1024).fill(32));
          controller.close();
        },
      });
      r = await post(json, chunks);
      assert.equal(r.status, 413);
      await r.body?.cancel();
      const bomb = await gzip(new Uint8Array(10 * 1024 * 1024).fill(32)); // 10 MiB of spaces in ~10 KiB
      assert.ok(bomb.length < 64 * 1024);
      r = await post({ ...json, "content-encoding": "gzip" }, bomb);
      assert.equal(r.status, 413);
      await r.body?.cancel();
      r = await post({ ...json, "content-encoding": "gzip" }, "not gzip at all");
      assert.equal(r.status, 400);
      await r.body?.cancel();
      r = await post({ ...json, "content-encoding": "br" }, "{}");
      assert.equal(r.status, 415);
      await r.body?.cancel();
      r = await fetch(`${service.addresses.http}/healthz`);
      assert.equal((await r.json()).ok, true);
      r = await fetch(`${service.addresses.http}/metrics`, { headers: auth });
      const metrics = await r.text();
      assert.match(metrics, /vigil_ingest_events_total\{receiver="otlp_http",outcome="accepted"\} 220/);
      assert.match(metrics, /vigil_ingest_requests_total\{receiver="otlp_http",code="413"\} 3/);

      const total = 100 + 50 + 70;
      const messages = await consumeTopic(config, topic, total);
      assert.equal(messages.length, total);
      const events = messages.map((m) => JSON.parse(m.value) as LogEvent);
      for (const [prefix, n] of [["json", 100], ["gz", 50], ["pb", 70]] as const) {
        assert.equal(
          new Set(events.filter((e) => e.content.startsWith(`${prefix} `)).map((e) => e.content)).size,
          n,
        );
      }
      assert.ok(
        events.every((e) =>
          e.level === "warn" && e.component === "svc" && e.ts === "2025-12-03T18:00:00.000Z"
        ),
      );
    } finally {
      await service.close();
      const admin = createKafkaAdmin(config);
      await admin.deleteTopics([topic]).catch(() => {});
      await admin.close();
    }
  },
});

Deno.test("the ingest service refuses to listen beyond loopback without a token", async () => {
  const config = parseConfig({ ingest: { host: "0.0.0.0" } }, {});
  await assert.rejects(startIngestService(config, { httpPort: 0 }), /ingest\.accessToken/);
});
