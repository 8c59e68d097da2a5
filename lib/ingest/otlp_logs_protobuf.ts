/**
 * The protobuf encoding of OTLP logs (`application/x-protobuf`, what most SDK exporters send), decoded with
 * `npm:protobufjs` from the message definitions of opentelemetry-proto's `logs/v1/logs.proto`,
 * `common/v1/common.proto`, `resource/v1/resource.proto` and `collector/logs/v1/logs_service.proto` (only the
 * fields vigil reads, by their field numbers; unknown fields are skipped as protobuf requires) into the same shape
 * the JSON encoding has, so {@link otlpLogsToDrafts} maps both: 64-bit integers as decimal strings, trace and
 * span ids as hex (as OTLP/JSON writes them), other bytes as base64.
 *
 * Also encodes the answers: the (empty) `ExportLogsServiceResponse` and the `google.rpc.Status` of an error.
 *
 * @module
 */
import protobuf from "protobufjs";

const root = protobuf.Root.fromJSON({
  nested: {
    ExportLogsServiceRequest: { fields: { resourceLogs: { rule: "repeated", type: "ResourceLogs", id: 1 } } },
    ResourceLogs: {
      fields: {
        resource: { type: "Resource", id: 1 },
        scopeLogs: { rule: "repeated", type: "ScopeLogs", id: 2 },
        schemaUrl: { type: "string", id: 3 },
      },
    },
    Resource: { fields: { attributes: { rule: "repeated", type: "KeyValue", id: 1 } } },
    ScopeLogs: {
      fields: {
        scope: { type: "InstrumentationScope", id: 1 },
        logRecords: { rule: "repeated", type: "LogRecord", id: 2 },
      },
    },
    InstrumentationScope: { fields: { name: { type: "string", id: 1 }, version: { type: "string", id: 2 } } },
    LogRecord: {
      fields: {
        timeUnixNano: { type: "fixed64", id: 1 },
        observedTimeUnixNano: { type: "fixed64", id: 11 },
        severityNumber: { type: "int32", id: 2 }, // an enum on the wire is a varint
        severityText: { type: "string", id: 3 },
        body: { type: "AnyValue", id: 5 },
        attributes: { rule: "repeated", type: "KeyValue", id: 6 },
        flags: { type: "fixed32", id: 8 },
        traceId: { type: "bytes", id: 9 },
        spanId: { type: "bytes", id: 10 },
        eventName: { type: "string", id: 12 },
      },
    },
    AnyValue: {
      oneofs: {
        value: {
          oneof: [
            "stringValue",
            "boolValue",
            "intValue",
            "doubleValue",
            "arrayValue",
            "kvlistValue",
            "bytesValue",
          ],
        },
      },
      fields: {
        stringValue: { type: "string", id: 1 },
        boolValue: { type: "bool", id: 2 },
        intValue: { type: "int64", id: 3 },
        doubleValue: { type: "double", id: 4 },
        arrayValue: { type: "ArrayValue", id: 5 },
        kvlistValue: { type: "KeyValueList", id: 6 },
        bytesValue: { type: "bytes", id: 7 },
      },
    },
    ArrayValue: { fields: { values: { rule: "repeated", type: "AnyValue", id: 1 } } },
    KeyValueList: { fields: { values: { rule: "repeated", type: "KeyValue", id: 1 } } },
    KeyValue: { fields: { key: { type: "string", id: 1 }, value: { type: "AnyValue", id: 2 } } },
    ExportLogsServiceResponse: { fields: {} },
    Status: { fields: { code: { type: "int32", id: 1 }, message: { type: "string", id: 2 } } },
  },
});
// Named after their messages: `Request` / `Response` would shadow the fetch globals in a module about HTTP.
const ExportLogsServiceRequest = root.lookupType("ExportLogsServiceRequest");
const ExportLogsServiceResponse = root.lookupType("ExportLogsServiceResponse");
const Status = root.lookupType("Status");

/** The body is not a valid protobuf `ExportLogsServiceRequest`; answer 400. */
export class OtlpProtobufError extends Error {
  override name = "OtlpProtobufError";
}

function base64ToHex(b64: unknown): string {
  if (typeof b64 !== "string" || b64 === "") return "";
  const bin = atob(b64);
  let hex = "";
  for (let i = 0; i < bin.length; i++) hex += bin.charCodeAt(i).toString(16).padStart(2, "0");
  return hex;
}

/**
 * Decodes a protobuf export request into the JSON encoding's shape.
 *
 * @throws {OtlpProtobufError} for bytes that are not such a message (truncated, wrong wire types, nesting too deep)
 */
export function decodeOtlpLogsProtobuf(bytes: Uint8Array): unknown {
  let object: { resourceLogs?: { scopeLogs?: { logRecords?: Record<string, unknown>[] }[] }[] };
  try {
    object = ExportLogsServiceRequest.toObject(ExportLogsServiceRequest.decode(bytes), {
      longs: String,
      bytes: String,
      defaults: false,
    });
  } catch (err) {
    // protobufjs throws on malformed input, and a deeply nested body can exhaust the stack: both are bad requests.
    throw new OtlpProtobufError(`not a protobuf ExportLogsServiceRequest: ${(err as Error).message}`, {
      cause: err,
    });
  }
  for (const rl of object.resourceLogs ?? []) {
    for (const sl of rl.scopeLogs ?? []) {
      for (const rec of sl.logRecords ?? []) {
        if (rec.traceId !== undefined) rec.traceId = base64ToHex(rec.traceId);
        if (rec.spanId !== undefined) rec.spanId = base64ToHex(rec.spanId);
      }
    }
  }
  return object;
}

/** Encodes a protobuf export request (what an SDK sends) from the JSON encoding's shape; for tests and benches. */
export function encodeOtlpLogsProtobuf(request: unknown): Uint8Array {
  return ExportLogsServiceRequest.encode(
    ExportLogsServiceRequest.fromObject(request as Record<string, unknown>),
  ).finish();
}

/** The success answer: an empty `ExportLogsServiceResponse`. */
export function otlpProtobufSuccess(): Uint8Array {
  return ExportLogsServiceResponse.encode(ExportLogsServiceResponse.create({})).finish();
}

/** An error answer: a `google.rpc.Status`. */
export function otlpProtobufStatus(code: number, message: string): Uint8Array {
  return Status.encode(Status.create({ code, message })).finish();
}
