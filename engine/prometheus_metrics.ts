/**
 * The engine snapshot in Prometheus text format, through `npm:prom-client` (checked: it runs on Deno 2.9 and
 * its `Registry` formats and escapes; no hand-written exposition writer needed).
 *
 * The hot path never touches prom-client: actors count into plain fields, and each scrape turns one
 * {@link EngineSnapshot} into metric objects registered on a prom-client `Registry` (`registerMetric` accepts
 * any object with `get()`, which is how the processing-time histogram is exported from our own buckets).
 *
 * @module
 */
import client from "prom-client";
import type { EngineSnapshot } from "./engine_snapshot.ts";
import { evictionCounts } from "./eviction_tally.ts";

type Labels = Record<string, string | number>;
interface Value {
  labels: Labels;
  value: number;
  metricName?: string;
}
interface MetricObject {
  name: string;
  help: string;
  type: "counter" | "gauge" | "histogram";
  aggregator: "sum";
  get(): Promise<{ name: string; help: string; type: string; values: Value[]; aggregator: "sum" }>;
  reset(): void;
}

function metric(
  name: string,
  help: string,
  type: MetricObject["type"],
  values: (s: EngineSnapshot) => Value[],
  snapshot: () => EngineSnapshot,
): MetricObject {
  return {
    name,
    help,
    type,
    aggregator: "sum",
    get: () => Promise.resolve({ name, help, type, values: values(snapshot()), aggregator: "sum" }),
    reset() {},
  };
}

/**
 * Registers the engine's metrics on a prom-client registry; each scrape reads a fresh snapshot (one per
 * scrape, shared by all metrics).
 *
 * @param registry the registry `/metrics` serves
 * @param getSnapshot e.g. `() => system.snapshot()`
 * @param prefix metric name prefix (default "vigil")
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import client from "prom-client";
 * import { ActorSystem, registerEngineMetrics, silentLogger } from "./mod.ts";
 * const system = new ActorSystem({ logger: silentLogger });
 * const registry = new client.Registry();
 * registerEngineMetrics(registry, () => system.snapshot());
 * assert.ok((await registry.metrics()).includes("vigil_dead_letters_total"));
 * ```
 */
export function registerEngineMetrics(
  registry: client.Registry,
  getSnapshot: () => EngineSnapshot,
  prefix = "vigil",
): void {
  let cached: EngineSnapshot | undefined;
  let cachedAt = 0;
  const snapshot = () => {
    // The registry calls every metric's get() in one scrape: take one snapshot for all of them.
    const now = performance.now();
    if (cached === undefined || now - cachedAt > 50) {
      cached = getSnapshot();
      cachedAt = now;
    }
    return cached;
  };
  const perActor = (f: (a: EngineSnapshot["actors"][number]) => number) => (s: EngineSnapshot) =>
    s.actors.map((a) => ({ labels: { actor: a.path }, value: f(a) }));
  const p = prefix;
  const metrics: MetricObject[] = [
    metric(
      `${p}_actor_state`,
      "Actor lifecycle state (1 for the current state)",
      "gauge",
      (s) => s.actors.map((a) => ({ labels: { actor: a.path, state: a.state }, value: 1 })),
      snapshot,
    ),
    metric(
      `${p}_actor_mailbox_depth`,
      "Messages queued in the actor's mailbox",
      "gauge",
      perActor((a) => a.mailbox.depth),
      snapshot,
    ),
    metric(
      `${p}_actor_mailbox_capacity`,
      "Capacity of the actor's mailbox",
      "gauge",
      perActor((a) => a.mailbox.capacity),
      snapshot,
    ),
    metric(
      `${p}_actor_mailbox_waiting_senders`,
      "Senders waiting for room (backpressure)",
      "gauge",
      perActor((a) => a.mailbox.waitingSenders),
      snapshot,
    ),
    metric(
      `${p}_actor_messages_in_total`,
      "Messages accepted into the mailbox",
      "counter",
      perActor((a) => a.messages.in),
      snapshot,
    ),
    metric(
      `${p}_actor_messages_out_total`,
      "Messages handled without error",
      "counter",
      perActor((a) => a.messages.out),
      snapshot,
    ),
    metric(
      `${p}_actor_messages_dropped_total`,
      "Messages dropped by the mailbox policy",
      "counter",
      perActor((a) => a.messages.dropped),
      snapshot,
    ),
    metric(
      `${p}_actor_messages_failed_total`,
      "Handling attempts that threw",
      "counter",
      perActor((a) => a.messages.failed),
      snapshot,
    ),
    metric(
      `${p}_actor_dead_letters_total`,
      "Messages the actor sent to dead letters",
      "counter",
      perActor((a) => a.messages.deadLettered),
      snapshot,
    ),
    metric(`${p}_actor_restarts_total`, "Actor restarts", "counter", perActor((a) => a.restarts), snapshot),
    metric(
      `${p}_actor_processing_seconds`,
      "Processing time per message",
      "histogram",
      (s) =>
        s.actors.flatMap((a) => [
          ...a.processingMs.buckets.map((b) => ({
            metricName: `${p}_actor_processing_seconds_bucket`,
            labels: { actor: a.path, le: b.le === Infinity ? "+Inf" : b.le / 1000 },
            value: b.count,
          })),
          {
            metricName: `${p}_actor_processing_seconds_sum`,
            labels: { actor: a.path },
            value: a.processingMs.sum / 1000,
          },
          {
            metricName: `${p}_actor_processing_seconds_count`,
            labels: { actor: a.path },
            value: a.processingMs.count,
          },
        ]),
      snapshot,
    ),
    metric(
      `${p}_actor_custom_total`,
      "Counters kept by actors (ctx.metrics.count)",
      "counter",
      (s) =>
        s.actors.flatMap((a) =>
          Object.entries(a.custom.counters).map(([name, value]) => ({
            labels: { actor: a.path, name },
            value,
          }))
        ),
      snapshot,
    ),
    metric(
      `${p}_actor_custom_gauge`,
      "Gauges kept by actors (ctx.metrics.gauge)",
      "gauge",
      (s) =>
        s.actors.flatMap((a) =>
          Object.entries(a.custom.gauges).map(([name, value]) => ({ labels: { actor: a.path, name }, value }))
        ),
      snapshot,
    ),
    metric(
      `${p}_dead_letters_total`,
      "Dead letters in the whole engine",
      "counter",
      (s) => [{ labels: {}, value: s.deadLetters.total }],
      snapshot,
    ),
    metric(
      `${p}_evictions_total`,
      "Entries bounded in-memory maps forgot to stay within their cap, per map (engine/eviction_tally.ts)",
      "counter",
      () => [...evictionCounts()].map(([map, value]) => ({ labels: { map }, value })),
      snapshot,
    ),
  ];
  for (const m of metrics) registry.registerMetric(m as unknown as client.Metric);
}

/**
 * Formats one snapshot as Prometheus text (for `/metrics`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ActorSystem, prometheusText, silentLogger } from "./mod.ts";
 * const system = new ActorSystem({ logger: silentLogger });
 * const text = await prometheusText(system.snapshot());
 * assert.ok(text.startsWith("# HELP"));
 * ```
 */
export function prometheusText(snapshot: EngineSnapshot, prefix = "vigil"): Promise<string> {
  const registry = new client.Registry();
  registerEngineMetrics(registry, () => snapshot, prefix);
  return registry.metrics();
}

/** The content type to serve {@link prometheusText} with. */
export const PROMETHEUS_CONTENT_TYPE: string = client.Registry.PROMETHEUS_CONTENT_TYPE;
