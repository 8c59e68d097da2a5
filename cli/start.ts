/**
 * `deno task start` — vigil's main job on one host, from a fresh clone:
 *
 * 1. starts the local stack (Kafka, OpenSearch, S3 server) when the configuration points at it, installing it
 *    on first use; with external endpoints configured (`VIGIL_KAFKA_BROKERS`, `VIGIL_HOT_URL`,
 *    `VIGIL_S3_ENDPOINT`) it starts nothing and only creates the topic, index templates and bucket;
 * 2. starts the engine (Kafka → parser → classifier pool → hot + cold tiers) and the dashboard in this process;
 * 3. feeds it: by default the synthetic Windows CBS source at a modest rate with occasional injected anomalies,
 *    or a real file: `deno task start --input ../shared/loghub/Windows/Windows_2k.log --format windows`.
 *
 * Prints the dashboard URL and a one-line live status. Ctrl-C stops the producer, the engine (draining every
 * mailbox and committing what is durable), the web server and — if it started them — the services, in that
 * order.
 *
 * @module
 */
import { prometheusText } from "../engine/prometheus_metrics.ts";
import { startVigilEngine, type VigilEngine } from "../actors/vigil_pipeline.ts";
import { acquireStack, type StackLease } from "../infra/stack_lease.ts";
import { StackError } from "../infra/stack_error.ts";
import { loadConfigOrExit, type VigilConfig } from "../lib/config/vigil_config.ts";
import { usesLocalStack } from "../infra/uses_local_stack.ts";
import { ensureEventTopics } from "../lib/kafka/kafka_client.ts";
import { runProducer } from "../lib/producer/produce_run.ts";
import { startIngestService } from "../lib/ingest/ingest_service.ts";
import { assertSafeListen } from "../lib/web/assert_safe_listen.ts";
import { createWebApp } from "../lib/web/create_web_app.tsx";
import { archiveFromConfig } from "../actors/cold_query/archive_from_config.ts";
import { ROUTES } from "../routes/_manifest.ts";
import { enginePipelineProvider } from "../lib/web/engine_pipeline_provider.ts";
import { LiveAggregator } from "../lib/web/live_aggregator.ts";
import { LiveHub } from "../lib/web/live_hub.ts";
import { OpenSearchQueryService } from "../lib/web/opensearch_query_service.ts";
import { webOptionsFromConfig } from "../lib/web/web_options_from_config.ts";
import { redactError, redactSecrets, secretsOf } from "../lib/config/redact_secrets.ts";
import { deliveryId } from "../actors/delivery_record.ts";
import { deliveryWait } from "../lib/web/delivery_wait.ts";
import { engineHealth } from "./engine_health.ts";
import {
  engineStatusLine,
  engineStatusNumbers,
  landedMessage,
  type ProducedStatus,
  sinkMetricsOf,
} from "./engine_status.ts";
import { countFileLines } from "../lib/producer/count_lines.ts";
import { dashboardBaseUrl } from "../lib/web/dashboard_range_url.ts";
import { handleArgs, parseCliArgs, presetList } from "../lib/cli/cli_args.ts";
import { type ReplayTiming, replayTiming } from "./replay_timing.ts";

const USAGE =
  `Usage: deno task start [--input FILE --format FORMAT_OR_PRESET [--retime now|off]] [--rate N] [--no-stack]

Everything on one host: starts the local stack (Kafka, OpenSearch, S3 server; installed on first use) unless
external endpoints are configured, then the engine and the dashboard in this process, and feeds them. Ctrl-C
stops the producer, the engine (draining and committing), the dashboard and the services it started.

Options:
  (no options)         the synthetic Windows CBS source at --rate events/s (default 50), with injected anomalies
  --input FILE         replay a log file instead (gzip read transparently); needs --format
  --format F           a preset: ${presetList(23)}
                       or a Loghub-style format string, e.g. '<Date> <Time> <Level> <Component>: <Content>'
  --rate N             events per second offered by the producer (default: 50 synthetic, unpaced for a file)
  --retime now|off     with --input: 'now' shifts event time so the file plays as if happening now, at its own
                       pace × --replay-speed; the original time stays in the event (fields.originalTs).
                       Default: producer.retime of the configuration ('off': the file's own dates);
                       --rate also keeps the file's own dates
  --replay-speed X     with --input: replay the events' own inter-arrival times divided by X
  --no-stack           do not start the local stack (use the configured endpoints as they are)
  -h, --help           this help

Configuration: vigil.config.json or VIGIL_* variables (VIGIL_KAFKA_BROKERS, VIGIL_HOT_URL, VIGIL_S3_ENDPOINT,
VIGIL_WEB_PORT, VIGIL_WEB_ACCESS_TOKEN, VIGIL_PRODUCER_RETIME, ...).

Examples:
  deno task start
  deno task start --input ../shared/loghub/OpenSSH/OpenSSH_2k.log --format openssh
  deno task start --input ../shared/loghub/Windows/Windows_2k.log --format windows --rate 200
  deno task start --input ../shared/loghub/Windows/Windows_2k.log --format windows --retime now --replay-speed 600
  VIGIL_HOT_URL=https://search.internal:9200 deno task start --no-stack`;

