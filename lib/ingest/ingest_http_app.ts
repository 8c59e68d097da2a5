/**
 * The ingest service's HTTP side: `POST /v1/logs` (OTLP/HTTP logs, protobuf or JSON encoding, gzip or not),
 * `POST /_bulk` (Elasticsearch-bulk-compatible, for shippers with an Elasticsearch output; see
 * {@link registerBulkRoutes}), `GET /metrics`
 * and `GET /healthz` (no token), behind the dashboard's access-token guard ({@link accessTokenGuard}: a bearer
 * token on every request when one is configured).
 *
 * OTLP answers as its specification defines: 200 with an `ExportLogsServiceResponse` only after Kafka
 * acknowledged every record of the request; 400 for a body that is not an OTLP request (not retryable); 413 past
 * the body limit; 415 for an unsupported content type or encoding; 429 when too many events wait for Kafka and 503
 * while Kafka fails or does not answer in time — both with `Retry-After`, the codes OTLP clients retry. Error
 * bodies are a `google.rpc.Status` (`{code, message}`), in the request's encoding.
 *
 * Retries are idempotent within the {@link AckedRecordWindow}: OTLP and `_bulk` clients re-send the same body
 * after a 503 or after giving up waiting, and the records of it that Kafka already holds are not produced again
 * (those still in flight are waited for); once Kafka holds every record the retry is answered 200, and the
 * request is forgotten (the same body sent again after a 200 is new events). A 503 therefore
 * never asks for a record twice: the client's whole-request retry completes what is missing. (OTLP's
 * `partial_success` is not used: it tells the client the rejected records are dropped, not to be retried.)
 * `_bulk` answers per item when only some documents failed and none is in flight: 201 for those Kafka holds, 429
 * for the others, which shippers re-send alone.
 *
 * @module
 */
import { type Context, Hono } from "hono";
import { accessTokenGuard } from "../web/access_token_guard.ts";
import { type AckedRecordWindow, type OnceDelivery, requestKey } from "./acked_record_window.ts";
import { clientAddressOf } from "../web/post_rate_limit.ts";
import { draftToEvent } from "./ingest_event.ts";
import type { IngestGate } from "./ingest_gate.ts";
import type { IngestMetrics, Receiver } from "./ingest_metrics.ts";
import { otlpLogsToDrafts, OtlpShapeError } from "./otlp_logs.ts";
import {
  decodeOtlpLogsProtobuf,
  OtlpProtobufError,
  otlpProtobufStatus,
  otlpProtobufSuccess,
} from "./otlp_logs_protobuf.ts";
import { BodyEncodingError, BodyTooLargeError, readRequestBody } from "./read_request_body.ts";
import { type BulkOutcome, BulkRequestError, bulkResponse, parseBulkBody } from "./es_bulk.ts";
import { jsonDocumentToDraft, type JsonFieldMapping } from "./json_field_mapping.ts";
import type { LogEvent } from "../event/log_event.ts";

/** Options of {@link createIngestHttpApp}. */
export interface IngestHttpOptions {
  gate: IngestGate;
  metrics: IngestMetrics;
  /** What Kafka acknowledged of recent requests, so a client's retry is not produced twice. */
  retryWindow: AckedRecordWindow;
  /** Bearer token required on every request but `/healthz`; none = loopback only (checked by the caller). */
  accessToken?: string;
  maxBodyBytes: number;
  /** Longest content / raw kept per event, characters. */
  maxChars: number;
  retryAfterSeconds: number;
  /** How `_bulk` documents map to events (config `ingest.fieldMapping` over the ECS defaults). */
  fieldMapping: JsonFieldMapping;
}

/** The Elasticsearch version the `_bulk`-compatible endpoint reports to shippers' start-up probes. */
export const REPORTED_ES_VERSION = "9.1.0";

/** google.rpc.Code values used in error bodies. */
const RPC_CODE: Record<number, number> = { 400: 3, 413: 3, 415: 3, 429: 8, 503: 14 };

/** A 503's message when Kafka did not take every record of a request. */
function unavailableMessage(delivery: "failed" | "timeout"): string {
  return delivery === "timeout"
    ? "Kafka did not acknowledge the events in time; retry (what Kafka already holds is not stored twice)"
    : "Kafka failed to store some events; retry (what Kafka already holds is not stored twice)";
}

/**
 * Delivers a request's events through the retry window (only what no earlier attempt of the same body produced)
 * and counts them: `accepted` as Kafka acknowledges them — also after the answer timed out — `repeated` for
 * records an earlier attempt had produced, `failed` for those Kafka did not hold when the request was answered.
 */
async function deliverRequest(
  options: IngestHttpOptions,
  receiver: Receiver,
  key: string,
  events: readonly LogEvent[],
  clientAddress: string,
): Promise<OnceDelivery> {
  const { gate, metrics } = options;
  const once = await options.retryWindow.deliverOnce(
    key,
    events,
    (batch, onSettled) =>
      gate.deliver(batch, gate.ackTimeoutMs, (indexes, acked) => {
        if (acked) metrics.events(receiver, "accepted", indexes.length, clientAddress);
        onSettled(indexes, acked);
      }),
    gate.ackTimeoutMs,
  );
  metrics.events(receiver, "repeated", once.repeated, clientAddress);
  metrics.events(receiver, "failed", once.missing.length + once.inFlight, clientAddress);
  return once;
}

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
    let key;
    try {
      const bytes = await readRequestBody(c.req.raw, options.maxBodyBytes);
      key = requestKey("otlp_http", clientAddress, c.req.path, bytes);
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
      metrics.events("otlp_http", "refused", drafts.length, clientAddress);
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
    const { delivery } = await deliverRequest(options, "otlp_http", key, events, clientAddress);
    if (delivery !== "acked") return answer(503, unavailableMessage(delivery));
    options.retryWindow.answered(key);
    return answer(200);
  });
  registerBulkRoutes(app, options);
  return app;
}

