/**
 * Overload: offer ~10× the sustainable rate for a bounded time, then stop offering and watch the engine catch
 * up. Backpressure, not buffering, means: engine RSS stays flat (issue 14: ≤ 500 MB), the backlog stays in
 * Kafka (lag grows), nothing crashes, and afterwards both tiers hold every event — counted by id in both tiers
 * (`countTiers`), so a loss or a duplicate shows, not only the engine's own acknowledgement counters.
 *
 * @module
 */
import { type ChildStatus, EngineChild } from "./engine_child.ts";
import { EventFeeder, EventMaker } from "./event_feeder.ts";
import { describeKafkaError } from "../../lib/kafka/describe_kafka_error.ts";
import { dropScenario, newScenario } from "./scenario.ts";
import { countCold, countHot, type TierCount } from "./tier_counts.ts";

/** The engine's memory at the status line of its peak RSS, MiB (`Deno.memoryUsage()` in the engine process). */
export interface MemoryAtPeak {
  rssMiB: number;
  /** V8 heap of the main isolate in use / reserved. */
  heapUsedMiB: number;
  heapTotalMiB: number;
  /** Memory outside the main heap that V8 knows of (ArrayBuffers: Kafka fetches, Parquet pages, bodies). */
  externalMiB: number;
  /** Events consumed but not yet done in both tiers at that moment. */
  inFlight: number;
  /** Events the cold sink held in open windows at that moment. */
  coldBuffered: number;
}

/** Events of the run missing from / beyond one occurrence in one tier, counted by id. */
export interface TierCheck {
  total: number;
  lost: number;
  duplicated: number;
}

/** Options of {@link measureOverload}. */
export interface OverloadOptions {
  /** More `VIGIL_*` settings for the engine (a before/after of a memory bound). Default: none. */
  env?: Record<string, string>;
  /** Count every event by id in both tiers once caught up (slow on large runs). Default: false. */
  countTiers?: boolean;
}

/** What the overload run saw. */
export interface OverloadResult {
  sustainableRate: number;
  offeredRate: number;
  /** What the producer achieved (it may not reach the offer on this machine). */
  achievedRate: number;
  overloadSeconds: number;
  produced: number;
  rssBeforeMiB: number;
  rssPeakMiB: number;
  rssEndMiB: number;
  /** Largest produced − delivered-to-both-tiers seen (the backlog). */
  peakBacklog: number;
  /** Largest consumer lag the engine reported (messages left in Kafka). */
  peakLag: number;
  /** Seconds from the end of the offer until both tiers held every event; NaN if not within the timeout. */
  catchUpSeconds: number;
  caughtUp: boolean;
  /** Memory after the warm-up (before the overload) and at the peak RSS, split by kind. */
  atStart?: MemoryAtPeak;
  atPeak?: MemoryAtPeak;
  /** Most events in flight (consumed, not yet in both tiers) seen. */
  peakInFlight: number;
  /** With `countTiers`: what each tier holds of the produced events, by id. */
  hotCheck?: TierCheck;
  coldCheck?: TierCheck;
  crashed: boolean;
  error?: string;
}

/** Runs the overload scenario. */
export async function measureOverload(
  runId: string,
  sustainableRate: number,
  overloadSeconds: number,
  catchUpTimeoutMs: number,
  options: OverloadOptions = {},
): Promise<OverloadResult> {
  const scenario = await newScenario(runId, "overload", options.env ?? {});
  const { config } = scenario;
  const feeder = new EventFeeder(config, config.kafka.topic);
  const maker = new EventMaker("ovl-");
  const engine = new EngineChild(scenario.env, "full");
  const offeredRate = Math.max(1000, Math.round(10 * sustainableRate));
  const out: OverloadResult = {
    sustainableRate,
    offeredRate,
    achievedRate: NaN,
    overloadSeconds,
    produced: 0,
    rssBeforeMiB: NaN,
    rssPeakMiB: NaN,
    rssEndMiB: NaN,
    peakBacklog: 0,
    peakLag: 0,
    catchUpSeconds: NaN,
    caughtUp: false,
    peakInFlight: 0,
    crashed: false,
  };
  let peakBacklog = 0;
  const watch = setInterval(() => {
    const s = engine.status;
    if (s) peakBacklog = Math.max(peakBacklog, feeder.acked - Math.min(s.hot, s.cold));
  }, 250);
  try {
    await engine.ready();
    // Warm-up at a low rate: indices created, partitions assigned, steady memory before the overload.
    const warm = await feeder.sendPaced(maker, 0, 300, 2);
    if (!await engine.until((s) => s.hot >= warm, 60_000)) throw new Error("warm-up events not delivered");
    out.rssBeforeMiB = (engine.status?.rss ?? NaN) / 1024 / 1024;
    if (engine.status) out.atStart = memoryOf(engine.status);
    const from = engine.history.length;
    const started = performance.now();
    out.produced = await feeder.sendPaced(maker, warm, offeredRate, overloadSeconds);
    out.achievedRate = out.produced / ((performance.now() - started) / 1000);
    const offerEnd = Date.now();
    const total = warm + out.produced;
    out.caughtUp = await engine.until((s) => s.hot >= total && s.cold >= total, catchUpTimeoutMs);
    if (out.caughtUp) out.catchUpSeconds = (Date.now() - offerEnd) / 1000;
    const during = engine.history.slice(from);
    const peak = during.reduce((a, b) => b.rss > a.rss ? b : a);
    out.rssPeakMiB = peak.rss / 1024 / 1024;
    out.atPeak = memoryOf(peak);
    out.peakInFlight = Math.max(...during.map((s) => s.inFlight));
    out.peakLag = Math.max(...during.map((s) => s.lag));
    out.rssEndMiB = (engine.status?.rss ?? NaN) / 1024 / 1024;
    const exited = await Promise.race([engine.exited.then(() => true), Promise.resolve(false)]);
    out.crashed = exited;
    if (options.countTiers && out.caughtUp) {
      const ids = Array.from({ length: total }, (_, n) => `${maker.idPrefix}${n}`);
      out.hotCheck = tierCheck(await countHot(config), ids);
      out.coldCheck = tierCheck(await countCold(config), ids);
    }
  } catch (err) {
    out.error = `${describeKafkaError(err)}\n${engine.stderr.slice(-1500)}`;
  } finally {
    clearInterval(watch);
    out.peakBacklog = peakBacklog;
    await engine.kill9();
    await feeder.close();
    await dropScenario(scenario).catch(() => {});
  }
  return out;
}

/** The memory figures of one status line. */
function memoryOf(s: ChildStatus): MemoryAtPeak {
  const mib = (n: number | undefined) => (n ?? NaN) / 1024 / 1024;
  return {
    rssMiB: mib(s.rss),
    heapUsedMiB: mib(s.heapUsed),
    heapTotalMiB: mib(s.heapTotal),
    externalMiB: mib(s.external),
    inFlight: s.inFlight,
    coldBuffered: s.coldBuffered,
  };
}

/** What a tier holds of `ids`: how many are missing, and the occurrences beyond the first of each. */
export function tierCheck(count: TierCount, ids: readonly string[]): TierCheck {
  let lost = 0;
  let duplicated = 0;
  for (const id of ids) {
    const n = count.byId.get(id) ?? 0;
    if (n === 0) lost++;
    else duplicated += n - 1;
  }
  return { total: count.total, lost, duplicated };
}
