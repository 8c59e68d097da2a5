/**
 * vigil's one typed configuration: `vigil.config.json` (optional) validated by a schema, every value
 * overridable by an environment variable. Defaults point at the local stack started by `deno task stack up`.
 *
 * Environment variables: `VIGIL_<PATH>` where PATH is the key path in upper snake case, e.g.
 * `kafka.brokers` → `VIGIL_KAFKA_BROKERS` (comma-separated for lists), `hot.url` → `VIGIL_HOT_URL`,
 * `s3.accessKeyId` → `VIGIL_S3_ACCESS_KEY_ID`. Numbers and booleans are parsed by the schema. A secret
 * (`password`, `apiKey`, `secretAccessKey`, `accessToken` keys) may instead be read from the file named by the
 * same variable with `_FILE` appended, e.g. `VIGIL_KAFKA_SASL_PASSWORD_FILE=/run/secrets/kafka`.
 *
 * @module
 */
import { z } from "zod";
import { SECRET_KEYS } from "./redact_secrets.ts";

const port = z.coerce.number().int().min(1).max(65535);
const positiveInt = z.coerce.number().int().positive();
const bool = z.union([
  z.boolean(),
  z.enum(["true", "false", "1", "0"]).transform((s) => s === "true" || s === "1"),
]);
const list = z.union([
  z.array(z.string().min(1)).min(1),
  z.string().min(1).transform((s) => s.split(",").map((x) => x.trim()).filter((x) => x.length > 0)),
]);

/** Mailbox settings of one pipeline edge. */
export const MailboxConfigSchema = z.object({
  capacity: positiveInt.default(4096),
  whenFull: z.enum(["block", "drop_newest", "drop_oldest"]).default("block"),
});

/**
 * TLS settings of a connection: a private CA bundle (PEM; trusted instead of the system's CAs, as a Kafka
 * truststore is — leave it unset for a publicly signed cluster), an optional client certificate and key (PEM,
 * mutual TLS), and certificate verification — on unless explicitly turned off (then loudly logged).
 */
export const TlsConfigSchema = z.object({
  caFile: z.string().min(1).optional(),
  certFile: z.string().min(1).optional(),
  keyFile: z.string().min(1).optional(),
  rejectUnauthorized: bool.default(true),
}).prefault({});

