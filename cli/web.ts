/**
 * `deno task web` — the dashboard alone, against the configured hot tier. Live frames come from the live topic
 * (`web.liveSource=kafka`, fed by engines through `KafkaLivePublisher`) or, by default, from polling the hot tier
 * for newly ingested events (`web.liveSource=hot-tier`; works with any engine, at the hot tier's refresh lag).
 *
 * Refuses to listen beyond loopback without `web.accessToken` (env `VIGIL_WEB_ACCESS_TOKEN`).
 *
 * @module
 */
import { loadConfigOrExit } from "../lib/config/vigil_config.ts";
import { createKafkaConsumer, ensureLiveTopic } from "../lib/kafka/kafka_client.ts";
import { startKafkaLiveFeed } from "../lib/web/kafka_live_feed.ts";
import { assertSafeListen } from "../lib/web/assert_safe_listen.ts";
import { createWebApp } from "../lib/web/create_web_app.tsx";
import { ROUTES } from "../routes/_manifest.ts";
import { hotTierIndices } from "../lib/web/hot_tier_indices.ts";
import { HotTierLivePoller } from "../lib/web/hot_tier_live_poller.ts";
import { LiveAggregator } from "../lib/web/live_aggregator.ts";
import { LiveHub } from "../lib/web/live_hub.ts";
import { OpenSearchQueryService, openSearchTransport } from "../lib/web/opensearch_query_service.ts";
import { webOptionsFromConfig } from "../lib/web/web_options_from_config.ts";
import { archiveFromConfig } from "../actors/cold_query/archive_from_config.ts";
import { redactError, redactUrl, secretsOf } from "../lib/config/redact_secrets.ts";
import { handleArgs, refuseArgs } from "../lib/cli/cli_args.ts";

/** `deno task web --help`. */
export const WEB_HELP = `Usage: deno task web

Serves the dashboard alone against the configured hot tier (OpenSearch / Elasticsearch), until SIGINT/SIGTERM.
Live frames come from the live topic (web.liveSource=kafka, fed by 'deno task engine') or, by default, from
polling the hot tier (web.liveSource=hot-tier).

Options:
  -h, --help    this help (takes no other option: configuration comes from vigil.config.json or VIGIL_*
                variables: VIGIL_WEB_HOST, VIGIL_WEB_PORT, VIGIL_WEB_ACCESS_TOKEN, VIGIL_HOT_URL, ...)

Secrets (web.accessToken, hot.password, a password inside hot.url) belong in vigil.config.json (git-ignored)
or VIGIL_* variables, never in an argument; they are shown redacted (***) in logs and answers.

Refuses to listen beyond loopback without an access token (exit 2).

Examples:
  deno task web                                   # http://127.0.0.1:8080/
  VIGIL_WEB_PORT=8081 deno task web
  VIGIL_WEB_HOST=0.0.0.0 VIGIL_WEB_ACCESS_TOKEN=$(openssl rand -hex 16) deno task web
`;

if (import.meta.main) {
  const parsed = handleArgs("web", WEB_HELP, Deno.args, refuseArgs);
  if ("exit" in parsed) Deno.exit(parsed.exit);
  const config = await loadConfigOrExit();
  const { host, port, accessToken, sseClientCapacity, liveSource, liveTopic } = config.web;
  try {
    assertSafeListen(host, accessToken);
  } catch (err) {
    console.error(`vigil web: ${(err as Error).message}`);
    Deno.exit(2);
  }
  const transport = openSearchTransport(config.hot.url, {
    username: config.hot.username,
    password: config.hot.password,
    apiKey: config.hot.apiKey,
    tls: config.hot.tls,
  });
  const hot = new OpenSearchQueryService({ indexPrefix: config.hot.indexPrefix, transport });
  const hub = new LiveHub({ clientCapacity: sseClientCapacity });
  // Explorer ranges older than the hot window are read from the cold tier.
  const archive = archiveFromConfig(config);
  const web = createWebApp({
    routes: ROUTES,
    hot,
    archive: archive?.settings,
    live: hub,
    ...webOptionsFromConfig(config.web),
  });
  await web.bundle(); // build the island bundle before accepting requests
  let stopLive: () => Promise<void>;
  if (liveSource === "kafka") {
    // A group of its own: every web server sees every frame.
    // The engines create the topic too; a web server started first must not fail on "unknown topic".
    try {
      await ensureLiveTopic(config);
    } catch (err) {
      console.error(
        `vigil web: cannot read live frames from ${liveTopic}: ${redactError(err, secretsOf(config))}`,
      );
      Deno.exit(1);
    }
    const consumer = createKafkaConsumer(config, { groupId: `vigil-web-${crypto.randomUUID()}` });
    const feed = await startKafkaLiveFeed({ consumer, topic: liveTopic, hub });
    stopLive = async () => {
      await feed.close();
      await consumer.close(true);
    };
  } else {
    const poller = new HotTierLivePoller({
      search: transport,
      index: hotTierIndices(config.hot.indexPrefix).events,
      aggregator: new LiveAggregator({ publish: (f) => hub.publish(f) }),
    });
    poller.start();
    stopLive = () => Promise.resolve(poller.stop());
  }
  const server = Deno.serve({
    hostname: host,
    port,
    onListen: ({ hostname, port }) => {
      console.log(
        `vigil web: http://${hostname}:${port}/ (hot tier ${
          redactUrl(config.hot.url)
        }, live from ${liveSource})`,
      );
    },
  }, web.fetch);
  const shutdown = async () => {
    await stopLive().catch(() => {});
    await server.shutdown();
    archive?.close();
  };
  Deno.addSignalListener("SIGINT", shutdown);
  Deno.addSignalListener("SIGTERM", shutdown);
  await server.finished;
}
