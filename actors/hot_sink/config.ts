/**
 * Hot sink configuration: the options callers pass, their defaults, and validation at the boundary.
 *
 * @module
 */
import type { VigilConfig } from "../../lib/config/vigil_config.ts";
import { redactUrl } from "../../lib/config/redact_secrets.ts";
import type { TlsFiles } from "../../lib/config/tls_files.ts";
import {
  DEFAULT_EVENT_TIME_WINDOW,
  type EventTimeWindow,
  eventTimeWindowFromConfig,
} from "../routing_time.ts";

/** Which search engine holds the hot tier. */
export type HotKind = "opensearch" | "elasticsearch";

/** Options of the hot sink; every field has a default suited to the local stack. */
export interface HotSinkOptions {
  /** Search engine flavour. Default `"opensearch"`. */
  kind?: HotKind;
  /** Cluster URL. Default `"http://127.0.0.1:9200"`. */
  url?: string;
  /** Basic-auth user. Default none. */
  username?: string;
  /** Basic-auth password. Default none. */
  password?: string;
  /** Elasticsearch API key (instead of basic auth). Default none. */
  apiKey?: string;
  /** TLS of an `https://` cluster (private CA, client certificate). Default: the system's CAs. */
  tls?: TlsFiles;
  /** Prefix of every index and template name. Default `"vigil"`. */
  indexPrefix?: string;
  /** Most events in one bulk request. Default `1000`. */
  maxEvents?: number;
  /** Most bytes of NDJSON in one bulk request (a single larger document is still sent alone). Default 5 MiB. */
  maxBytes?: number;
  /** Timeout of one HTTP request. Default `30_000` ms. */
  requestTimeoutMs?: number;
  /** First retry delay cap; doubles each attempt (full jitter picks in [0, cap]). Default `100` ms. */
  retryInitialBackoffMs?: number;
  /** Largest retry delay cap. Default `10_000` ms. */
  retryMaxBackoffMs?: number;
  /**
   * How long one `write` keeps retrying transient failures before it reports them as `retryingOverdue`
   * (the sink then keeps the batch and retries it again while the cluster is down: nothing is dropped).
   * Default `60_000` ms.
   */
  retryMaxDurationMs?: number;
  /** Refresh policy of bulk requests (`"wait_for"` makes writes visible to search before acking). Default `false`. */
  refresh?: false | "wait_for";
  /**
   * How far around its ingest time an event's `ts` may route it to a daily index (see `routing_time.ts`).
   * Default 7 days back (the default hot retention), 24 hours ahead; from a configuration, `hot.retentionDays`.
   */
  eventTimeWindow?: EventTimeWindow;
  /** Days after creation a daily event index is deleted (see `hot_retention.ts`); 0 = for ever. Default `7`. */
  retentionDays?: number;
  /** How often the sink deletes expired indices itself on a cluster without ISM. Default 1 hour. */
  retentionSweepMs?: number;
}

/** Hot sink options with every default applied and validated. */
export type HotSinkConfig = Required<Omit<HotSinkOptions, "username" | "password" | "apiKey" | "tls">> & {
  username?: string;
  password?: string;
  apiKey?: string;
  tls?: TlsFiles;
};

function positiveInt(name: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) {
    throw new RangeError(
      `Cannot create HotSink as ${name} must be a positive integer: current value is ${value}`,
    );
  }
  return value;
}

/**
 * Applies defaults and validates hot sink options.
 *
 * @throws {RangeError} when a number is not a positive integer
 * @throws {TypeError} when the kind, URL or index prefix is malformed
 */
export function resolveHotSinkConfig(options: HotSinkOptions = {}): HotSinkConfig {
  const {
    kind = "opensearch",
    url = "http://127.0.0.1:9200",
    username,
    password,
    apiKey,
    tls,
    indexPrefix = "vigil",
    maxEvents = 1000,
    maxBytes = 5 * 1024 * 1024,
    requestTimeoutMs = 30_000,
    retryInitialBackoffMs = 100,
    retryMaxBackoffMs = 10_000,
    retryMaxDurationMs = 60_000,
    refresh = false,
    eventTimeWindow = DEFAULT_EVENT_TIME_WINDOW,
    retentionDays = 7,
    retentionSweepMs = 3_600_000,
  } = options;
  if (kind !== "opensearch" && kind !== "elasticsearch") {
    throw new TypeError(
      `Cannot create HotSink as kind must be "opensearch" or "elasticsearch": current value is ${kind}`,
    );
  }
  if (!URL.canParse(url)) {
    throw new TypeError(`Cannot create HotSink as url must be a URL: current value is ${redactUrl(url)}`);
  }
  if (!/^[a-z0-9][a-z0-9_.-]*$/.test(indexPrefix)) {
    throw new TypeError(
      `Cannot create HotSink as indexPrefix must be lowercase letters, digits, _ . -: current value is ${indexPrefix}`,
    );
  }
  if (!Number.isFinite(retentionDays) || retentionDays < 0) {
    throw new RangeError(
      `Cannot create HotSink as retentionDays must be 0 or more: current value is ${retentionDays}`,
    );
  }
  if (refresh !== false && refresh !== "wait_for") {
    throw new TypeError(
      `Cannot create HotSink as refresh must be false or "wait_for": current value is ${refresh}`,
    );
  }
  return {
    kind,
    url,
    username,
    password,
    apiKey,
    tls,
    indexPrefix,
    maxEvents: positiveInt("maxEvents", maxEvents),
    maxBytes: positiveInt("maxBytes", maxBytes),
    requestTimeoutMs: positiveInt("requestTimeoutMs", requestTimeoutMs),
    retryInitialBackoffMs: positiveInt("retryInitialBackoffMs", retryInitialBackoffMs),
    retryMaxBackoffMs: positiveInt("retryMaxBackoffMs", retryMaxBackoffMs),
    retryMaxDurationMs: positiveInt("retryMaxDurationMs", retryMaxDurationMs),
    refresh,
    eventTimeWindow: {
      maxAgeMs: positiveInt("eventTimeWindow.maxAgeMs", eventTimeWindow.maxAgeMs),
      maxAheadMs: positiveInt("eventTimeWindow.maxAheadMs", eventTimeWindow.maxAheadMs),
    },
    retentionDays,
    retentionSweepMs: positiveInt("retentionSweepMs", retentionSweepMs),
  };
}

/**
 * Hot sink options from vigil's configuration (`hot.*`).
 *
 * @param config vigil's validated configuration
 */
export function hotSinkOptionsFromConfig(config: VigilConfig): HotSinkOptions {
  const {
    kind,
    url,
    username,
    password,
    apiKey,
    tls,
    indexPrefix,
    maxEvents,
    maxBytes,
    retryMaxDurationMs,
    retentionDays,
  } = config.hot;
  return {
    kind,
    url,
    username,
    password,
    apiKey,
    tls,
    indexPrefix,
    maxEvents,
    maxBytes,
    retryMaxDurationMs,
    retentionDays,
    eventTimeWindow: eventTimeWindowFromConfig(config),
  };
}
