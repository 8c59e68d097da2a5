/**
 * The ingest service's HTTP side: `POST /v1/logs` (OTLP/HTTP logs, JSON encoding, gzip or not), `GET /metrics`
 * and `GET /healthz` (no token), behind the dashboard's access-token guard ({@link accessTokenGuard}: a bearer
 * token on every request when one is configured).
 *
 * OTLP answers as its specification defines: 200 with an `ExportLogsServiceResponse` only after Kafka
 * acknowledged every record of the request; 400 for a body that is not an OTLP request (not retryable); 413 past
 * the body limit; 415 for an unsupported content type or encoding; 429 when too many events wait for Kafka and 503
 * while Kafka fails or does not answer in time — both with `Retry-After`, the codes OTLP clients retry. Error
 * bodies are a `google.rpc.Status` (`{code, message}`).
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
    const fail = (status: 400 | 413 | 415 | 429 | 503, message: string, refused = 0) => {
      metrics.request("otlp_http", status);
      metrics.events("otlp_http", "refused", refused);
      if (status === 429 || status === 503) c.header("Retry-After", String(options.retryAfterSeconds));
      return c.json({ code: RPC_CODE[status], message }, status);
    };
    const type = (c.req.header("content-type") ?? "").split(";")[0].trim().toLowerCase();
    if (type !== "application/json") {
      await c.req.raw.body?.cancel();
      return fail(415, `Content-Type ${type || "(none)"} is not supported: send application/json`);
    }
    // Refuse early when the backlog is already full: reading the body would be wasted.
    const early = gate.admit(1);
    if (!early.ok) {
      await c.req.raw.body?.cancel();
      return fail(early.status, early.reason);
    }
    let drafts;
    try {
      const bytes = await readRequestBody(c.req.raw, options.maxBodyBytes);
      drafts = otlpLogsToDrafts(JSON.parse(new TextDecoder().decode(bytes)));
    } catch (err) {
      if (err instanceof BodyTooLargeError) return fail(413, err.message);
      if (err instanceof BodyEncodingError) return fail(err.status, err.message);
      if (err instanceof OtlpShapeError || err instanceof SyntaxError) {
        return fail(400, `not an OTLP logs request: ${err.message}`);
      }
      throw err;
    }
    const admission = gate.admit(drafts.length);
    if (!admission.ok) return fail(admission.status, admission.reason, drafts.length);
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
      metrics.request("otlp_http", 503);
      c.header("Retry-After", String(options.retryAfterSeconds));
      return c.json({
        code: 14,
        message: delivery === "timeout"
          ? "Kafka did not acknowledge the events in time; retry (some may arrive twice)"
          : "Kafka failed to store the events; retry",
      }, 503);
    }
    metrics.events("otlp_http", "accepted", events.length, clientAddress);
    metrics.request("otlp_http", 200);
    return c.json({});
  });
  return app;
}
