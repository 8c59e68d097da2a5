/**
 * The engine as the bench and chaos harnesses run it, in its own process:
 *
 * - `full` (default): vigil's product wiring, `startVigilEngine` (Kafka → parser → classifier pool → hot +
 *   cold sinks), exactly what `deno task engine` runs minus its metrics server and live-frame publisher;
 * - `discard`: the same source, parser and classifier pool, but one sink that drops every record and
 *   acknowledges it for both tiers — the engine alone, without storage;
 * - `parse` / `source`: the same cut after the parser / right after the Kafka source (what each stage costs).
 *
 * Configured by `VIGIL_*` variables plus `BENCH_ENGINE_MODE` (`full` | `discard` | `parse` | `source`) and
 * `BENCH_STATUS_MS` (default 250), and `BENCH_WEB=1` (full mode: also serve the dashboard's live stream, see
 * `startLiveWeb`). Prints `READY` once consuming, then every `BENCH_STATUS_MS` a
 * `STATUS {json}` line: counters, RSS, process CPU time (all threads, the classifier workers included) and,
 * in full mode, the produce → indexed latencies (ms, from the event's `ingestTs` to the hot tier's bulk
 * acknowledgement) of events acknowledged since the previous line.
 * SIGTERM/SIGINT stop it gracefully and print `STOPPED {json}`.
 *
 * @module
 */
import process from "node:process";
import { ActorSystem } from "../../engine/actor_system.ts";
import { jsonLogger, silentLogger } from "../../engine/logger.ts";
import { Pipeline } from "../../engine/pipeline.ts";
import { loadConfig } from "../../lib/config/vigil_config.ts";
import { startVigilEngine } from "../../actors/vigil_pipeline.ts";
import { KafkaSource } from "../../actors/kafka_source.ts";
import { DeadLetterProducer } from "../../actors/dead_letter_producer.ts";
import { loadTemplateMiner, parserStage } from "../../actors/parser.ts";
import { ClassifierPool } from "../../actors/classifier_pool.ts";
import {
  type DeliveryAck,
  deliveryId,
  type DeliveryRecord,
  type Sourced,
} from "../../actors/delivery_record.ts";
import { createWebApp } from "../../lib/web/create_web_app.tsx";
import { ROUTES } from "../../routes/_manifest.ts";
import { LiveAggregator } from "../../lib/web/live_aggregator.ts";
import { LiveHub } from "../../lib/web/live_hub.ts";
import { OpenSearchQueryService } from "../../lib/web/opensearch_query_service.ts";

const mode = Deno.env.get("BENCH_ENGINE_MODE") ?? "full";
const config = await loadConfig();
/** The adapters' lines (an outage, a stall) on stderr. */
const logger = jsonLogger("info", { system: "bench-engine" });

interface Probe {
  source: KafkaSource;
  /** Records the discarding sink has acknowledged (cut modes only). */
  discarded?: number;
  /**
   * Cut modes: wall time and process CPU time (ms) at the discarding sink's first and latest batch, and the
   * first batch's size — timers may not fire while a synchronous cut drains a backlog, so the status lines'
   * own clock cannot bound the window.
   */
  window?: { firstAt: number; firstCpuMs: number; firstBatch: number; lastAt: number; lastCpuMs: number };
  hot?: { delivered: number; healthy: boolean; bulkRequests: number };
  cold?: { delivered: number; buffered: number; healthy: boolean };
  stop(): Promise<{ graceful: boolean }>;
}

let latencies: number[] = [];
const ingestByPosition = new Map<string, number>();

/**
 * Full mode with `BENCH_WEB=1`: the dashboard's live path as `deno task start` wires it — every classified
 * event recorded by a `LiveAggregator`, whose frames a `LiveHub` streams at `/api/live` of the web app, served
 * on a free loopback port (reported as `webPort` in the status lines).
 */
function startLiveWeb(): { aggregator: LiveAggregator; port: number } | undefined {
  if (mode !== "full" || Deno.env.get("BENCH_WEB") !== "1") return undefined;
  const hub = new LiveHub({ clientCapacity: config.web.sseClientCapacity });
  const aggregator = new LiveAggregator({ publish: (frame) => hub.publish(frame) });
  aggregator.start();
  const web = createWebApp({
    routes: ROUTES,
    hot: new OpenSearchQueryService(config.hot),
    live: hub,
    sseClientCapacity: config.web.sseClientCapacity,
  });
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, web.fetch);
  return { aggregator, port: server.addr.port };
}
const liveWeb = startLiveWeb();

