/**
 * Chaos for the ingest service: Kafka is killed (SIGKILL) and restarted while two clients no one here wrote send —
 * util-linux `logger` over syslog TCP, and the OpenTelemetry Python SDK's OTLP/HTTP exporter (protobuf, gzip;
 * `testing/otlp_python_sender.py` in `.vigil/otel-venv`), which retries 429/503 after `Retry-After` as the OTLP
 * specification asks of exporters. The exporter starts first and paces its records over longer than the outage;
 * logger starts once the exporter's first batch was acknowledged; the broker dies once 500 of logger's lines were.
 * On a throwaway broker ({@link ThrowawayKafka}), never the shared one.
 *
 * Then an engine process consumes the topic into the hot tier (OpenSearch, in a test / bench namespace dropped
 * afterwards) and the documents are counted there.
 *
 * Prints one JSON line: what each client sent and how it ended (logger's exit code; the exporter's exit code,
 * retries and failed exports from its log), what Kafka holds (distinct and duplicated), what the hot tier holds
 * (documents, and distinct events when at most 10,000), how the service refused (503/429 answers, TCP
 * back-pressure pauses). `lost` must be 0; duplicates are allowed (at-least-once: a produce that failed for the
 * receiver may have reached the broker before it died; a retried OTLP request's records that Kafka acknowledged
 * are not produced again). Run: `deno run -A bench/chaos/ingest_kafka_outage.ts [--quick]`.
 *
 * @module
 */
import { parseConfig } from "../../lib/config/vigil_config.ts";
import type { LogEvent } from "../../lib/event/log_event.ts";
import { startIngestService } from "../../lib/ingest/ingest_service.ts";
import { ThrowawayKafka } from "../../testing/throwaway_kafka.ts";
import { consumeTopic } from "../../testing/consume_topic.ts";
import { dropTiers, engineEnv, EngineProcess } from "../../testing/engine_process.ts";
import { settledHotTier } from "../../testing/settled_hot_tier.ts";
import { namespaceSettings, testNamespace } from "../../testing/test_namespace.ts";
import { hasOtelPython, OTEL_PYTHON, OTLP_PYTHON_SENDER } from "../../testing/otel_python.ts";
import { promSample } from "../../testing/prometheus_sample.ts";
import { until } from "../../testing/until.ts";

const quick = Deno.args.includes("--quick");
const TCP_LINES = quick ? 3000 : 20_000;
const OTLP_RECORDS = quick ? 3000 : 15_000;
/** Seconds over which the exporter emits its records: longer than the outage. */
const OTLP_SPREAD_S = quick ? 9 : 20;
const DOWN_MS = 5000;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Every event content of `topic` (duplicates kept): read until `expected` messages have arrived and then 3 s pass
 * quietly, or 120 s.
 */
async function readContents(brokers: string[], topic: string, expected: number): Promise<string[]> {
  const messages = await consumeTopic(parseConfig({ kafka: { brokers } }), topic, expected, 3000, 120_000);
  return messages.map((m) => (JSON.parse(m.value) as LogEvent).content);
}

/**
 * What the hot tier holds once an engine consumed `topic` of `brokers` (`expected` messages): documents, and the
 * distinct event contents when there are at most 10,000 (what one search returns).
 */
async function countInHotTier(
  brokers: string[],
  topic: string,
  expected: number,
): Promise<{ documents: number; distinct?: number }> {
  const ns = testNamespace("ingest-outage", quick ? "test" : "bench");
  const config = parseConfig({
    kafka: { brokers, topic, partitions: 2, groupId: `group-${ns.tag}` },
    ...namespaceSettings(ns),
  }, Deno.env.toObject());
  const engine = new EngineProcess(engineEnv(config, { VIGIL_KAFKA_BROKERS: brokers.join(",") }));
  try {
    await engine.ready(120_000);
    const hot = await settledHotTier(config, engine, expected);
    return { documents: hot.documents, distinct: hot.distinctContents };
  } finally {
    await engine.stop();
    await dropTiers(config);
  }
}

