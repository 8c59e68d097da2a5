/**
 * `deno task engine` — the engine alone against the configured endpoints (run several in one consumer group to
 * scale out: Kafka shares the partitions among them). Serves `/metrics` (Prometheus text) and `/health` on
 * `engine.metricsPort`; both show the delivery stall watchdog (`delivery.stallAgeMs`): per partition the oldest
 * event neither acknowledged by every tier nor dead-lettered and its age, and `/health` is 503 while one is
 * stalled, a tier fails, or the dead-letter topic refuses writes (the source is then paused; `reasons` says
 * why). SIGINT/SIGTERM stop it gracefully: the source stops, every mailbox drains, the sinks
 * flush, durable offsets are committed; past `engine.shutdownDeadlineMs` it stops hard and says what was left.
 *
 * Live frames for dashboards in other processes go to the live topic (`web.liveTopic`).
 *
 * @module
 */
import { startVigilEngine, type VigilEngine } from "../actors/vigil_pipeline.ts";
import { prometheusText } from "../engine/prometheus_metrics.ts";
import { installShutdownSignals } from "../engine/shutdown_signals.ts";
import { loadConfigOrExit } from "../lib/config/vigil_config.ts";
import {
  checkKafkaAccess,
  createKafkaAdmin,
  createKafkaProducer,
  ensureLiveTopic,
} from "../lib/kafka/kafka_client.ts";
import { withDeadline } from "../lib/web/with_deadline.ts";
import { KafkaLivePublisher } from "../lib/web/kafka_live_publisher.ts";
import { LiveAggregator } from "../lib/web/live_aggregator.ts";
import { deliveryId } from "../actors/delivery_record.ts";
import { engineStatusLine } from "./engine_status.ts";
import { engineHealth } from "./engine_health.ts";
import { handleArgs, refuseArgs } from "../lib/cli/cli_args.ts";
import { redactError, secretsOf } from "../lib/config/redact_secrets.ts";

/** `deno task engine --help`. */
export const ENGINE_HELP = `Usage: deno task engine

Runs the engine alone (Kafka → parser → classifier → incident detection → hot + cold tiers) against the
configured endpoints, until SIGINT/SIGTERM (then drains, flushes and commits). Run several with the same
kafka.groupId to scale out: Kafka shares the partitions among them. Nothing is produced: feed it with
'deno task produce'.

Options:
  -h, --help    this help (takes no other option: configuration comes from vigil.config.json or VIGIL_*
                variables, e.g. VIGIL_KAFKA_BROKERS, VIGIL_HOT_URL, VIGIL_S3_ENDPOINT)

Serves /metrics (Prometheus text) and /health (503 with the reasons while a tier is down, a partition
stalls or the dead-letter topic refuses writes) on
engine.metricsPort (default 9464).

Examples:
  deno task engine                                 # after 'deno task stack up'
  VIGIL_KAFKA_BROKERS=kafka-1:9092 deno task engine
  curl -s http://127.0.0.1:9464/health
`;

/** Longest a stop waits on the live path (flushing frames, closing its producer), ms. */
const LIVE_STOP_MS = 2_000;

