/**
 * Cold sink configuration: options, defaults suited to S3 (large objects, minutes between flushes), and
 * validation at the boundary.
 *
 * @module
 */
import type { VigilConfig } from "../../lib/config/vigil_config.ts";
import type { TlsFiles } from "../../lib/config/tls_files.ts";
import {
  DEFAULT_EVENT_TIME_WINDOW,
  type EventTimeWindow,
  eventTimeWindowFromConfig,
} from "../routing_time.ts";

/** Options of the cold sink; defaults match the local stack and S3-friendly object sizes. */
export interface ColdSinkOptions {
  /** S3 endpoint URL. Default `"http://127.0.0.1:7070"`. */
  endpoint?: string;
  /** Region. Default `"us-east-1"`. */
  region?: string;
  /** Bucket. Default `"vigil"`. */
  bucket?: string;
  /** Key prefix before `events/` (e.g. `"prod/"`). Default `""`. */
  prefix?: string;
  /** Access key. Default `"vigil"`. */
  accessKeyId?: string;
  /** Secret key. Default `"vigil-local-secret"`. */
  secretAccessKey?: string;
  /** Path-style URLs (needed by most S3-compatible servers). Default `true`. */
  forcePathStyle?: boolean;
  /** TLS of an `https://` endpoint (private CA, client certificate). Default: the system's CAs. */
  tls?: TlsFiles;
  /** Flush when this many events are buffered over all objects. Default `100_000`. */
  maxEvents?: number;
  /** Flush when this many (approximate JSON) bytes are buffered. Default 64 MiB. */
  maxBytes?: number;
  /** Flush buffered events this long after the first one arrived. Default `300_000` ms (5 minutes). */
  timeoutMs?: number;
  /**
   * Width of the fixed offset windows that cut objects: an object holds the events of one partition whose
   * offsets fall in `[k·offsetWindow, (k+1)·offsetWindow)` (and one hour and classification). Default `100_000`.
   */
  offsetWindow?: number;
  /** Objects larger than this are sent with a multipart upload. Default 16 MiB. */
  multipartThresholdBytes?: number;
  /** Part size of multipart uploads (S3 requires ≥ 5 MiB). Default 8 MiB. */
  partSizeBytes?: number;
  /** First retry delay cap; doubles each attempt (full jitter). Default `200` ms. */
  retryInitialBackoffMs?: number;
  /** Largest retry delay cap. Default `10_000` ms. */
  retryMaxBackoffMs?: number;
  /** How long a flush retries before the sink reports itself unhealthy (it keeps retrying). Default `60_000` ms. */
  retryMaxDurationMs?: number;
  /** Timeout of one S3 request. Default `60_000` ms. */
  requestTimeoutMs?: number;
  /**
   * How far around its ingest time an event's `ts` may place it in a `dt=/hour=` partition (the hot tier's
   * window, see `routing_time.ts`). Default 7 days back, 24 hours ahead; from a configuration, the hot tier's.
   */
  eventTimeWindow?: EventTimeWindow;
}

/** Cold sink options with every default applied and validated. */
export type ColdSinkConfig = Required<Omit<ColdSinkOptions, "tls">> & { tls?: TlsFiles };

function positiveInt(name: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) {
    throw new RangeError(
      `Cannot create ColdSink as ${name} must be a positive integer: current value is ${value}`,
    );
  }
  return value;
}

/**
 * Applies defaults and validates cold sink options.
 *
 * @throws {RangeError} when a number is out of range
 * @throws {TypeError} when the endpoint or bucket is malformed
 */
