/**
 * The ingest service's counters, served on its `/metrics` (Prometheus text through `npm:prom-client`, as the
 * engine's): requests by receiver and status, events by receiver and outcome, events per client (the per-source
 * rate: `rate(vigil_ingest_client_events_total[1m])`), UDP drops by reason, TCP back-pressure pauses, and the
 * gauges that explain a refusal (events waiting for Kafka, whether Kafka answers).
 *
 * Client labels are bounded: past {@link MAX_CLIENT_LABELS} distinct clients, new ones count as `other`, so a
 * flood from many addresses cannot grow the registry without bound.
 *
 * @module
 */
import client from "prom-client";

/** Distinct client addresses labelled before new ones are counted as `other`. */
export const MAX_CLIENT_LABELS = 1000;

/** Receivers of the ingest service, as metric labels. */
export type Receiver = "otlp_http" | "es_bulk" | "syslog_tcp" | "syslog_udp";
/** What became of events that reached a receiver. */
export type EventOutcome = "accepted" | "refused" | "failed" | "dropped";

/** The ingest service's metrics on their own registry. */
export class IngestMetrics {
  /** The registry `/metrics` serves. */
  readonly registry = new client.Registry();
  readonly #requests: client.Counter<"receiver" | "code">;
  readonly #events: client.Counter<"receiver" | "outcome">;
  readonly #clientEvents: client.Counter<"receiver" | "client">;
  readonly #udpDropped: client.Counter<"reason">;
  readonly #tcpPauses: client.Counter<string>;
  readonly #clients = new Set<string>();
  /** Plain counts of events by outcome, for tests and status lines (the registry is for scrapes). */
  readonly counts: Record<EventOutcome, number> = { accepted: 0, refused: 0, failed: 0, dropped: 0 };

  /**
   * @param gauges read at each scrape: events waiting for Kafka, whether Kafka answers, open TCP connections
   */
  constructor(gauges: { pending: () => number; kafkaUp: () => boolean; tcpConnections: () => number }) {
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
        "Events by receiver and outcome: accepted (Kafka acknowledged), refused (429/503 answered, the client keeps them), failed (Kafka failed; the client was told), dropped (UDP)",
      labelNames: ["receiver", "outcome"],
      registers,
    });
    this.#clientEvents = new client.Counter({
      name: "vigil_ingest_client_events_total",
      help: `Events accepted per client address (at most ${MAX_CLIENT_LABELS} addresses, then "other")`,
      labelNames: ["receiver", "client"],
      registers,
    });
    this.#udpDropped = new client.Counter({
      name: "vigil_ingest_udp_dropped_total",
      help:
        "Syslog UDP datagrams dropped, by reason (backlog: too many events waiting for Kafka; kafka: Kafka failing, or its request failed)",
      labelNames: ["reason"],
      registers,
    });
    this.#tcpPauses = new client.Counter({
      name: "vigil_ingest_tcp_pauses_total",
      help: "Times a syslog TCP connection stopped reading until Kafka caught up (back-pressure)",
      registers,
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

  /** Counts events by outcome (and, when accepted, by client). */
  events(receiver: Receiver, outcome: EventOutcome, n: number, clientAddress?: string): void {
    if (n <= 0) return;
    this.counts[outcome] += n;
    this.#events.inc({ receiver, outcome }, n);
    if (outcome === "accepted" && clientAddress !== undefined) {
      if (!this.#clients.has(clientAddress) && this.#clients.size < MAX_CLIENT_LABELS) {
        this.#clients.add(clientAddress);
      }
      this.#clientEvents.inc(
        { receiver, client: this.#clients.has(clientAddress) ? clientAddress : "other" },
        n,
      );
    }
  }

  /** Counts a dropped UDP datagram. */
  udpDropped(reason: "backlog" | "kafka"): void {
    this.#udpDropped.inc({ reason });
  }

  /** Counts a TCP back-pressure pause. */
  tcpPaused(): void {
    this.#tcpPauses.inc();
  }
}
