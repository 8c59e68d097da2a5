/**
 * Throughput of whole engine processes over a known number of events: the engine alone (discarding sinks),
 * the full pipeline into both tiers, and 1 vs 2 engine processes in one consumer group.
 *
 * @module
 */
import type { LogEvent } from "../../lib/event/log_event.ts";
import { type ChildStatus, cpuPercent, EngineChild, type EngineMode } from "./engine_child.ts";
import { EventFeeder, EventMaker } from "./event_feeder.ts";
import { cpuSecondsPerThousand, ownCpuMs, type ServiceCpu, serviceCpuMs } from "./process_cpu.ts";
import { dropScenario, newScenario } from "./scenario.ts";

/** Options of {@link measureThroughput}. */
export interface ThroughputOptions {
  runId: string;
  /** Scenario name (unique in the run). */
  name: string;
  events: readonly LogEvent[];
  mode: EngineMode;
  /** Engine processes in the group. Default 1. */
  engines?: number;
  /**
   * `preload`: all events are in Kafka before the engine starts (the engine's own speed);
   * `live`: engines join first, then events are produced as fast as possible (needed for a fair split
   * between several engines). Default `preload`.
   */
  feed?: "preload" | "live";
  timeoutMs: number;
  /** Folder for a V8 CPU profile of each engine process (`--cpu-prof`; see `cpu_profile_summary.ts`). */
  cpuProfileDir?: string;
}

/** What one throughput run measured. */
export interface ThroughputResult {
  events: number;
  /** Events / (last event done − first event consumed), or NaN when the run did not finish. */
  eventsPerSecond: number;
  mibPerSecond: number;
  /** CPU over the same window, % of one core, summed over engine processes. */
  cpuPercent: number;
  peakRssMiB: number;
  completed: boolean;
  /** Events done (both tiers for full, consumed for discard) when the run ended. */
  done: number;
  /**
   * CPU seconds per 1,000 events, per process: `engine` (its processes over the measured window), `kafka`,
   * `opensearch`, `s3` (the stack's services, from the engine's start to the last event done; absent for a stack
   * vigil did not start), and for a preloaded run `producer` (this process sending the events) and
   * `kafka (produce)` (the broker while they were sent).
   */
  cpuPerThousand?: Record<string, number | undefined>;
  /** Full mode: bulk requests the hot sink sent (its events per request = events ÷ this). */
  hotBulkRequests?: number;
  /** Full mode, one engine: where the measured window went (see {@link FullPhases}). */
  phases?: FullPhases;
  error?: string;
}

/**
 * Where a full-mode run's window goes, from the engine's status lines (± one status interval): a bounded run
 * is a start-up, a stream, and a tail, and only the stream is the rate a steady load would see.
 */
export interface FullPhases {
  /** Window start → the first event acknowledged by the hot tier, ms. */
  firstDeliveryMs: number;
  /** Hot-tier acknowledgements per second between 10 % and 90 % of the events (the steady stream). */
  hotStreamEventsPerSecond: number;
  /** All events in the hot tier → all in the cold tier, ms (the last partial windows wait for `cold.timeoutMs`). */
  coldTailMs: number;
}

/** The phases of one engine's full-mode history (see {@link FullPhases}); undefined when it did not finish. */
export function fullPhases(h: readonly ChildStatus[], start: number, n: number): FullPhases | undefined {
  const at = (f: (s: ChildStatus) => boolean) => h.find(f)?.t;
  const first = at((s) => s.hot > 0);
  const p10 = h.find((s) => s.hot >= n * 0.1);
  const p90 = h.find((s) => s.hot >= n * 0.9);
  const hotAll = at((s) => s.hot >= n);
  const coldAll = at((s) => s.cold >= n);
  if ([first, p10, p90, hotAll, coldAll].includes(undefined) || p90!.t <= p10!.t) return undefined;
  return {
    firstDeliveryMs: first! - start,
    hotStreamEventsPerSecond: (p90!.hot - p10!.hot) / ((p90!.t - p10!.t) / 1000),
    coldTailMs: Math.max(0, coldAll! - hotAll!),
  };
}

/** Status interval of the engine processes during throughput runs, ms. */
const STATUS_MS = 50;

function doneOf(s: ChildStatus | undefined, mode: EngineMode): number {
  if (!s) return 0;
  // `consumed` counts what the client fetched, not what went through the stages: count at the sink.
  return mode === "full" ? Math.min(s.hot, s.cold) : s.discarded;
}

/** Waits until the processes together did `n` events; throws when one exits. */
async function waitDone(
  children: EngineChild[],
  mode: EngineMode,
  n: number,
  timeoutMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  const total = () => children.reduce((s, c) => s + doneOf(c.status, mode), 0);
  while (total() < n && Date.now() < deadline) {
    const gone = await Promise.race([
      Promise.any(children.map((c) => c.exited)).then(() => true),
      new Promise<false>((r) => setTimeout(() => r(false), 100)),
    ]);
    if (gone) {
      throw new Error(`an engine process exited: ${children.map((c) => c.stderr.slice(-1500)).join("\n")}`);
    }
  }
  return total() >= n;
}