async function main(): Promise<void> {
  if (!await hasOtelPython("ingest_kafka_outage")) throw new Error(`${OTEL_PYTHON} is missing`);
  const broker = await ThrowawayKafka.start();
  const topic = "ingest.outage";
  const config = parseConfig({
    kafka: { brokers: [broker.endpoint], partitions: 2 },
    // Retry-After 5 s: the exporter makes at most six attempts per batch, so they must span the outage.
    ingest: { ackTimeoutMs: 5000, retryAfterSeconds: 5 },
  });
  const service = await startIngestService(config, { topic, httpPort: 0, syslogTcpPort: 0 });
  const file = await Deno.makeTempFile({ suffix: ".log" });
  try {
    await Deno.writeTextFile(file, Array.from({ length: TCP_LINES }, (_, i) => `tcp ${i}`).join("\n") + "\n");
    // The exporter paces its records so that it is mid-way when the broker dies; its timeout bounds the retries of
    // one batch (six attempts, each after the Retry-After answered), so it outlasts the outage.
    const otlp = new Deno.Command(OTEL_PYTHON, {
      args: [
        OTLP_PYTHON_SENDER,
        `${service.addresses.http}/v1/logs`,
        String(OTLP_RECORDS),
      ],
      env: { OTLP_TIMEOUT_S: "180", OTLP_RECORD_INTERVAL_S: String(OTLP_SPREAD_S / OTLP_RECORDS) },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const accepted = async (receiver: string) =>
      promSample(
        await service.metrics.registry.metrics(),
        `vigil_ingest_events_total{receiver="${receiver}",outcome="accepted"}`,
      );
    await until(async () => await accepted("otlp_http") > 0, {
      what: "the exporter's first batch acknowledged",
      deadlineMs: 60_000,
      pollMs: 20,
    });
    const tcp = new Deno.Command("logger", {
      args: [
        "--server",
        "127.0.0.1",
        "--port",
        String(service.syslogTcpPort),
        "--tcp",
        "--rfc5424",
        "-f",
        file,
      ],
      stdout: "null",
      stderr: "piped",
    }).output();
    // The outage: once logger's first events went through, the broker dies mid-send and comes back DOWN_MS later.
    await until(async () => await accepted("syslog_tcp") >= 500, {
      what: "500 of logger's lines acknowledged",
      deadlineMs: 60_000,
      pollMs: 5,
    });
    const acceptedBefore = { tcp: await accepted("syslog_tcp"), otlp: await accepted("otlp_http") };
    await broker.stop("SIGKILL");
    await sleep(DOWN_MS);
    await broker.launch();
    const [tcpOut, otlpOut] = await Promise.all([tcp, otlp]);
    const otlpStderr = new TextDecoder().decode(otlpOut.stderr);
    const contents = await readContents([broker.endpoint], topic, TCP_LINES + OTLP_RECORDS);
    const distinct = new Set(contents);
    const missing = (n: number, text: (i: number) => string) => {
      let m = 0;
      for (let i = 0; i < n; i++) if (!distinct.has(text(i))) m++;
      return m;
    };
    await service.close();
    const hot = await countInHotTier([broker.endpoint], topic, contents.length);
    const text = await service.metrics.registry.metrics();
    const count = (pattern: RegExp) => otlpStderr.match(pattern)?.length ?? 0;
    console.log(JSON.stringify({
      acceptedBeforeKill: acceptedBefore,
      downMs: DOWN_MS,
      tcp: {
        sent: TCP_LINES,
        loggerExit: tcpOut.code,
        lost: missing(TCP_LINES, (i) => `tcp ${i}`),
        pauses: promSample(text, "vigil_ingest_tcp_pauses_total"),
      },
      otlp: {
        sent: OTLP_RECORDS,
        exporterExit: otlpOut.code,
        exporterSaid: new TextDecoder().decode(otlpOut.stdout).trim(),
        transientRetries: count(/Transient error/g),
        failedExports: count(/Failed to export/g),
        answers503: promSample(text, 'vigil_ingest_requests_total{receiver="otlp_http",code="503"}'),
        answers429: promSample(text, 'vigil_ingest_requests_total{receiver="otlp_http",code="429"}'),
        lost: missing(OTLP_RECORDS, (i) => `order ${i} ${i % 10 === 0 ? "failed" : "placed"}`),
        stderrTail: otlpStderr.slice(-1500),
      },
      inKafka: contents.length,
      distinct: distinct.size,
      duplicates: contents.length - distinct.size,
      duplicatesTcp: contents.filter((c) => c.startsWith("tcp ")).length - TCP_LINES,
      repeatedNotProduced: service.metrics.counts.repeated,
      hot,
    }));
  } finally {
    await service.close();
    await broker.destroy();
    await Deno.remove(file).catch(() => {});
  }
}

if (import.meta.main) await main();