async function main(args: readonly string[]): Promise<number> {
  const parsed = handleArgs("engine", ENGINE_HELP, args, refuseArgs);
  if ("exit" in parsed) return parsed.exit;
  const config = await loadConfigOrExit();
  try {
    // Wrong credentials or an untrusted certificate: one line now, not a consumer reconnecting for ever.
    await checkKafkaAccess(config);
    // The events topic is the operator's (its partition count decides how far engines scale): a missing one is
    // a clear refusal now, not a source that fails in the log while the status line says "consuming". The live
    // topic is vigil's own: created here (one partition) when missing, else every live frame would go nowhere.
    const admin = createKafkaAdmin(config);
    try {
      if (await admin.partitionCount(config.kafka.topic) === undefined) {
        throw new Error(
          `topic ${config.kafka.topic} does not exist on ${
            config.kafka.brokers.join(",")
          } (create it with the partition count ` +
            `you want, or let 'deno task produce' / 'deno task start' create it)`,
        );
      }
      await ensureLiveTopic(config).catch((err) =>
        console.error(
          `vigil engine: live topic ${config.web.liveTopic} unavailable, dashboards in other processes get no live ` +
            `frames: ${redactError(err, secretsOf(config))}`,
        )
      );
    } finally {
      await admin.close().catch(() => {});
    }
  } catch (err) {
    console.error(`vigil engine: cannot start: ${redactError(err, secretsOf(config))}`);
    return 1;
  }
  const liveProducer = createKafkaProducer(config);
  const publisher = new KafkaLivePublisher({ producer: liveProducer, topic: config.web.liveTopic });
  const aggregator = new LiveAggregator({ publish: (frame) => publisher.publish(frame) });
  aggregator.start();
  let engine: VigilEngine;
  try {
    engine = await startVigilEngine({
      config,
      onClassified: (records) => {
        for (const r of records) aggregator.record(r.event, deliveryId(r.kafka), r.incidents);
      },
    });
  } catch (err) {
    // A corrupt or mismatched model, a tier that rejects its setup, ...: refuse in one clear line.
    console.error(`vigil engine: cannot start: ${redactError(err, secretsOf(config))}`);
    aggregator.stop();
    await liveProducer.close().catch(() => {});
    return 1;
  }
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: config.engine.metricsPort,
    onListen: ({ hostname, port }) =>
      console.log(`vigil engine: metrics at http://${hostname}:${port}/metrics`),
  }, async (req) => {
    const path = new URL(req.url).pathname;
    if (path === "/metrics") {
      const text = await prometheusText(engine.system.snapshot());
      return new Response(
        text + engine.source.stallWatchdog.prometheusText() + engine.feedback.prometheusText(),
        {
          headers: { "content-type": "text/plain; version=0.0.4" },
        },
      );
    }
    if (path === "/health") {
      const health = engineHealth({
        hotHealthy: engine.hot.metrics.healthy,
        coldHealthy: engine.cold.metrics.healthy,
        source: engine.source.metrics,
      });
      return Response.json(
        { ...health, status: engineStatusLine(engine) },
        { status: health.healthy ? 200 : 503 },
      );
    }
    return new Response("not found", { status: 404 });
  });
  const status = setInterval(() => console.log(engineStatusLine(engine)), 10_000);
  const done = Promise.withResolvers<number>();
  let sourceFailed = false;
  let stopping: Promise<void> | undefined;
  // Once, whoever asks first (a signal, a failed actor, a failed source).
  const shutdown = () =>
    stopping ??= (async () => {
      clearInterval(status);
      const report = await engine.stop();
      if (!report.graceful) {
        console.error(`vigil engine: stopped hard; left behind ${JSON.stringify(report.leftovers)}`);
      }
      aggregator.stop();
      // Live frames are perishable: a stop never waits long on them (a send to an unreachable cluster may not
      // settle, and neither may the producer's close behind it).
      await publisher.flush(LIVE_STOP_MS);
      await withDeadline(liveProducer.close(), LIVE_STOP_MS, "the live producer's close").catch(() => {});
      await server.shutdown();
      done.resolve(report.graceful && !sourceFailed ? 0 : 1);
    })();
  installShutdownSignals(shutdown);
  engine.pipeline.whenFailed.then((path) => {
    console.error(`vigil engine: actor ${path} failed for good; stopping`);
    shutdown();
  });
  engine.pipeline.whenSourceFailed.then(({ source, error }) => {
    console.error(
      `vigil engine: the ${source} source stopped (${
        redactError(error, secretsOf(config))
      }); no more input will come, stopping`,
    );
    sourceFailed = true;
    shutdown();
  });
  console.log("vigil engine: consuming");
  return await done.promise;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
