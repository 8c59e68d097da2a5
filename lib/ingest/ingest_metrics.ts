/**
 * The ingest service's counters, served on its `/metrics` (Prometheus text through `npm:prom-client`, as the
 * engine's): requests by receiver and status, events by receiver and outcome, events per client address and outcome
 * (the per-source rate: `rate(vigil_ingest_client_events_total{outcome="accepted"}[1m])`; a flooding source shows
 * as its own `dropped` or `refused` rate), UDP drops by reason (the kernel's too, read from Linux), TCP back-pressure pauses, the retry
 * window's evictions and size ({@link AckedRecordWindow}), and the gauges that explain a refusal (events waiting
 * for Kafka, whether Kafka answers).
 *
 * Client labels are bounded: past {@link MAX_CLIENT_LABELS} distinct clients, new ones count as `other`, so a
 * flood from many addresses cannot grow the registry without bound.
 *
 * @module
 */
import client from "prom-client";
import type { AckedRecordWindow, EvictionReason } from "./acked_record_window.ts";

/** Distinct client addresses labelled before new ones are counted as `other`. */
export const MAX_CLIENT_LABELS = 1000;

/** Receivers of the ingest service, as metric labels. */
export type Receiver = "otlp_http" | "es_bulk" | "syslog_tcp" | "syslog_udp";
/**
 * What became of events that reached a receiver; `repeated`: records of a retried request that an earlier attempt
 * had already produced, so they were not produced again.
 */
export type EventOutcome = "accepted" | "refused" | "failed" | "dropped" | "repeated";

/** The ingest service's metrics on their own registry. */
export class IngestMetrics {
  /** The registry `/metrics` serves. */
  readonly registry = new client.Registry();
  readonly #requests: client.Counter<"receiver" | "code">;
  readonly #events: client.Counter<"receiver" | "outcome">;
  readonly #clientEvents: client.Counter<"receiver" | "client" | "outcome">;
  readonly #udpDropped: client.Counter<"reason">;
  readonly #tcpPauses: client.Counter<string>;
  readonly #windowEvicted: client.Counter<"reason">;
  readonly #clients = new Set<string>();
  /** Plain counts of events by outcome, for tests and status lines (the registry is for scrapes). */
  readonly counts: Record<EventOutcome, number> = {
    accepted: 0,
    refused: 0,
    failed: 0,
    dropped: 0,
    repeated: 0,
  };

  /**
   * @param gauges read at each scrape: events waiting for Kafka, whether Kafka answers, open TCP connections, the
   *   HTTP receivers' retry window, and the datagrams the kernel dropped on the UDP socket (undefined: unknown —
   *   no UDP receiver, or not Linux; see udp_kernel_drops.ts)
   */
  constructor(
    gauges: {
      pending: () => number;
      kafkaUp: () => boolean;
      tcpConnections: () => number;
      retryWindow?: AckedRecordWindow;
      udpKernelDrops?: () => number | undefined;
    },
  ) {
    const registers = [this.registry];
    this.#requests = new client.Counter({
      name: "vigil_ingest_requests_total",
      help: "HTTP requests answered by the ingest service, by receiver and status code",
      labelNames: ["receiver", "code"],
      registers,
    });
    this.#events = new client.Counter({
      name: "vigil_ingest_events_total",
      help:
        "Events by receiver and outcome: accepted (Kafka acknowledged), refused (429/503 answered, the client keeps them), failed (a request's records when it was answered 503 after delivery: the client retries it; those Kafka held count as accepted too and are not produced again), dropped (UDP), repeated (a retried request's records Kafka already held: not produced again)",
      labelNames: ["receiver", "outcome"],
      registers,
    });
    this.#clientEvents = new client.Counter({
      name: "vigil_ingest_client_events_total",
      help:
        `Events per client address and outcome, as vigil_ingest_events_total (at most ${MAX_CLIENT_LABELS} addresses, then "other")`,
      labelNames: ["receiver", "client", "outcome"],
      registers,
    });
    let kernelCounted = 0;
    this.#udpDropped = new client.Counter({
      name: "vigil_ingest_udp_dropped_total",
      help:
        "Syslog UDP datagrams dropped, by reason (backlog: too many events waiting for Kafka; kafka: Kafka failing, or its request failed; kernel: the socket's receive buffer was full, counted by Linux before vigil saw them)",
      labelNames: ["reason"],
      registers,
      collect() {
        // The kernel's count only grows while the socket lives: add what it gained since the last scrape.
        const kernel = gauges.udpKernelDrops?.();
        if (kernel !== undefined && kernel > kernelCounted) {
          this.inc({ reason: "kernel" }, kernel - kernelCounted);
          kernelCounted = kernel;
        }
      },
    });
    this.#tcpPauses = new client.Counter({
      name: "vigil_ingest_tcp_pauses_total",
      help: "Times a syslog TCP connection stopped reading until Kafka caught up (back-pressure)",
      registers,
    });
    this.#windowEvicted = new client.Counter({
      name: "vigil_ingest_retry_window_evicted_records_total",
      help:
        "Records the HTTP receivers' retry window forgot, by reason (age: ingest.retryWindowSeconds passed; capacity: ingest.retryWindowRecords reached) — a retry of them is produced again",
      labelNames: ["reason"],
      registers,
    });
    new client.Gauge({
      name: "vigil_ingest_retry_window_records",
      help: "Records of recent HTTP requests whose Kafka acknowledgement the retry window remembers",
      registers,
      collect() {
        gauges.retryWindow?.evict();
        this.set(gauges.retryWindow?.records ?? 0);
      },
    });
    new client.Gauge({
      name: "vigil_ingest_pending_events",
      help: "Events accepted from clients and not yet acknowledged by Kafka",
      registers,
      collect() {
        this.set(gauges.pending());
      },
    });
    new client.Gauge({
      name: "vigil_ingest_kafka_up",
      help: "1 when the last produce request to Kafka succeeded, 0 after a failure",
      registers,
      collect() {
        this.set(gauges.kafkaUp() ? 1 : 0);
      },
    });
    new client.Gauge({
      name: "vigil_ingest_tcp_connections",
      help: "Open syslog TCP connections",
      registers,
      collect() {
        this.set(gauges.tcpConnections());
      },
    });
  }

  /** Counts an answered HTTP request. */
  request(receiver: Receiver, code: number): void {
    this.#requests.inc({ receiver, code: String(code) });
  }

  /**
   * Counts events by outcome and, when the client's address is given, by client.
   *
   * @param clientAddress the sender's address (HTTP client, syslog peer)
   */
  events(receiver: Receiver, outcome: EventOutcome, n: number, clientAddress?: string): void {
    if (n <= 0) return;
    this.counts[outcome] += n;
    this.#events.inc({ receiver, outcome }, n);
    if (clientAddress !== undefined) {
      if (!this.#clients.has(clientAddress) && this.#clients.size < MAX_CLIENT_LABELS) {
        this.#clients.add(clientAddress);
      }
      this.#clientEvents.inc(
        { receiver, client: this.#clients.has(clientAddress) ? clientAddress : "other", outcome },
        n,
      );
    }
  }

  /** Counts a dropped UDP datagram. */
  udpDropped(reason: "backlog" | "kafka"): void {
    this.#udpDropped.inc({ reason });
  }

  /** Counts records the retry window forgot. */
  retryWindowEvicted(reason: EvictionReason, records: number): void {
    this.#windowEvicted.inc({ reason }, records);
  }

  /** Counts a TCP back-pressure pause. */
  tcpPaused(): void {
    this.#tcpPauses.inc();
  }
}
