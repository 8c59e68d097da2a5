/**
 * The ingest service: the HTTP receivers ({@link createIngestHttpApp}: OTLP/HTTP, Elasticsearch `_bulk`) and, when configured, syslog over UDP and
 * TCP, all publishing through one producer path — the producer's {@link EventPublisher} on the one Kafka client
 * ({@link createKafkaProducer}) — behind one {@link IngestGate}; the HTTP receivers share one
 * {@link AckedRecordWindow}, so a client's retry of a request is not produced twice. Started by `deno task ingest`
 * and, with `ingest.enabled`, by `deno task start`.
 *
 * Start-up checks, before anything listens: a token is configured unless every listener is on loopback
 * ({@link assertSafeListen}), and Kafka answers (the topic is ensured, which fails fast; the idempotent client's
 * first send would otherwise hang against an unreachable broker).
 *
 * @module
 */
import type { VigilConfig } from "../config/vigil_config.ts";
import { createKafkaProducer } from "../kafka/kafka_client.ts";
import { EventPublisher } from "../producer/event_publisher.ts";
import { ensureEventTopic } from "../producer/produce_run.ts";
import { assertSafeListen } from "../web/assert_safe_listen.ts";
import { AckedRecordWindow } from "./acked_record_window.ts";
import { createIngestHttpApp } from "./ingest_http_app.ts";
import { IngestGate } from "./ingest_gate.ts";
import { IngestMetrics } from "./ingest_metrics.ts";
import { jsonFieldMapping } from "./json_field_mapping.ts";
import { serveSyslogTcp, serveSyslogUdp, type SyslogTcpReceiver } from "./syslog_receivers.ts";
import { udpKernelDrops } from "./udp_kernel_drops.ts";

/** Options of {@link startIngestService}; ports default to the configuration's (0 = any free port). */
export interface IngestServiceOptions {
  /** Kafka topic. Default config `kafka.topic`. */
  topic?: string;
  httpPort?: number;
  /** Syslog UDP port; `undefined` = config `ingest.syslogUdpPort` (none when unset there too). */
  syslogUdpPort?: number;
  syslogTcpPort?: number;
}

/** A running ingest service. */
export interface IngestService {
  /** Where each receiver listens. */
  readonly addresses: { http: string; syslogTcp?: string; syslogUdp?: string };
  readonly httpPort: number;
  readonly syslogTcpPort?: number;
  readonly syslogUdpPort?: number;
  readonly metrics: IngestMetrics;
  readonly gate: IngestGate;
  /** What the HTTP receivers remember of recent requests, so a client's retry is not produced twice. */
  readonly retryWindow: AckedRecordWindow;
  /**
   * Stops listening, waits for held events (bounded by the ack timeout), flushes and closes the producer; a
   * second call waits for the first.
   */
  close(): Promise<void>;
}

/**
 * Starts the ingest service (see module doc).
 *
 * @throws {RangeError} when listening beyond loopback without a token; `KafkaUnavailableError` when
 *   Kafka cannot be reached
 */
export async function startIngestService(
  config: VigilConfig,
  options: IngestServiceOptions = {},
): Promise<IngestService> {
  const cfg = config.ingest;
  const token = cfg.accessToken ?? config.web.accessToken;
  try {
    assertSafeListen(cfg.host, token);
  } catch {
    throw new RangeError(
      `Cannot listen on ${cfg.host} without an access token: set ingest.accessToken (VIGIL_INGEST_ACCESS_TOKEN, at least 16 characters) or listen on 127.0.0.1`,
    );
  }
  const topic = options.topic ?? config.kafka.topic;
  await ensureEventTopic(config, topic, config.kafka.partitions);
  const producer = createKafkaProducer(config, { clientId: `${config.kafka.clientId}-ingest` });
  const publisher = new EventPublisher(producer, {
    topic,
    keyFields: config.kafka.keyFields,
    batchSize: config.kafka.producerBatchSize,
    lingerMs: config.kafka.producerLingerMs,
    maxInFlight: config.kafka.producerMaxInFlight,
  });
  const gate = new IngestGate(publisher, {
    maxPendingEvents: cfg.maxPendingEvents,
    ackTimeoutMs: cfg.ackTimeoutMs,
  });
  let tcp: SyslogTcpReceiver | undefined;
  const retryWindow = new AckedRecordWindow({
    maxRecords: cfg.retryWindowRecords,
    maxAgeMs: cfg.retryWindowSeconds * 1000,
    onEvict: (reason, records) => metrics.retryWindowEvicted(reason, records),
  });
  let udpBound: number | undefined;
  const metrics = new IngestMetrics({
    pending: () => gate.pending,
    kafkaUp: () => gate.kafkaUp,
    tcpConnections: () => tcp?.connections ?? 0,
    retryWindow,
    udpKernelDrops: () => udpBound === undefined ? undefined : udpKernelDrops(udpBound),
  });
  const stop = new AbortController();
  const app = createIngestHttpApp({
    gate,
    metrics,
    retryWindow,
    accessToken: token,
    maxBodyBytes: cfg.maxBodyBytes,
    maxChars: cfg.maxFrameBytes,
    retryAfterSeconds: cfg.retryAfterSeconds,
    fieldMapping: jsonFieldMapping(cfg.fieldMapping),
  });
  const receiverOptions = { gate, metrics, maxFrameBytes: cfg.maxFrameBytes, signal: stop.signal };
  const closers: (() => Promise<void>)[] = [];
  let closing: Promise<void> | undefined;
  try {
    const server = Deno.serve(
      { hostname: cfg.host, port: options.httpPort ?? cfg.port, onListen: () => {} },
      app.fetch,
    );
    closers.push(() => server.shutdown());
    const tcpPort = options.syslogTcpPort ?? cfg.syslogTcpPort;
    let tcpBound: number | undefined;
    if (tcpPort !== undefined) {
      const listener = Deno.listen({ hostname: cfg.host, port: tcpPort, transport: "tcp" });
      tcpBound = listener.addr.port;
      tcp = serveSyslogTcp(listener, receiverOptions);
      const running = tcp;
      closers.push(() => running.done);
    }
    const udpPort = options.syslogUdpPort ?? cfg.syslogUdpPort;
    if (udpPort !== undefined) {
      const udp = await serveSyslogUdp(cfg.host, udpPort, receiverOptions);
      udpBound = udp.port;
      closers.push(() => udp.done);
    }
    const httpPort = server.addr.port;
    const host = cfg.host.includes(":") ? `[${cfg.host}]` : cfg.host;
    return {
      addresses: {
        http: `http://${host}:${httpPort}`,
        ...(tcpBound === undefined ? {} : { syslogTcp: `tcp://${host}:${tcpBound}` }),
        ...(udpBound === undefined ? {} : { syslogUdp: `udp://${host}:${udpBound}` }),
      },
      httpPort,
      syslogTcpPort: tcpBound,
      syslogUdpPort: udpBound,
      metrics,
      gate,
      retryWindow,
      close() {
        closing ??= (async () => {
          stop.abort();
          await Promise.allSettled(closers.map((c) => c()));
          await publisher.flush();
          await producer.close();
        })();
        return closing;
      },
    };
  } catch (err) {
    stop.abort();
    await Promise.allSettled(closers.map((c) => c()));
    await producer.close();
    throw err;
  }
}