/** Schema of the whole configuration, with defaults for the local stack. */
export const VigilConfigSchema = z.object({
  kafka: z.object({
    brokers: list.default(["127.0.0.1:9092"]),
    topic: z.string().min(1).default("vigil.events"),
    partitions: positiveInt.default(4),
    groupId: z.string().min(1).default("vigil-engine"),
    clientId: z.string().min(1).default("vigil"),
    fromBeginning: bool.default(true),
    /** How an event's Kafka key is built from its fields. */
    keyFields: list.default(["host", "component"]),
    /** Record-batch compression of the producer (see bench/README.md "Kafka client"). */
    compression: z.enum(["none", "gzip", "snappy", "lz4", "zstd"]).default("zstd"),
    /** Events per produce request sent by vigil's producer. */
    producerBatchSize: positiveInt.default(2000),
    /** How long the producer waits for a batch to fill before sending it anyway, in ms. */
    producerLingerMs: z.coerce.number().int().min(0).max(60_000).default(5),
    /** Produce requests the producer keeps in flight at once (Kafka allows ≤ 5 with idempotence). */
    producerMaxInFlight: z.coerce.number().int().min(1).max(5).default(4),
    /**
     * Most bytes (compressed record batches) one consumer fetch returns over all partitions. The client decodes
     * a whole response into memory ahead of the pipeline, so this — not `delivery.maxInFlight` — bounds what a
     * large backlog costs; the library's default (50 MiB ≈ half a million events) made RSS follow the lag.
     */
    fetchMaxBytes: positiveInt.default(2 * 1024 * 1024),
    /** Most bytes one consumer fetch returns per partition. */
    fetchMaxBytesPerPartition: positiveInt.default(512 * 1024),
    /**
     * Kafka's `security.protocol`, for every client vigil opens (producer, engine consumer, DLQ and live-topic
     * producers, admin): `ssl` and `sasl_ssl` use TLS (`kafka.ssl`), `sasl_*` authenticate with `kafka.sasl`.
     */
    securityProtocol: z.enum(["plaintext", "ssl", "sasl_plaintext", "sasl_ssl"]).default("plaintext"),
    /** TLS to the brokers (with `securityProtocol` `ssl` or `sasl_ssl`). */
    ssl: TlsConfigSchema,
    /** SASL authentication (with `securityProtocol` `sasl_plaintext` or `sasl_ssl`). */
    sasl: z.object({
      mechanism: z.enum(["plain", "scram-sha-256", "scram-sha-512"]).default("scram-sha-512"),
      username: z.string().min(1).optional(),
      /** A secret: set it with `VIGIL_KAFKA_SASL_PASSWORD` or `VIGIL_KAFKA_SASL_PASSWORD_FILE`. */
      password: z.string().min(1).optional(),
    }).prefault({}),
  }).prefault({}),
  producer: z.object({
    /** Lines longer than this many bytes are cut and flagged `truncated`. */
    maxLineBytes: positiveInt.default(65_536),
    /** The `host` of produced events; the machine's host name when unset. */
    host: z.string().min(1).max(512).optional(),
    /**
     * `deno task start --input`'s default for `--retime`: `now` plays a replayed file as if it were happening
     * now (at its own pace × `--replay-speed`, the original time kept in `fields.originalTs`), so it shows in the
     * dashboard's default "last 15 minutes"; `off` keeps the file's own dates. `--retime` or `--rate` on the
     * command line wins.
     */
    retime: z.enum(["off", "now"]).default("off"),
  }).prefault({}),
  hot: z.object({
    kind: z.enum(["opensearch", "elasticsearch"]).default("opensearch"),
    url: z.url().default("http://127.0.0.1:9200"),
    username: z.string().optional(),
    password: z.string().optional(),
    /** Elasticsearch API key (the base64 `id:api_key` form), sent as `Authorization: ApiKey …`; a secret. */
    apiKey: z.string().min(1).optional(),
    /** TLS to an `https://` cluster: private CA, client certificate. */
    tls: TlsConfigSchema,
    indexPrefix: z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/, "lowercase letters, digits, _ . -").default(
      "vigil",
    ),
    /** Most events per bulk request. */
    maxEvents: positiveInt.default(1000),
    /** Most NDJSON bytes per bulk request. */
    maxBytes: positiveInt.default(5 * 1024 * 1024),
    /** Bulk requests in flight at once (the engine prepares the next while the cluster indexes one). */
    concurrency: z.coerce.number().int().min(1).max(16).default(2),
    /** How long transient failures are retried before the hot tier is reported unhealthy (it keeps retrying). */
    retryMaxDurationMs: positiveInt.default(60_000),
    /**
     * Days after its creation a daily `<prefix>-events-*` index is deleted (ISM / ILM policy, or the sink's own
     * sweep on a cluster without ISM); fractions allowed; 0 keeps indices for ever.
     */
    retentionDays: z.coerce.number().min(0).default(7),
  }).prefault({}),
  /** Cold tier (Parquet on the S3 of `s3`): batching suited to object storage. */
  cold: z.object({
    /** Flush when this many events are buffered. */
    maxEvents: positiveInt.default(100_000),
    /** Flush when this many bytes (approximate) are buffered. */
    maxBytes: positiveInt.default(64 * 1024 * 1024),
    /** Flush this long after the first buffered event, in ms (also bounds how late offsets are committed). */
    timeoutMs: positiveInt.default(300_000),
    /** Width of the fixed offset windows that cut objects per partition. */
    offsetWindow: positiveInt.default(100_000),
    /** How long transient failures are retried before the cold tier is reported unhealthy (it keeps retrying). */
    retryMaxDurationMs: positiveInt.default(60_000),
    /**
     * Days of event time the cold tier keeps: `deno task compact` deletes the `dt=/hour=` partitions whose hour
     * ended longer ago; 0 (default) keeps the archive for ever.
     */
    retentionDays: z.coerce.number().min(0).default(0),
    /**
     * The engine's compaction actor (`actors/cold_compaction/cold_compaction_actor.ts`): retention, then hour
     * and day compaction, every `intervalMs`. Enable it on one engine of a group only: two passes over the same
     * day at once can race.
     */
    compaction: z.object({
      /** Run the lifecycle in the engine (`deno task compact` runs it by hand either way). */
      enabled: bool.default(false),
      /** Pause between two passes, in ms. */
      intervalMs: positiveInt.default(3_600_000),
      /** Hours (days) are compacted once they ended this many hours ago; keep it above `cold.timeoutMs`. */
      minAgeHours: z.coerce.number().min(0).default(2),
      /** Size a day object aims at, in MiB. */
      targetMiB: z.coerce.number().positive().default(64),
    }).prefault({}),
  }).prefault({}),
  /** Delivery guarantees of the Kafka source. */
  delivery: z.object({
    /** How often offsets done in both tiers are committed, in ms. */
    commitIntervalMs: positiveInt.default(1000),
    /** Most events consumed but not yet in both tiers; the source pauses beyond it. */
    maxInFlight: positiveInt.default(200_000),
    /**
     * Most bytes (Kafka message values) consumed but not yet in both tiers; the source pauses beyond it, like
     * `maxInFlight`. Counts alone let large events multiply memory: 200 000 lines of 64 KiB are 12 GiB. The
     * default is what `maxInFlight` holds of typical events (~650 bytes), so it binds for large ones only. It
     * also caps `cold.maxBytes` at half of it, so the cold tier's buffer is written before it stops the source.
     */
    maxInFlightBytes: positiveInt.default(128 * 1024 * 1024),
    /** A group member silent this long is declared dead and its partitions move (broker allows 6 s–30 min). */
    sessionTimeoutMs: z.coerce.number().int().min(6000).max(1_800_000).default(15_000),
    /**
     * An event neither acknowledged by both tiers nor dead-lettered this long after it was consumed is reported
     * as a stall (log line, engine `/health` and `/metrics`), ms. Keep it above `cold.timeoutMs`, which holds
     * acknowledgements back by design.
     */
    stallAgeMs: positiveInt.default(600_000),
    /**
     * Cap of one dead-letter envelope (and of one produce request to `<topic>.dlq`), bytes. A larger original
     * is kept as a prefix, flagged `truncated` with its full size. Keep it below the DLQ topic's
     * `max.message.bytes` (Kafka's default is 1 MiB) minus a few KiB for key and headers.
     */
    deadLetterMaxBytes: z.coerce.number().int().min(32 * 1024).default(512 * 1024),
    /** Tries of one dead-letter write before the source pauses and `/health` reports the DLQ blocked. */
    deadLetterAttempts: positiveInt.default(5),
    /** While the DLQ is blocked, how often a waiting dead letter is tried again, ms. */
    deadLetterProbeMs: positiveInt.default(30_000),
    /**
     * Event times are clamped into `[ingestTs − eventTimeMaxAgeDays, ingestTs + eventTimeMaxAheadHours]` to
     * pick the hot tier's daily index and the cold tier's dt/hour partition (the document keeps its own `ts`),
     * so garbled or hostile timestamps cannot create one index per day they name. It bounds the daily indices
     * one ingest day can touch to about `eventTimeMaxAgeDays + 2`. Default (unset): `hot.retentionDays` (7),
     * as older indices would be deleted anyway; 7305 (20 years) when the hot tier keeps everything. Set it
     * wider to keep an archive's own dates in index names (e.g. 7305 for the Loghub sets).
     */
    eventTimeMaxAgeDays: positiveInt.optional(),
    /** See `eventTimeMaxAgeDays`: how far after its ingest time an event may be routed, hours. */
    eventTimeMaxAheadHours: positiveInt.default(24),
  }).prefault({}),
  s3: z.object({
    endpoint: z.url().default("http://127.0.0.1:7070"),
    region: z.string().min(1).default("us-east-1"),
    bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "an S3 bucket name").default("vigil"),
    prefix: z.string().default(""),
    accessKeyId: z.string().min(1).default("vigil"),
    secretAccessKey: z.string().min(1).default("vigil-local-secret"),
    forcePathStyle: bool.default(true),
    /** TLS of an `https://` endpoint: a private CA, a client certificate. */
    tls: TlsConfigSchema,
  }).prefault({}),
  web: z.object({
    host: z.string().min(1).default("127.0.0.1"),
    port: port.default(8080),
    /** Required on every request when set; mandatory when `host` is not loopback (at least 16 characters). */
    accessToken: z.string().min(16, "at least 16 characters").optional(),
    /** Host names (besides loopback and `host`) accepted without a token: DNS-rebinding protection. */
    allowedHosts: z.union([
      z.array(z.string()),
      z.string().transform((s) => s.split(",").map((x) => x.trim())),
    ])
      .default([]),
    /** Per-SSE-client queue (frames); a slower browser loses its oldest frames. */
    sseClientCapacity: positiveInt.default(256),
    /** SSE streams (dashboard tabs) open at once; more are refused with 503 and Retry-After. */
    sseMaxClients: positiveInt.default(100),
    /** A write to an SSE client that waits this long (it stopped reading) drops the client, ms. */
    sseWriteTimeoutMs: positiveInt.default(10_000),
    /** POSTs (incident actions, mutes, undo) one client address may make at once; more get 429. */
    postBurst: positiveInt.default(20),
    /** POSTs per second one client address may sustain once its burst is spent. */
    postPerSecond: z.coerce.number().positive().default(2),
    /** Kafka topic of live frames (per-second aggregates and alerts) that engines publish and web servers fan out. */
    liveTopic: z.string().min(1).default("vigil.live"),
    /** Where `deno task web` gets live frames: the live topic, or by polling the hot tier for new events. */
    liveSource: z.enum(["kafka", "hot-tier"]).default("hot-tier"),
    /**
     * Longest the explorer waits for the archive (cold tier) part of a range older than the hot window
     * (`hot.retentionDays`), ms; past it the page shows the hot part and says the archive part is missing.
     */
    archiveTimeoutMs: positiveInt.default(5_000),
  }).prefault({}),
  /** The ingest service (`deno task ingest`, lib/ingest): OTLP/HTTP logs and syslog into Kafka. */
  ingest: z.object({
    /** Whether `deno task start` also runs the ingest service. */
    enabled: bool.default(false),
    host: z.string().min(1).default("127.0.0.1"),
    /** HTTP port (OTLP/HTTP `POST /v1/logs`, `/metrics`, `/healthz`); 4318 is OTLP/HTTP's registered port. */
    port: port.default(4318),
    /** Bearer token required on every HTTP request; mandatory beyond loopback. Default: `web.accessToken`. */
    accessToken: z.string().min(16, "at least 16 characters").optional(),
    /** Syslog over UDP on this port (on `host`); off when unset. */
    syslogUdpPort: port.optional(),
    /** Syslog over TCP on this port (on `host`, octet-counting or newline framing); off when unset. */
    syslogTcpPort: port.optional(),
    /** Largest HTTP body accepted, compressed and inflated alike, bytes; larger gets 413. */
    maxBodyBytes: positiveInt.default(8 * 1024 * 1024),
    /** Largest syslog message (TCP frame or UDP datagram) kept whole, bytes; longer ones are cut (`truncated`). */
    maxFrameBytes: positiveInt.default(65_536),
    /** Events accepted but not yet acknowledged by Kafka; beyond it HTTP answers 429 and TCP stops reading. */
    maxPendingEvents: positiveInt.default(50_000),
    /** A request whose events Kafka has not acknowledged after this long is answered 503, ms. */
    ackTimeoutMs: positiveInt.default(30_000),
    /** The `Retry-After` (seconds) of 429 / 503 answers. */
    retryAfterSeconds: positiveInt.default(5),
    /**
     * HTTP receivers: records of recent requests whose Kafka acknowledgement is remembered, so that a client's
     * retry of the same request is not produced twice (lib/ingest/acked_record_window.ts); oldest forgotten first.
     */
    retryWindowRecords: positiveInt.default(1_000_000),
    /** How long a request is remembered for its retries after it was last seen, seconds. */
    retryWindowSeconds: positiveInt.default(600),
    /**
     * `_bulk` documents: per event field, document paths tried before the ECS defaults (lib/ingest/json_field_mapping.ts),
     * e.g. `{"message": ["msg_text"], "host": ["origin.server"]}` or `VIGIL_INGEST_FIELD_MAPPING_MESSAGE=msg_text`.
     */
    fieldMapping: z.object({
      timestamp: list.optional(),
      message: list.optional(),
      level: list.optional(),
      host: list.optional(),
      component: list.optional(),
    }).prefault({}),
  }).prefault({}),
  engine: z.object({
    mailbox: MailboxConfigSchema.prefault({}),
    shutdownDeadlineMs: positiveInt.default(30_000),
    classifierWorkers: positiveInt.default(2),
    metricsPort: port.default(9464),
  }).prefault({}),
  /** The classifier (lib/classification): model, micro-batching, persisted state. Labels come from `incidents`. */
  classifier: z.object({
    /** The ONNX model; its `.meta.json` sits beside it. Default: the shipped `models/classifier.onnx`. */
    modelPath: z.string().min(1).optional(),
    /** Most events per micro-batch sent to a worker (what the mailbox has queued, up to this). */
    batchSize: positiveInt.default(256),
    /** Micro-batches in flight across the pool (the backpressure window); default 4 × workers. */
    maxInFlight: positiveInt.optional(),
    /** Where templates persist, and online + detection state and suppressions unless `incidents.dataDir` is set. */
    dataDir: z.string().min(1).default(".vigil/classifier"),
    /** How often the online state is written to `dataDir`, ms. */
    stateSaveIntervalMs: positiveInt.default(60_000),
  }).prefault({}),
  /** Incidents (lib/incidents): detectors, grouping, auto-resolve, notifications. */
  incidents: z.object({
    /** An incident with no new event for this long (event time) resolves itself, ms. */
    quietMs: positiveInt.default(300_000),
    /** Rate detector bucket, ms (event time). */
    rateBucketMs: positiveInt.default(2_000),
    /** ONNX score from which the model detector flags a rare line, in (0, 1]. */
    modelThreshold: z.coerce.number().gt(0).max(1).default(0.9),
    /** Where detector state and suppressions persist (JSON files); default: the classifier's `dataDir`. */
    dataDir: z.string().min(1).optional(),
    /** Webhook notifications (JSON POST on open, escalation and resolve); none when unset. */
    webhookUrl: z.url().optional(),
    /** `generic` (the incident document) or `slack` (Slack-compatible `{text, blocks}`). */
    webhookFormat: z.enum(["generic", "slack"]).default("generic"),
    /** Per-request timeout of a webhook call, ms. */
    webhookTimeoutMs: positiveInt.default(5_000),
    /** Notifications queued for the webhook before the oldest are dropped (counted). */
    webhookQueueCapacity: positiveInt.default(1_000),
    /** Most attempts per notification (with exponential backoff). */
    webhookMaxAttempts: positiveInt.default(8),
  }).prefault({}),
});