/**
 * The Elasticsearch-compatible side: `GET /` and `HEAD /` (the probe shippers and clients make at start-up),
 * `GET /_license`, and `POST|PUT /_bulk` and `/<index>/_bulk`. Responses carry `X-Elastic-Product: Elasticsearch`,
 * which the official clients require of a server before they use it.
 */
function registerBulkRoutes(app: Hono, options: IngestHttpOptions): void {
  const { gate, metrics } = options;
  const product = { "x-elastic-product": "Elasticsearch" };
  const info = {
    name: "vigil-ingest",
    cluster_name: "vigil",
    cluster_uuid: "vigil-ingest",
    version: {
      number: REPORTED_ES_VERSION,
      build_flavor: "default",
      build_type: "vigil",
      lucene_version: "10.0.0",
      minimum_wire_compatibility_version: "7.17.0",
      minimum_index_compatibility_version: "8.0.0",
    },
    tagline: "You Know, for Search",
  };
  app.on(["GET", "HEAD"], "/", (c) => c.json(info, 200, product));
  app.get(
    "/_license",
    (c) =>
      c.json(
        { license: { status: "active", type: "basic", mode: "basic", uid: "vigil-ingest" } },
        200,
        product,
      ),
  );
  const bulk = async (c: Context) => {
    const clientAddress = clientAddressOf(c.env);
    const started = performance.now();
    const refuse = (status: 400 | 413 | 415 | 429 | 503, type: string, reason: string) => {
      metrics.request("es_bulk", status);
      if (status === 429 || status === 503) c.header("Retry-After", String(options.retryAfterSeconds));
      return c.json({ error: { type, reason }, status }, status, product);
    };
    const early = gate.admit(1);
    if (!early.ok) {
      await c.req.raw.body?.cancel();
      return refuse(early.status, "es_rejected_execution_exception", early.reason);
    }
    let items;
    let key;
    try {
      const bytes = await readRequestBody(c.req.raw, options.maxBodyBytes);
      key = requestKey("es_bulk", clientAddress, c.req.path, bytes);
      items = parseBulkBody(new TextDecoder().decode(bytes), c.req.param("index"));
    } catch (err) {
      if (err instanceof BodyTooLargeError) return refuse(413, "content_too_long_exception", err.message);
      if (err instanceof BodyEncodingError) {
        return refuse(err.status, "illegal_argument_exception", err.message);
      }
      if (err instanceof BulkRequestError) return refuse(400, "illegal_argument_exception", err.message);
      throw err;
    }
    const receivedMs = Date.now();
    const ctx = {
      source: `es-bulk:${clientAddress}`,
      system: "bulk",
      peerHost: clientAddress,
      maxChars: options.maxChars,
    };
    const events: LogEvent[] = [];
    /** The item of each event. */
    const eventItems: number[] = [];
    const outcomes: BulkOutcome[] = items.map((item, at) => {
      if ("refused" in item) {
        return { status: 400, error: { type: "illegal_argument_exception", reason: item.refused } };
      }
      if (item.docError !== undefined) {
        return { status: 400, error: { type: "mapper_parsing_exception", reason: item.docError } };
      }
      const draft = jsonDocumentToDraft(item.doc, item.raw, options.fieldMapping, receivedMs);
      if (item.index !== "") draft.fields._index = item.index;
      if (item.id !== undefined) draft.fields._id = item.id;
      const event = draftToEvent(draft, ctx, receivedMs);
      events.push(event);
      eventItems.push(at);
      return { status: 201, id: event.id };
    });
    const admission = gate.admit(events.length);
    if (!admission.ok) {
      metrics.events("es_bulk", "refused", events.length, clientAddress);
      return refuse(admission.status, "es_rejected_execution_exception", admission.reason);
    }
    const once = await deliverRequest(options, "es_bulk", key, events, clientAddress);
    // Events still in flight are waited for by a retry of this same body: ask for all of it again (503). Else each
    // document Kafka did not take is answered 429 on its own, as Elasticsearch answers a rejected item: shippers
    // re-send only those (Beats, Logstash and the clients' bulk helpers retry an item's 429).
    if (once.inFlight > 0 || (once.missing.length > 0 && once.missing.length === events.length)) {
      return refuse(
        503,
        "unavailable_shards_exception",
        unavailableMessage(once.delivery === "timeout" ? "timeout" : "failed"),
      );
    }
    for (const e of once.missing) {
      outcomes[eventItems[e]] = {
        status: 429,
        error: {
          type: "es_rejected_execution_exception",
          reason: "Kafka failed to store this document; retry it",
        },
      };
    }
    options.retryWindow.answered(key);
    metrics.request("es_bulk", 200);
    return c.json(bulkResponse(items, outcomes, performance.now() - started), 200, product);
  };
  app.on(["POST", "PUT"], "/_bulk", bulk);
  app.on(["POST", "PUT"], "/:index/_bulk", bulk);
}
