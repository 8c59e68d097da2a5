/**
 * Overload: offer ~10× the sustainable rate for a bounded time, then stop offering and watch the engine catch
 * up. Backpressure, not buffering, means: engine RSS stays flat (< 400 MB), the backlog stays in Kafka (lag
 * grows), nothing crashes, and afterwards both tiers hold every event.
 *
 * @module
 */
import { EngineChild } from "./engine_child.ts";
import { EventFeeder, EventMaker } from "./event_feeder.ts";
import { describeKafkaError } from "../../lib/kafka/describe_kafka_error.ts";
import { dropScenario, newScenario } from "./scenario.ts";

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
  crashed: boolean;
  error?: string;
}

/** Runs the overload scenario. */
export async function measureOverload(
  runId: string,
  sustainableRate: number,
  overloadSeconds: number,
  catchUpTimeoutMs: number,
): Promise<OverloadResult> {
  const scenario = await newScenario(runId, "overload");
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
    const from = engine.history.length;
    const started = performance.now();
    out.produced = await feeder.sendPaced(maker, warm, offeredRate, overloadSeconds);
    out.achievedRate = out.produced / ((performance.now() - started) / 1000);
    const offerEnd = Date.now();
    const total = warm + out.produced;
    out.caughtUp = await engine.until((s) => s.hot >= total && s.cold >= total, catchUpTimeoutMs);
    if (out.caughtUp) out.catchUpSeconds = (Date.now() - offerEnd) / 1000;
    const during = engine.history.slice(from);
    out.rssPeakMiB = Math.max(...during.map((s) => s.rss)) / 1024 / 1024;
    out.peakLag = Math.max(...during.map((s) => s.lag));
    out.rssEndMiB = (engine.status?.rss ?? NaN) / 1024 / 1024;
    const exited = await Promise.race([engine.exited.then(() => true), Promise.resolve(false)]);
    out.crashed = exited;
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