/** vigil's validated configuration. */
export type VigilConfig = z.infer<typeof VigilConfigSchema>;

/** Thrown when the configuration is invalid; the message names each bad key and the expected form. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

/** The environment variable of a key path: `["kafka", "ssl", "caFile"]` → `VIGIL_KAFKA_SSL_CA_FILE`. */
export function envName(path: readonly string[]): string {
  return "VIGIL_" + path.map((p) => p.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase()).join("_");
}

/** Walks the schema's shape and collects `VIGIL_*` overrides into a nested object. */
function envOverrides(env: Record<string, string | undefined>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const walk = (shape: Record<string, z.ZodType>, path: string[], target: Record<string, unknown>) => {
    for (const [key, schema] of Object.entries(shape)) {
      const inner = unwrap(schema);
      if (inner instanceof z.ZodObject) {
        const child: Record<string, unknown> = {};
        walk(inner.shape as Record<string, z.ZodType>, [...path, key], child);
        if (Object.keys(child).length > 0) target[key] = child;
      } else {
        const name = envName([...path, key]);
        const value = env[name] ?? (SECRET_KEYS.has(key) ? secretFromFile(env, `${name}_FILE`) : undefined);
        if (value !== undefined) target[key] = value;
      }
    }
  };
  walk(VigilConfigSchema.shape as Record<string, z.ZodType>, [], out);
  return out;
}

