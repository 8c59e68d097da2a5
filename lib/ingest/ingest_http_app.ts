/**
 * The ingest service's HTTP side: `POST /v1/logs` (OTLP/HTTP logs, protobuf or JSON encoding, gzip or not), `GET /metrics`
 * and `GET /healthz` (no token), behind the dashboard's access-token guard ({@link accessTokenGuard}: a bearer
 * token on every request when one is configured).
 *
 * OTLP answers as its specification defines: 200 with an `ExportLogsServiceResponse` only after Kafka
 * acknowledged every record of the request; 400 for a body that is not an OTLP request (not retryable); 413 past
 * the body limit; 415 for an unsupported content type or encoding; 429 when too many events wait for Kafka and 503
 * while Kafka fails or does not answer in time — both with `Retry-After`, the codes OTLP clients retry. Error
 * bodies are a `google.rpc.Status` (`{code, message}`), in the request's encoding.
 *
 * @module
 */
import { Hono } from "hono";
import { accessTokenGuard } from "../web/access_token_guard.ts";
import { clientAddressOf } from "../web/post_rate_limit.ts";
import { draftToEvent } from "./ingest_event.ts";
import type { IngestGate } from "./ingest_gate.ts";
import type { IngestMetrics } from "./ingest_metrics.ts";
import { otlpLogsToDrafts, OtlpShapeError } from "./otlp_logs.ts";
import {
  decodeOtlpLogsProtobuf,
  OtlpProtobufError,
  otlpProtobufStatus,
  otlpProtobufSuccess,
} from "./otlp_logs_protobuf.ts";
import { BodyEncodingError, BodyTooLargeError, readRequestBody } from "./read_request_body.ts";

/** Options of {@link createIngestHttpApp}. */
export interface IngestHttpOptions {
  gate: IngestGate;
  metrics: IngestMetrics;
  /** Bearer token required on every request but `/healthz`; none = loopback only (checked by the caller). */
  accessToken?: string;
  maxBodyBytes: number;
  /** Longest content / raw kept per event, characters. */
  maxChars: number;
  retryAfterSeconds: number;
}

/** google.rpc.Code values used in error bodies. */
const RPC_CODE: Record<number, number> = { 400: 3, 413: 3, 415: 3, 429: 8, 503: 14 };

/**
 * Creates the app; serve it with `Deno.serve({...}, app.fetch)` so handlers see the client's address.
 */
export function createIngestHttpApp(options: IngestHttpOptions): Hono {
  const { gate, metrics } = options;
  const app = new Hono();
  app.get("/healthz", (c) => c.json({ ok: true, kafkaUp: gate.kafkaUp, pendingEvents: gate.pending }));
  app.use("*", accessTokenGuard(options.accessToken));
  app.get("/metrics", async (c) => {
    return c.body(await metrics.registry.metrics(), 200, { "content-type": metrics.registry.contentType });
  });
  app.post("/v1/logs", async (c) => {
    const clientAddress = clientAddressOf(c.env);
    const type = (c.req.header("content-type") ?? "").split(";")[0].trim().toLowerCase();
    const protobuf = type === "application/x-protobuf";
    const answer = (status: 200 | 400 | 413 | 415 | 429 | 503, message = "") => {
      metrics.request("otlp_http", status);
      if (status === 429 || status === 503) c.header("Retry-After", String(options.retryAfterSeconds));
      if (protobuf) {
        const body = status === 200 ? otlpProtobufSuccess() : otlpProtobufStatus(RPC_CODE[status], message);
        return c.body(body as Uint8Array<ArrayBuffer>, status, { "content-type": "application/x-protobuf" });
      }
      return c.json(status === 200 ? {} : { code: RPC_CODE[status], message }, status);
    };
    if (!protobuf && type !== "application/json") {
      await c.req.raw.body?.cancel();
      return answer(
        415,
        `Content-Type ${type || "(none)"} is not supported: send application/x-protobuf or application/json`,
      );
    }
    // Refuse early when the backlog is already full: reading the body would be wasted.
    const early = gate.admit(1);
    if (!early.ok) {
      await c.req.raw.body?.cancel();
      return answer(early.status, early.reason);
    }
    let drafts;
    try {
      const bytes = await readRequestBody(c.req.raw, options.maxBodyBytes);
      const request = protobuf ? decodeOtlpLogsProtobuf(bytes) : JSON.parse(new TextDecoder().decode(bytes));
      drafts = otlpLogsToDrafts(request);
    } catch (err) {
      if (err instanceof BodyTooLargeError) return answer(413, err.message);
      if (err instanceof BodyEncodingError) return answer(err.status, err.message);
      if (err instanceof OtlpShapeError || err instanceof OtlpProtobufError || err instanceof SyntaxError) {
        return answer(400, `not an OTLP logs request: ${err.message}`);
      }
      throw err;
    }
    const admission = gate.admit(drafts.length);
    if (!admission.ok) {
      metrics.events("otlp_http", "refused", drafts.length);
      return answer(admission.status, admission.reason);
    }
    const ingestMs = Date.now();
    const ctx = {
      source: `otlp-http:${clientAddress}`,
      system: "otlp",
      peerHost: clientAddress,
      maxChars: options.maxChars,
    };
    const events = drafts.map((d) => draftToEvent(d, ctx, ingestMs));
    const delivery = await gate.deliver(events);
    if (delivery !== "acked") {
      metrics.events("otlp_http", "failed", events.length);
      return answer(
        503,
        delivery === "timeout"
          ? "Kafka did not acknowledge the events in time; retry (some may arrive twice)"
          : "Kafka failed to store the events; retry",
      );
    }
    metrics.events("otlp_http", "accepted", events.length, clientAddress);
    return answer(200);
  });
  return app;
}