async function startFull(): Promise<Probe> {
  const engine = await startVigilEngine({
    config,
    logger,
    onClassified: (records: readonly DeliveryRecord[]) => {
      // Bounded: the tap drops under load, and positions never acknowledged must not accumulate forever.
      if (ingestByPosition.size > 300_000) ingestByPosition.clear();
      for (const r of records) {
        ingestByPosition.set(`${r.kafka.partition}-${r.kafka.offset}`, Date.parse(r.event.ingestTs));
        liveWeb?.aggregator.record(r.event, deliveryId(r.kafka));
      }
    },
  });
  const source = engine.source;
  const ack = source.ack.bind(source);
  // The sinks call `source.ack` by property, so this sees every acknowledgement as it happens.
  source.ack = (acks: readonly DeliveryAck[]) => {
    const now = Date.now();
    for (const a of acks) {
      if (a.tier !== "hot") continue;
      const key = `${a.kafka.partition}-${a.kafka.offset}`;
      const t = ingestByPosition.get(key);
      if (t !== undefined) {
        latencies.push(now - t);
        ingestByPosition.delete(key);
      }
    }
    ack(acks);
  };
  return {
    source,
    get hot() {
      return engine.hot.metrics;
    },
    get cold() {
      return engine.cold.metrics;
    },
    stop: () => engine.stop(),
  };
}

/** The engine without storage, cut after `stages` (to see what each stage costs). */
async function startDiscard(stages: "source" | "parse" | "classify"): Promise<Probe> {
  const deadLetters = new DeadLetterProducer(config);
  const source = new KafkaSource({ config, deadLetters, logger });
  const miner = await loadTemplateMiner(undefined);
  const classifier = stages === "classify" ? await ClassifierPool.create(config) : undefined;
  const system = new ActorSystem({ name: "bench-discard", logger: silentLogger });
  const mailbox = config.engine.mailbox;
  const chain = [
    "kafka",
    ...(stages === "source" ? [] : ["parser"]),
    ...(classifier ? ["classifier"] : []),
    "discard",
  ];
  const pipeline = Pipeline.start(system, {
    defaultMailbox: mailbox,
    nodes: {
      kafka: { kind: "source", create: () => source },
      ...(stages === "source" ? {} : { parser: parserStage({ miner }) }),
      ...(classifier ? { classifier: classifier.stage() } : {}),
      discard: {
        kind: "sink",
        create: () => ({
          receiveBatch: (records: Sourced<unknown>[]) => {
            cut.discarded! += records.length;
            const now = Date.now();
            const cpu = process.cpuUsage();
            const cpuMs = (cpu.user + cpu.system) / 1000;
            cut.window ??= {
              firstAt: now,
              firstCpuMs: cpuMs,
              firstBatch: records.length,
              lastAt: now,
              lastCpuMs: cpuMs,
            };
            cut.window.lastAt = now;
            cut.window.lastCpuMs = cpuMs;
            const acks: DeliveryAck[] = [];
            for (const r of records) {
              acks.push({ kafka: r.kafka, tier: "hot", outcome: "delivered" });
              acks.push({ kafka: r.kafka, tier: "cold", outcome: "delivered" });
            }
            source.ack(acks);
          },
        }),
      },
    },
    edges: chain.slice(1).map((to, i) => ({ from: chain[i], to, mailbox })),
  });
  const cut: Probe = {
    source,
    discarded: 0,
    stop: async () => {
      const report = await pipeline.stop({ deadlineMs: 20_000 });
      await classifier?.close();
      await deadLetters.close().catch(() => {});
      return report;
    },
  };
  return cut;
}

const probe = mode === "full"
  ? await startFull()
  : await startDiscard(mode === "source" ? "source" : mode === "parse" ? "parse" : "classify");
const status = setInterval(() => {
  const s = probe.source.metrics;
  const mem = Deno.memoryUsage();
  const cpu = process.cpuUsage();
  const line = {
    t: Date.now(),
    consumed: s.consumed,
    invalid: s.invalid,
    inFlight: s.inFlight,
    paused: s.paused,
    lag: s.partitions.reduce((n, p) => n + Number(p.lag ?? 0), 0),
    partitions: s.partitions.map((p) => p.partition).sort(),
    // The group's current assignment (`topic-partition`), unlike `partitions` (every one read from so far).
    assigned: s.assigned,
    discarded: probe.discarded ?? 0,
    window: probe.window,
    hot: probe.hot?.delivered ?? 0,
    hotHealthy: probe.hot?.healthy ?? true,
    hotBulks: probe.hot?.bulkRequests ?? 0,
    cold: probe.cold?.delivered ?? 0,
    coldBuffered: probe.cold?.buffered ?? 0,
    coldHealthy: probe.cold?.healthy ?? true,
    webPort: liveWeb?.port,
    rss: mem.rss,
    heapUsed: mem.heapUsed,
    heapTotal: mem.heapTotal,
    external: mem.external,
    cpuMs: (cpu.user + cpu.system) / 1000,
    lat: latencies,
  };
  latencies = [];
  console.log(`STATUS ${JSON.stringify(line)}`);
}, Number(Deno.env.get("BENCH_STATUS_MS") ?? 250));
console.log("READY");

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  const report = await probe.stop();
  clearInterval(status);
  console.log(`STOPPED ${JSON.stringify({ graceful: report.graceful })}`);
  Deno.exit(report.graceful ? 0 : 1);
};
Deno.addSignalListener("SIGTERM", stop);
Deno.addSignalListener("SIGINT", stop);