/**
 * A secret read from the file a `*_FILE` variable names (Docker / Kubernetes secrets), trailing newline dropped.
 * @throws {ConfigError} naming the variable when the file cannot be read
 */
function secretFromFile(env: Record<string, string | undefined>, variable: string): string | undefined {
  const file = env[variable];
  if (file === undefined) return undefined;
  try {
    return Deno.readTextFileSync(file).replace(/\r?\n$/, "");
  } catch (err) {
    throw new ConfigError(
      `Invalid configuration: cannot read ${variable} (${file}): ${(err as Error).message}`,
    );
  }
}

/** Rules that span keys: what a security protocol needs, a client certificate with its key. */
function crossKeyIssues(config: VigilConfig): { path: string[]; message: string }[] {
  const issues: { path: string[]; message: string }[] = [];
  const { securityProtocol, sasl } = config.kafka;
  if (securityProtocol.startsWith("sasl_")) {
    for (const key of ["username", "password"] as const) {
      if (sasl[key] === undefined) {
        issues.push({
          path: ["kafka", "sasl", key],
          message: `required with securityProtocol ${securityProtocol}`,
        });
      }
    }
  }
  const tlsSettings = [
    [["kafka", "ssl"], config.kafka.ssl],
    [["hot", "tls"], config.hot.tls],
    [["s3", "tls"], config.s3.tls],
  ] as const;
  for (const [path, tls] of tlsSettings) {
    if ((tls.certFile === undefined) !== (tls.keyFile === undefined)) {
      const missing = tls.certFile === undefined ? "certFile" : "keyFile";
      issues.push({
        path: [...path, missing],
        message: "a client certificate needs both certFile and keyFile",
      });
    }
  }
  if (config.hot.apiKey !== undefined && config.hot.kind !== "elasticsearch") {
    issues.push({
      path: ["hot", "apiKey"],
      message: "API keys are Elasticsearch's: set hot.kind to elasticsearch",
    });
  }
  if (config.hot.apiKey !== undefined && config.hot.username !== undefined) {
    issues.push({ path: ["hot", "apiKey"], message: "set either apiKey or username/password, not both" });
  }
  return issues;
}

