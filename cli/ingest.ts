/**
 * `deno task ingest`: the ingest service — OTLP/HTTP logs, Elasticsearch `_bulk` and syslog (UDP, TCP) into Kafka as `LogEvent`s, each
 * request or TCP read acknowledged only after Kafka acknowledged its events. See `--help`.
 *
 * Exit codes: 0 stopped by Ctrl-C / SIGTERM; 1 cannot start (Kafka unreachable, port taken, no token beyond
 * loopback); 2 a bad command line (unknown option, bad port).
 *
 * @module
 */
import { loadConfig } from "../lib/config/vigil_config.ts";
import { redactError, secretsOf } from "../lib/config/redact_secrets.ts";
import { handleArgs, parseCliArgs, UsageError } from "../lib/cli/cli_args.ts";
import { startIngestService } from "../lib/ingest/ingest_service.ts";

const HELP = `Usage: deno task ingest [options]

Receives logs from the shippers people already run and publishes them to Kafka:
  POST /v1/logs          OTLP/HTTP logs (protobuf or JSON, gzip or not): an OpenTelemetry SDK or Collector
  POST /_bulk            Elasticsearch-bulk-compatible (NDJSON, ECS/Winlogbeat fields; GET / answers the probe):
                         any shipper with an Elasticsearch output (Filebeat, Winlogbeat, Fluent Bit, Vector...)
  syslog UDP / TCP       RFC 5424 and RFC 3164; TCP with octet counting or newline framing
  GET /metrics           Prometheus counters (requests, events by outcome and client, drops, back-pressure)

Options:
  --port N               HTTP port (default: config ingest.port, 4318)
  --syslog-udp N         listen for syslog over UDP on port N (default: config ingest.syslogUdpPort, off)
  --syslog-tcp N         listen for syslog over TCP on port N (default: config ingest.syslogTcpPort, off)
  --topic NAME           Kafka topic (default: config kafka.topic)
  -h, --help             this help

Listens on ingest.host (default 127.0.0.1); beyond loopback a bearer token is required: ingest.accessToken
(VIGIL_INGEST_ACCESS_TOKEN, default web.accessToken). Limits: ingest.maxBodyBytes, ingest.maxFrameBytes,
ingest.maxPendingEvents, ingest.ackTimeoutMs; a client's retry of a request is not stored twice within
ingest.retryWindowRecords / ingest.retryWindowSeconds; _bulk field mapping: ingest.fieldMapping
(vigil.config.json or VIGIL_INGEST_* variables).

Examples:
  deno task ingest --syslog-udp 5514 --syslog-tcp 5514
  logger --server 127.0.0.1 --port 5514 --tcp --rfc5424 "hello from logger"
  OTEL_EXPORTER_OTLP_LOGS_ENDPOINT=http://127.0.0.1:4318/v1/logs python app.py
`;

/** The parsed command line. */
interface IngestArgs {
  topic?: string;
  httpPort?: number;
  syslogUdpPort?: number;
  syslogTcpPort?: number;
}

function port(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new UsageError(
      `--${name} must be a port number (0–65535): current value is ${JSON.stringify(value)}`,
    );
  }
  return n;
}

/** Parses `deno task ingest`'s options. @throws {UsageError} on a bad command line. */
export function parseIngestArgs(args: readonly string[]): IngestArgs {
  const { values: v } = parseCliArgs({
    args: [...args],
    options: {
      port: { type: "string" },
      "syslog-udp": { type: "string" },
      "syslog-tcp": { type: "string" },
      topic: { type: "string" },
    },
  });
  return {
    topic: v.topic,
    httpPort: port("port", v.port),
    syslogUdpPort: port("syslog-udp", v["syslog-udp"]),
    syslogTcpPort: port("syslog-tcp", v["syslog-tcp"]),
  };
}

async function main(): Promise<number> {
  const parsed = handleArgs("ingest", HELP, Deno.args, parseIngestArgs);
  if ("exit" in parsed) return parsed.exit;
  const config = await loadConfig();
  let service;
  try {
    service = await startIngestService(config, parsed.args);
  } catch (err) {
    console.error(`ingest: cannot start: ${redactError(err, secretsOf(config))}`);
    return 1;
  }
  const a = service.addresses;
  console.log(`ingest: OTLP/HTTP logs on ${a.http}/v1/logs, metrics on ${a.http}/metrics`);
  if (a.syslogTcp) console.log(`ingest: syslog on ${a.syslogTcp}`);
  if (a.syslogUdp) console.log(`ingest: syslog on ${a.syslogUdp}`);
  const stopped = Promise.withResolvers<void>();
  const onSignal = () => stopped.resolve();
  Deno.addSignalListener("SIGINT", onSignal);
  Deno.addSignalListener("SIGTERM", onSignal);
  await stopped.promise;
  console.error("ingest: stopping — waiting for Kafka to acknowledge what was accepted");
  await service.close();
  const c = service.metrics.counts;
  console.error(
    `ingest: stopped; events accepted ${c.accepted}, refused ${c.refused}, failed ${c.failed}, dropped ${c.dropped}`,
  );
  return 0;
}

if (import.meta.main) Deno.exit(await main());
