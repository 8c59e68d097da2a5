/**
 * Chaos for the ingest service: Kafka is killed (SIGKILL) and restarted while clients send — util-linux `logger`
 * over syslog TCP and an OTLP/HTTP JSON client that retries 429/503 after `Retry-After` as the OTLP specification
 * asks of exporters. On a throwaway broker ({@link ThrowawayKafka}), never the shared one.
 *
 * Then an engine process consumes the topic into the hot tier (OpenSearch, in a test / bench namespace dropped
 * afterwards) and the documents are counted there.
 *
 * Prints one JSON line: what each client sent, what Kafka holds (distinct and duplicated), what the hot tier holds
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

const quick = Deno.args.includes("--quick");
const TCP_LINES = quick ? 3000 : 20_000;
const OTLP_REQUESTS = quick ? 60 : 300;
const OTLP_PER_REQUEST = 50;
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
  const broker = await ThrowawayKafka.start();
  const topic = "ingest.outage";
  const config = parseConfig({
    kafka: { brokers: [broker.endpoint], partitions: 2 },
    ingest: { ackTimeoutMs: 5000, retryAfterSeconds: 1 },
  });
  const service = await startIngestService(config, { topic, httpPort: 0, syslogTcpPort: 0 });
  const file = await Deno.makeTempFile({ suffix: ".log" });
  let otlpAnswers = { ok: 0, refused: 0, other: 0 };
  try {
    await Deno.writeTextFile(file, Array.from({ length: TCP_LINES }, (_, i) => `tcp ${i}`).join("\n") + "\n");
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
    const otlp = (async () => {
      for (let r = 0; r < OTLP_REQUESTS; r++) {
        const body = JSON.stringify({
          resourceLogs: [{
            scopeLogs: [{
              logRecords: Array.from({ length: OTLP_PER_REQUEST }, (_, i) => ({
                body: { stringValue: `otlp ${r * OTLP_PER_REQUEST + i}` },
              })),
            }],
          }],
        });
        for (;;) {
          const res = await fetch(`${service.addresses.http}/v1/logs`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body,
          }).catch(() => undefined);
          await res?.body?.cancel();
          if (res?.status === 200) {
            otlpAnswers.ok++;
            break;
          }
          if (res?.status === 429 || res?.status === 503) otlpAnswers.refused++;
          else otlpAnswers.other++;
          await sleep(Number(res?.headers.get("retry-after") ?? 1) * 1000);
        }
        await sleep(quick ? 20 : 10);
      }
    })();
    // The outage: once some events went through, the broker dies mid-send and comes back DOWN_MS later.
    while (service.metrics.counts.accepted < 500) await sleep(20);
    const acceptedBefore = service.metrics.counts.accepted;
    await broker.stop("SIGKILL");
    await sleep(DOWN_MS);
    await broker.launch();
    const [tcpOut] = await Promise.all([tcp, otlp]);
    const contents = await readContents(
      [broker.endpoint],
      topic,
      TCP_LINES + OTLP_REQUESTS * OTLP_PER_REQUEST,
    );
    const distinct = new Set(contents);
    const missing = (prefix: string, n: number) => {
      let m = 0;
      for (let i = 0; i < n; i++) if (!distinct.has(`${prefix} ${i}`)) m++;
      return m;
    };
    await service.close();
    const hot = await countInHotTier([broker.endpoint], topic, contents.length);
    const text = await service.metrics.registry.metrics();
    const pauses = Number(/vigil_ingest_tcp_pauses_total (\d+)/.exec(text)?.[1] ?? 0);
    console.log(JSON.stringify({
      acceptedBeforeKill: acceptedBefore,
      downMs: DOWN_MS,
      tcp: { sent: TCP_LINES, loggerExit: tcpOut.code, lost: missing("tcp", TCP_LINES), pauses },
      otlp: {
        sent: OTLP_REQUESTS * OTLP_PER_REQUEST,
        answers: otlpAnswers,
        lost: missing("otlp", OTLP_REQUESTS * OTLP_PER_REQUEST),
      },
      inKafka: contents.length,
      distinct: distinct.size,
      duplicates: contents.length - distinct.size,
      duplicatesTcp: contents.filter((c) => c.startsWith("tcp ")).length - TCP_LINES,
      repeatedNotProduced: service.metrics.counts.repeated,
      hot,
    }));
    otlpAnswers = { ok: 0, refused: 0, other: 0 };
  } finally {
    await service.close();
    await broker.destroy();
    await Deno.remove(file).catch(() => {});
  }
}

if (import.meta.main) await main();
