/**
 * Throughput of whole engine processes over a known number of events: the engine alone (discarding sinks),
 * the full pipeline into both tiers, and 1 vs 2 engine processes in one consumer group.
 *
 * @module
 */
import type { LogEvent } from "../../lib/event/log_event.ts";
import { type ChildStatus, cpuPercent, EngineChild, type EngineMode } from "./engine_child.ts";
import { EventFeeder } from "./event_feeder.ts";
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
  error?: string;
}

function doneOf(s: ChildStatus | undefined, mode: EngineMode): number {
  if (!s) return 0;
  return mode === "full" ? Math.min(s.hot, s.cold) : s.consumed - s.inFlight;
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
    if (feed === "preload") await feeder.sendAll(o.events);
    for (let i = 0; i < (o.engines ?? 1); i++) children.push(new EngineChild(scenario.env, o.mode));
    await Promise.all(children.map((c) => c.ready()));
    if (feed === "live") {
      // Every process must own partitions before the load starts, or the first one takes them all.
      const assigned = await Promise.all(
        children.map((c) => c.until((s) => s.partitions.length > 0, 60_000)),
      );
      if (assigned.some((a) => !a)) throw new Error("not every engine process got partitions");
      await feeder.sendAll(o.events);
    }
    const deadline = Date.now() + o.timeoutMs;
    const total = () => children.reduce((s, c) => s + doneOf(c.status, o.mode), 0);
    while (total() < n && Date.now() < deadline) {
      const gone = await Promise.race([
        Promise.any(children.map((c) => c.exited)).then(() => true),
        new Promise<false>((r) => setTimeout(() => r(false), 100)),
      ]);
      if (gone) {
        throw new Error(`an engine process exited: ${children.map((c) => c.stderr.slice(-1500)).join("\n")}`);
      }
    }
    const completed = total() >= n;
    // Window: the first status with anything consumed → the first status with everything done.
    let start = Infinity;
    let end = 0;
    let cpu = 0;
    let rss = 0;
    for (const c of children) {
      const h = c.history;
      const first = h.findIndex((s) => s.consumed > 0);
      const last = h.length - 1;
      if (first < 0) continue;
      // The status just before the first consumption bounds the start from below.
      const a = h[Math.max(0, first - 1)];
      const b = h[last];
      start = Math.min(start, a.t);
      end = Math.max(end, b.t);
      cpu += cpuPercent(a, b);
      rss = Math.max(rss, ...h.map((s) => s.rss));
    }
    const seconds = (end - start) / 1000;
    const eps = completed && seconds > 0 ? n / seconds : NaN;
    return {
      events: n,
      eventsPerSecond: eps,
      mibPerSecond: completed && seconds > 0 ? bytes / 1024 / 1024 / seconds : NaN,
      cpuPercent: cpu,
      peakRssMiB: rss / 1024 / 1024,
      completed,
      done: total(),
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
    await Promise.all(children.map((c) => c.kill9()));
    await feeder.close();
    await dropScenario(scenario).catch(() => {});
  }
}
