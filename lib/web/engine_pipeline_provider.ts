/**
 * Adapts the engine's typed {@link EngineSnapshot} (plus Kafka lag and sink status, which live outside the
 * actor runtime) to the dashboard's {@link PipelineSnapshot}, as a {@link PipelineMetricsProvider}.
 *
 * @example
 * ```ts ignore
 * const pipeline = enginePipelineProvider({
 *   engine: () => system.snapshot(),
 *   kafkaLag: () => source.lag(),        // PartitionLag[]
 *   sinks: () => [hotSink.status(), coldSink.status()],
 *   delivery: () => deliveryWait(figures()),  // the cold-flush wait apart from consumer lag
 * });
 * createWebApp({ routes, hot, live, pipeline });
 * ```
 *
 * @module
 */
import type { EngineSnapshot } from "../../engine/engine_snapshot.ts";
import type { DeliveryWait } from "./delivery_wait.ts";
import type { ActorMetrics, PartitionLag, PipelineSnapshot, SinkMetrics } from "./pipeline_snapshot.ts";
import type { PipelineMetricsProvider } from "./web_deps.ts";

/** Where the parts of a pipeline snapshot come from. */
export interface EnginePipelineSources {
  engine: () => EngineSnapshot | Promise<EngineSnapshot>;
  /** Consumer lag per partition. Default: none reported. */
  kafkaLag?: () => PartitionLag[] | Promise<PartitionLag[]>;
  /** Sink status. Default: none reported. */
  sinks?: () => SinkMetrics[] | Promise<SinkMetrics[]>;
  /** Kafka's lag split into the cold-flush wait and the real consumer lag. Default: not reported. */
  delivery?: () => DeliveryWait | undefined;
  /** What holds delivery back (the engine's `/health` reasons). Default: not reported. */
  attention?: () => string[];
}

/** Converts one engine snapshot (pure). */
export function fromEngineSnapshot(
  engine: EngineSnapshot,
  kafkaLag: PartitionLag[] = [],
  sinks: SinkMetrics[] = [],
  delivery?: DeliveryWait,
  attention: string[] = [],
): PipelineSnapshot {
  const actors: ActorMetrics[] = engine.actors.map((a) => ({
    name: a.path || a.name,
    state: a.state,
    mailboxDepth: a.mailbox.depth,
    mailboxCapacity: a.mailbox.capacity,
    in: a.messages.in,
    out: a.messages.out,
    dropped: a.messages.dropped + a.messages.deadLettered,
    restarts: a.restarts,
    processingMs: a.processingMs.count > 0
      ? { p50: a.processingMs.p50, p90: a.processingMs.p90, p99: a.processingMs.p99 }
      : undefined,
  }));
  return {
    at: new Date(engine.at).toISOString(),
    actors,
    kafkaLag,
    sinks,
    ...(delivery === undefined ? {} : { delivery }),
    ...(attention.length === 0 ? {} : { attention }),
  };
}

/** A provider that reads all sources on each call; a failing optional source leaves its part empty. */
export function enginePipelineProvider(sources: EnginePipelineSources): PipelineMetricsProvider {
  const safe = async <T>(read: (() => T[] | Promise<T[]>) | undefined): Promise<T[]> => {
    try {
      return read ? await read() : [];
    } catch {
      return [];
    }
  };
  return {
    snapshot: async () => {
      const [engine, lag, sinks, attention] = await Promise.all([
        sources.engine(),
        safe(sources.kafkaLag),
        safe(sources.sinks),
        safe(sources.attention),
      ]);
      let delivery: DeliveryWait | undefined;
      try {
        delivery = sources.delivery?.();
      } catch {
        delivery = undefined;
      }
      return fromEngineSnapshot(engine, lag, sinks, delivery, attention);
    },
  };
}