export function resolveColdSinkConfig(options: ColdSinkOptions = {}): ColdSinkConfig {
  const {
    endpoint = "http://127.0.0.1:7070",
    region = "us-east-1",
    bucket = "vigil",
    prefix = "",
    accessKeyId = "vigil",
    secretAccessKey = "vigil-local-secret",
    forcePathStyle = true,
    tls,
    maxEvents = 100_000,
    maxBytes = 64 * 1024 * 1024,
    timeoutMs = 300_000,
    offsetWindow = 100_000,
    multipartThresholdBytes = 16 * 1024 * 1024,
    partSizeBytes = 8 * 1024 * 1024,
    retryInitialBackoffMs = 200,
    retryMaxBackoffMs = 10_000,
    retryMaxDurationMs = 60_000,
    requestTimeoutMs = 60_000,
    eventTimeWindow = DEFAULT_EVENT_TIME_WINDOW,
  } = options;
  if (!URL.canParse(endpoint)) {
    throw new TypeError(`Cannot create ColdSink as endpoint must be a URL: current value is ${endpoint}`);
  }
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
    throw new TypeError(
      `Cannot create ColdSink as bucket must be an S3 bucket name: current value is ${bucket}`,
    );
  }
  if (prefix !== "" && !prefix.endsWith("/")) {
    throw new TypeError(
      `Cannot create ColdSink as prefix must be empty or end with "/": current value is ${prefix}`,
    );
  }
  if (partSizeBytes < 5 * 1024 * 1024) {
    throw new RangeError(
      `Cannot create ColdSink as partSizeBytes must be at least 5 MiB (S3's minimum part): current value is ${partSizeBytes}`,
    );
  }
  return {
    endpoint,
    region,
    bucket,
    prefix,
    accessKeyId,
    secretAccessKey,
    forcePathStyle,
    tls,
    maxEvents: positiveInt("maxEvents", maxEvents),
    maxBytes: positiveInt("maxBytes", maxBytes),
    timeoutMs: positiveInt("timeoutMs", timeoutMs),
    offsetWindow: positiveInt("offsetWindow", offsetWindow),
    multipartThresholdBytes: positiveInt("multipartThresholdBytes", multipartThresholdBytes),
    partSizeBytes: positiveInt("partSizeBytes", partSizeBytes),
    retryInitialBackoffMs: positiveInt("retryInitialBackoffMs", retryInitialBackoffMs),
    retryMaxBackoffMs: positiveInt("retryMaxBackoffMs", retryMaxBackoffMs),
    retryMaxDurationMs: positiveInt("retryMaxDurationMs", retryMaxDurationMs),
    requestTimeoutMs: positiveInt("requestTimeoutMs", requestTimeoutMs),
    eventTimeWindow: {
      maxAgeMs: positiveInt("eventTimeWindow.maxAgeMs", eventTimeWindow.maxAgeMs),
      maxAheadMs: positiveInt("eventTimeWindow.maxAheadMs", eventTimeWindow.maxAheadMs),
    },
  };
}

/**
 * Cold sink options from vigil's configuration (`s3.*` and `cold.*`).
 *
 * `maxEvents` is capped at half of `delivery.maxInFlight`: the cold buffer holds events the source counts as
 * in flight, next to those in mailboxes and the hot sink, so a buffer allowed to grow to the in-flight limit
 * would never reach its own flush point — the source would sit paused until `cold.timeoutMs` (minutes).
 * `maxBytes` is capped at half of `delivery.maxInFlightBytes` for the same reason. The two count different
 * things — the source a message's bytes, the buffer its records' estimated size (`estimateRecordBytes`, twice
 * the raw line plus content, template and 512) —, and the estimate errs high, so the buffer is written before
 * its events' messages reach half the source's bound; should it err low (events whose other fields outweigh
 * their line), the source waits until `cold.timeoutMs` writes the buffer: a delay, never a loss.
 *
 * @param config vigil's validated configuration
 */
export function coldSinkOptionsFromConfig(config: VigilConfig): ColdSinkOptions {
  const { delivery } = config;
  const maxEvents = Math.max(1, Math.min(config.cold.maxEvents, Math.floor(delivery.maxInFlight / 2)));
  const maxBytes = Math.max(1, Math.min(config.cold.maxBytes, Math.floor(delivery.maxInFlightBytes / 2)));
  return {
    ...config.s3,
    ...config.cold,
    maxEvents,
    maxBytes,
    eventTimeWindow: eventTimeWindowFromConfig(config),
  };
}