function unwrap(schema: z.ZodType): z.ZodType {
  let s: z.ZodType = schema;
  // Defaults, prefaults and optionals wrap the object schema we need to descend into.
  while (s instanceof z.ZodDefault || s instanceof z.ZodPrefault || s instanceof z.ZodOptional) {
    s = (s as unknown as { unwrap(): z.ZodType }).unwrap();
  }
  return s;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    out[k] = isPlainObject(v) && isPlainObject(out[k]) ? deepMerge(out[k] as Record<string, unknown>, v) : v;
  }
  return out;
}

/**
 * Validates a raw configuration object merged with environment overrides.
 *
 * @param raw the parsed config file (or `{}`)
 * @param env environment variables (defaults to none)
 * @returns the validated configuration
 * @throws {ConfigError} naming each invalid key, its environment variable and the expected form
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseConfig } from "./vigil_config.ts";
 * const config = parseConfig({}, { VIGIL_KAFKA_BROKERS: "10.0.0.1:9092,10.0.0.2:9092" });
 * assert.deepEqual(config.kafka.brokers, ["10.0.0.1:9092", "10.0.0.2:9092"]);
 * ```
 */
export function parseConfig(raw: unknown, env: Record<string, string | undefined> = {}): VigilConfig {
  if (!isPlainObject(raw)) throw new ConfigError("Invalid configuration: the file must hold a JSON object");
  const merged = deepMerge(raw, envOverrides(env));
  const result = VigilConfigSchema.safeParse(merged);
  const issues = result.success
    ? crossKeyIssues(result.data)
    : result.error.issues.map((issue) => ({ path: issue.path.map(String), message: issue.message }));
  if (result.success && issues.length === 0) return result.data;
  const lines = issues.map(({ path, message }) => `  - ${path.join(".")} (env ${envName(path)}): ${message}`);
  throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
}

/**
 * Loads `vigil.config.json` (or the file named by `VIGIL_CONFIG`) if present, applies `VIGIL_*` environment
 * overrides, and validates the result.
 *
 * @throws {ConfigError} when the file is not JSON or a value is invalid
 */
export async function loadConfig(
  path = Deno.env.get("VIGIL_CONFIG") ?? "vigil.config.json",
): Promise<VigilConfig> {
  let raw: unknown = {};
  try {
    raw = JSON.parse(await Deno.readTextFile(path));
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) {
      throw new ConfigError(`Cannot read configuration file ${path}: ${(err as Error).message}`);
    }
  }
  return parseConfig(raw, Deno.env.toObject());
}

/**
 * {@link loadConfig} for command-line entry points: an invalid configuration prints its message (each bad key,
 * its variable and the expected form — no stack trace) and exits with status 2.
 */
export async function loadConfigOrExit(): Promise<VigilConfig> {
  try {
    return await loadConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(`vigil: ${err.message}`);
    Deno.exit(2);
  }
}