async function main(args: readonly string[]): Promise<number> {
  const parsed = handleArgs("start", USAGE, args, (a) =>
    parseCliArgs({
      args: [...a],
      options: {
        input: { type: "string" },
        format: { type: "string" },
        rate: { type: "string" },
        retime: { type: "string" },
        "replay-speed": { type: "string" },
        "no-stack": { type: "boolean", default: false },
      },
    }).values);
  if ("exit" in parsed) return parsed.exit;
  const values = parsed.args;
  if (values.input !== undefined && values.format === undefined) {
    console.error(`vigil: --input needs --format (a preset such as windows, or a format string)\n\n${USAGE}`);
    return 2;
  }
  const config = await loadConfigOrExit();
  const timing = replayTiming(values, config.producer.retime);
  if ("error" in timing) {
    console.error(`vigil: ${timing.error}\n\n${USAGE}`);
    return 2;
  }
  // Before anything starts: the dashboard's write APIs must never be reachable beyond loopback without a token.
  try {
    assertSafeListen(config.web.host, config.web.accessToken);
  } catch (err) {
    console.error(`vigil: ${(err as Error).message}`);
    return 2;
  }

  // 1. Services.
  // A lease, not a bare `up`: a `deno task test` running beside us keeps the stack until both are done.
  let stack: StackLease | undefined;
  if (!values["no-stack"] && usesLocalStack(config)) {
    console.log("vigil: starting the local stack (first run installs Kafka, OpenSearch and the S3 server)…");
    try {
      stack = await acquireStack([], (line) => console.log(`  stack: ${line}`));
    } catch (err) {
      if (!(err instanceof StackError)) throw err;
      console.error(`vigil: the local stack could not start:\n${err.message}`);
      return 1;
    }
  }
  try {
    return await runOnStack(config, { input: values.input, format: values.format }, timing, stack);
  } catch (err) {
    // The engine refused to start (a corrupt or mismatched model, a tier that rejects its setup, ...): one
    // clear line, and the services this run started are stopped again.
    console.error(`vigil: cannot start: ${redactError(err, secretsOf(config))}`);
    await stack?.release();
    return 1;
  }
}