/** Runs one throughput measurement in its own scenario and cleans it up. */
export async function measureThroughput(o: ThroughputOptions): Promise<ThroughputResult> {
  const scenario = await newScenario(o.runId, o.name);
  const feeder = new EventFeeder(scenario.config, scenario.config.kafka.topic);
  const children: EngineChild[] = [];
  const n = o.events.length;
  const bytes = o.events.reduce((s, e) => s + JSON.stringify(e).length, 0);
  try {
    const feed = o.feed ?? "preload";
    let produceCost: Record<string, number | undefined> = {};
    if (feed === "preload") {
      const before = { producer: ownCpuMs(), "kafka (produce)": (await serviceCpuMs()).kafka };
      await feeder.sendAll(o.events);
      const after = { producer: ownCpuMs(), "kafka (produce)": (await serviceCpuMs()).kafka };
      produceCost = cpuSecondsPerThousand(before, after, n);
    }
    const servicesBefore: ServiceCpu = await serviceCpuMs();
    // Fine-grained status lines: a fast stage may finish the whole input within one default interval.
    const env: Record<string, string> = {
      ...scenario.env,
      BENCH_STATUS_MS: String(STATUS_MS),
      ...(o.cpuProfileDir ? { BENCH_CPU_PROF_DIR: o.cpuProfileDir } : {}),
    };
    for (let i = 0; i < (o.engines ?? 1); i++) children.push(new EngineChild(env, o.mode));
    await Promise.all(children.map((c) => c.ready()));
    let warm = 0;
    let feedStart = 0;
    if (feed === "live") {
      // Every process must own partitions before the load starts, or the first one takes them all; a
      // source only reports partitions it has read from, so trickle warm-up events until each has some.
      const maker = new EventMaker(`warm-${o.name}-`);
      const deadline = Date.now() + 60_000;
      while (!children.every((c) => (c.status?.partitions.length ?? 0) > 0)) {
        if (Date.now() > deadline) throw new Error("not every engine process got partitions");
        await feeder.sendAll(Array.from({ length: 100 }, () => maker.make(warm++)));
        await new Promise((r) => setTimeout(r, 500));
      }
      if (!await waitDone(children, o.mode, warm, 60_000)) throw new Error("warm-up events not delivered");
      feedStart = Date.now();
      await feeder.sendAll(o.events);
    }
    const total = () => children.reduce((s, c) => s + doneOf(c.status, o.mode), 0);
    const completed = await waitDone(children, o.mode, n + warm, o.timeoutMs);
    const servicesAfter: ServiceCpu = await serviceCpuMs();
    // Window: the first status with anything consumed → the first status with everything done.
    let start = Infinity;
    let end = 0;
    let cpu = 0;
    let rss = 0;
    for (const c of children) {
      const h = c.history;
      const first = feedStart > 0 ? h.findIndex((s) => s.t >= feedStart) : h.findIndex((s) => s.consumed > 0);
      const last = h.length - 1;
      if (first < 0) continue;
      // The status just before the first consumption bounds the start from below (one interval earlier
      // when the very first status already saw consumption).
      const a = first > 0 ? h[first - 1] : { ...h[0], t: h[0].t - STATUS_MS, cpuMs: h[0].cpuMs };
      const b = h[last];
      start = Math.min(start, feedStart > 0 ? feedStart : a.t);
      end = Math.max(end, b.t);
      cpu += cpuPercent(a, b);
      rss = Math.max(rss, ...h.map((s) => s.rss));
    }
    let seconds = (end - start) / 1000;
    let measured = n;
    const windows = children.map((c) => c.status?.window).filter((w) => w !== undefined);
    if (o.mode !== "full" && windows.length === children.length && feedStart === 0) {
      // Cut modes: the sink's own clock (the first batch marks the start, so it is not counted).
      const first = Math.min(...windows.map((w) => w.firstAt));
      const last = Math.max(...windows.map((w) => w.lastAt));
      seconds = (last - first) / 1000;
      measured = n - windows.reduce((s, w) => s + w.firstBatch, 0);
      cpu = windows.reduce((s, w) => s + (w.lastCpuMs - w.firstCpuMs), 0) / Math.max(1, last - first) * 100;
    }
    const eps = completed && seconds > 0 ? measured / seconds : NaN;
    const phases = o.mode === "full" && completed && children.length === 1
      ? fullPhases(children[0].history, start, n + warm)
      : undefined;
    const cpuPerThousand = completed
      ? {
        engine: (cpu / 100) * seconds * (1000 / measured),
        ...cpuSecondsPerThousand(servicesBefore, servicesAfter, n + warm),
        ...produceCost,
      }
      : undefined;
    return {
      events: n,
      eventsPerSecond: eps,
      mibPerSecond: completed && seconds > 0 ? (bytes * measured / n) / 1024 / 1024 / seconds : NaN,
      cpuPercent: cpu,
      peakRssMiB: rss / 1024 / 1024,
      completed,
      done: total(),
      ...(cpuPerThousand === undefined ? {} : { cpuPerThousand }),
      ...(o.mode === "full"
        ? { hotBulkRequests: children.reduce((s, c) => s + (c.status?.hotBulks ?? 0), 0) }
        : {}),
      ...(phases === undefined ? {} : { phases }),
    };
  } catch (err) {
    return {
      events: n,
      eventsPerSecond: NaN,
      mibPerSecond: NaN,
      cpuPercent: NaN,
      peakRssMiB: NaN,
      completed: false,
      done: children.reduce((s, c) => s + doneOf(c.status, o.mode), 0),
      error: (err as Error).message.slice(0, 2000),
    };
  } finally {
    // A profiled engine must exit by itself for V8 to write its profile; otherwise SIGKILL is quickest.
    await Promise.all(children.map((c) => o.cpuProfileDir ? c.stop() : c.kill9()));
    await feeder.close();
    await dropScenario(scenario).catch(() => {});
  }
}
