/**
 * The dashboard's public API, for `deno task start` / `deno task web` wiring.
 *
 * ```ts ignore
 * const hub = new LiveHub();
 * const live = new LiveAggregator({ publish: (f) => hub.publish(f) }); // or → KafkaLivePublisher
 * live.start(); // then live.record(classifiedEvent, docId) for every classified event
 * const web = createWebApp({
 *   routes: ROUTES, // the app's route table, routes/_manifest.ts
 *   hot: new OpenSearchQueryService({ url: config.hot.url, indexPrefix: config.hot.indexPrefix }),
 *   live: hub,
 *   pipeline: enginePipelineProvider({ engine: () => system.snapshot() }),
 *   incidentControl: classifierPool.detection,
 *   accessToken: config.web.accessToken,
 * });
 * assertSafeListen(config.web.host, config.web.accessToken);
 * Deno.serve({ hostname: config.web.host, port: config.web.port }, web.fetch);
 * ```
 *
 * @module
 */
export { createWebApp, type ResolvedWebDeps, type WebApp, type WebDeps } from "./create_web_app.tsx";
export type {
  EventHit,
  EventPage,
  HotTierQueries,
  LiveEventSource,
  LiveSubscription,
  PipelineMetricsProvider,
} from "./web_deps.ts";
export { LiveHub, type LiveHubOptions } from "./live_hub.ts";
export {
  LiveAggregator,
  type LiveAggregatorOptions,
  toAlertFrame,
  toIncidentFrame,
} from "./live_aggregator.ts";
export type { AlertFrame, IncidentFrame, LiveFrame, TickFrame } from "./live_frame.ts";
export { KafkaLivePublisher, type KafkaLivePublisherOptions } from "./kafka_live_publisher.ts";
export { type KafkaLiveFeed, startKafkaLiveFeed } from "./kafka_live_feed.ts";
export {
  HotTierUnavailableError,
  OpenSearchQueryService,
  openSearchTransport,
} from "./opensearch_query_service.ts";
export { HotTierLivePoller } from "./hot_tier_live_poller.ts";
export { enginePipelineProvider, fromEngineSnapshot } from "./engine_pipeline_provider.ts";
export type { PipelineSnapshot } from "./pipeline_snapshot.ts";
export { assertSafeListen } from "./assert_safe_listen.ts";