/** Topic, engine, dashboard and producer on the ready stack, until Ctrl-C. */
async function runOnStack(
  config: VigilConfig,
  values: { input?: string; format?: string },
  timing: ReplayTiming,
  stack: StackLease | undefined,
): Promise<number> {
  await ensureEventTopics(config);
  // With ingest.enabled, the ingest service (OTLP/HTTP, syslog) publishes into the same topic; it starts first
  // so that a refusal (no token beyond loopback, a port taken) stops the run before anything else runs.
  const ingest = config.ingest.enabled ? await startIngestService(config) : undefined;
  if (ingest) {
    console.log(`vigil: ingest at ${Object.values(ingest.addresses).join(", ")} (OTLP at /v1/logs)`);
  }

  // 2. Engine, with the dashboard's live feed tapped from the classifier's output.
  const hub = new LiveHub({ clientCapacity: config.web.sseClientCapacity });
  const aggregator = new LiveAggregator({ publish: (frame) => hub.publish(frame) });
  aggregator.start();
  const engine: VigilEngine = await startVigilEngine({
    config,
    onClassified: (records) => {
      for (const r of records) aggregator.record(r.event, deliveryId(r.kafka), r.incidents);
    },
  });

  // 3. Dashboard; explorer ranges older than the hot window are read from the cold tier.
  const archive = archiveFromConfig(config);
  const web = createWebApp({
    routes: ROUTES,
    hot: new OpenSearchQueryService(config.hot),
    archive: archive?.settings,
    live: hub,
    pipeline: enginePipelineProvider({
      engine: () => engine.system.snapshot(),
      kafkaLag: () =>
        engine.source.metrics.partitions.map((p) => ({
          topic: p.topic,
          partition: p.partition,
          lag: Number(p.lag ?? 0),
        })),
      sinks: () => sinkMetricsOf(engine, config.cold.retentionDays),
      // The same figures as the status line: the cold-flush wait told apart from consumer lag.
      delivery: () => deliveryWait(engineStatusNumbers(engine)),
      // The engine's /health reasons: a paused source or a failing tier is the first thing the page says.
      attention: () =>
        engineHealth({
          hotHealthy: engine.hot.metrics.healthy,
          coldHealthy: engine.cold.metrics.healthy,
          source: engine.source.metrics,
        }).reasons,
    }),
    incidentControl: engine.classifier.detection,
    ...webOptionsFromConfig(config.web),
    extraMetrics: () => prometheusText(engine.system.snapshot()),
  });
  await web.bundle();
  const server = Deno.serve({
    hostname: config.web.host,
    port: config.web.port,
    onListen: ({ hostname, port }) => console.log(`vigil: dashboard at http://${hostname}:${port}/`),
  }, web.fetch);

  // 4. Producer. A file's lines are counted beside it (one pass over the bytes), for "produced N / TOTAL lines".
  const producing = new AbortController();
  const produced: ProducedStatus = { acked: 0 };
  if (values.input) {
    countFileLines(values.input).then((n) => produced.totalLines = n, () => {});
  }
  const tty = Deno.stdout.isTerminal();
  const clearStatus = () => {
    if (tty) Deno.stdout.writeSync(new TextEncoder().encode("\r\x1b[2K"));
  };
  const producer = runProducer(config, {
    ...(values.input
      ? timing.rate === undefined
        ? {
          input: values.input,
          format: values.format,
          retime: timing.retime,
          replaySpeed: timing.replaySpeed,
        }
        : { input: values.input, format: values.format, rate: timing.rate }
      : { synthetic: "windows" as const, rate: timing.rate }),
    signal: producing.signal,
    onProgress: (p) => {
      produced.acked = p.acked;
      produced.linesRead = p.linesRead;
    },
  }).then((summary) => {
    produced.acked = summary.acked;
    produced.linesRead = summary.lines;
    produced.done = true;
    if (values.input && !summary.interrupted) {
      clearStatus();
      console.log(landedMessage(values.input, summary, dashboardBaseUrl(config.web.host, config.web.port)));
    }
    return summary;
  }, (err) => {
    console.error(`vigil: producer stopped: ${redactError(err, secretsOf(config))}`);
    return undefined;
  });

  const status = setInterval(() => {
    const line = engineStatusLine(engine, produced);
    if (tty) Deno.stdout.writeSync(new TextEncoder().encode(`\r\x1b[2K${line}`));
    else console.log(line);
  }, tty ? 1000 : 10_000);

  // Ctrl-C: producer → engine (drain, flush, commit) → web → services we started.
  const stopped = Promise.withResolvers<void>();
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    (async () => {
      clearInterval(status);
      console.log("\nvigil: stopping the producer…");
      producing.abort();
      const summary = await producer;
      if (summary) console.log(`vigil: produced ${summary.acked} events`);
      if (ingest) {
        await ingest.close();
        console.log(`vigil: ingest stopped; accepted ${ingest.metrics.counts.accepted} events`);
      }
      console.log("vigil: draining the engine…");
      const report = await engine.stop();
      console.log(
        report.graceful
          ? `vigil: engine stopped cleanly in ${report.elapsedMs} ms`
          : `vigil: engine stopped hard; left behind: ${JSON.stringify(report.leftovers)}`,
      );
      aggregator.stop();
      await server.shutdown();
      archive?.close();
      const stoppedServices = await stack?.release();
      if (stoppedServices?.length) console.log(`vigil: stopped ${stoppedServices.join(", ")}`);
      console.log("vigil: stopped");
      stopped.resolve();
    })().catch((err) => {
      console.error(`vigil: shutdown failed: ${redactSecrets(String(err?.stack ?? err), secretsOf(config))}`);
      stopped.resolve();
    });
  };
  Deno.addSignalListener("SIGINT", stop);
  Deno.addSignalListener("SIGTERM", stop);
  engine.pipeline.whenFailed.then((path) => {
    console.error(`\nvigil: actor ${path} failed for good; stopping`);
    stop();
  });
  // As `deno task engine`: a source that stopped (the topic deleted under it...) brings no more input, so the
  // run ends and says why instead of showing "consuming" over a dead pipeline.
  let sourceFailed = false;
  engine.pipeline.whenSourceFailed.then(({ source, error }) => {
    console.error(
      `\nvigil: the ${source} source stopped (${redactError(error, secretsOf(config))}); stopping`,
    );
    sourceFailed = true;
    stop();
  });
  await stopped.promise;
  return sourceFailed ? 1 : 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
