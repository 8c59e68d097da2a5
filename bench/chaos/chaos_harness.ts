/**
 * The frame every chaos scenario runs in: an isolated scenario (topic, index prefix, S3 prefix), an engine
 * process of vigil's product wiring (restartable), a producer of events with known ids at a steady rate, and
 * at the end an exact count by id in the hot tier (documents) and the cold tier (Parquet rows).
 *
 * @module
 */
import { produceRaw, readTopic } from "../../testing/kafka_test_topics.ts";
import { EngineChild } from "../suite/engine_child.ts";
import { DeliveryEngineChild } from "./delivery_engine_child.ts";
import { pollUntil } from "./poll_until.ts";
import { EventFeeder, EventMaker } from "../suite/event_feeder.ts";
import { dropScenario, newScenario, type Scenario } from "../suite/scenario.ts";
import { countCold, countHot, duplicates, type TierCount } from "../suite/tier_counts.ts";

/** The counters the harness and the scenarios read from an engine's `STATUS` lines. */
export interface ChaosEngineStatus {
  consumed: number;
  paused: boolean;
  hot: number;
  hotHealthy: boolean;
  cold: number;
  coldHealthy: boolean;
}

/** An engine process: the bench suite's `EngineChild` or the delivery engine (`DeliveryEngineChild`). */
export interface ChaosEngine {
  readonly status?: ChaosEngineStatus;
  readonly stderr: string;
  readonly exited: Promise<Deno.CommandStatus>;
  ready(): Promise<void>;
  until(cond: (s: ChaosEngineStatus) => boolean, timeoutMs: number): Promise<boolean>;
  kill9(): Promise<void>;
  stop(): Promise<Deno.CommandStatus>;
}

/** What a scenario's fault function gets. */
export interface ChaosContext {
  scenario: Scenario;
  /** The engine process currently running (replaced by {@link ChaosContext.restart}). */
  engine: ChaosEngine;
  /** Starts a new engine process (after the previous one died or stopped) and waits until it consumes. */
  restart(): Promise<ChaosEngine>;
  /**
   * Starts an engine process with `extraEnv` on top of the scenario's and returns it at once (not awaited,
   * not made current; killed at the end like the others) — for engines expected to refuse to start.
   */
  launch(extraEnv?: Record<string, string>): ChaosEngine;
  /**
   * Stops offering events once the sends in flight are acknowledged (for faults that would fail the test
   * producer rather than the engine); the returned function resumes. Paused time does not count in
   * `seconds`: production resumes for the rest of its time.
   */
  pauseProducing(): Promise<() => void>;
  /** Records a measured count of the fault (e.g. 429 answers seen), reported beside the scenario. */
  observe(what: string, count: number): void;
  /** Events acknowledged by Kafka so far. */
  produced(): number;
  /** The id of the `n`-th event the scenario's producer makes (0-based, consecutive). */
  idOf(n: number): string;
  /**
   * Marks the scenario late: the stream did not arrive within the deadline the scenario derived (counts may
   * still be exact). The row's verdict is `LATE` unless something was lost or duplicated.
   */
  late(message: string): void;
  /** Sleeps. */
  sleep(ms: number): Promise<void>;
  /** Adds a line to the scenario's notes (printed under the table). */
  note(message: string): void;
  /** Publishes hostile messages (raw bytes or text), keyed so they can be found in the tiers or the DLQ. */
  sendHostile(items: HostileItem[]): Promise<void>;
}

/**
 * A hostile message. `key` is its event id when it is an event. It must end up either delivered to both tiers
 * (as an event with id `key`) or dead-lettered with key `key` — exactly once — unless `mustDeadLetter`, in
 * which case only the DLQ is right.
 */
export interface HostileItem {
  key: string;
  value: string | Uint8Array;
  mustDeadLetter: boolean;
  /** What it is, for the notes. */
  what: string;
}

/** A chaos scenario. */
export interface ChaosScenario {
  name: string;
  /** Events offered per second and for how long (the fault runs meanwhile). */
  rate: number;
  seconds: number;
  /** Which engine process runs: the bench suite's (default) or the delivery engine (SIGUSR2 hook). */
  engine?: "bench" | "delivery";
  /** Prepares the environment (e.g. starts a TCP proxy) and returns extra `VIGIL_*` settings. */
  setup?(): Promise<Record<string, string>> | Record<string, string>;
  /** Injects the fault while events are produced; resolves once the fault is over. */
  fault(ctx: ChaosContext): Promise<void>;
  /** Undoes `setup`. */
  teardown?(): Promise<void> | void;
}

/** One row of the chaos table. */
export interface ChaosResult {
  scenario: string;
  produced: number;
  hotUnique: number;
  hotDuplicates: number;
  coldRows: number;
  coldDuplicates: number;
  /** Produced ids missing from the hot or the cold tier. */
  lost: number;
  lostHot: number;
  lostCold: number;
  /** Records on the dead-letter topic (hostile input only). */
  dlq: number;
  /** Measured counts of the fault itself (see {@link ChaosContext.observe}). */
  observed: Record<string, number>;
  verdict: "PASS" | "LOSS" | "DUPLICATES" | "LATE" | "ERROR";
  seconds: number;
  notes: string[];
  error?: string;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The reason of a dead-letter envelope (`actors/dead_letter_envelope.ts`), or what could be read of it. */
function deadLetterReason(value: string): string {
  try {
    return String((JSON.parse(value) as { reason?: unknown }).reason ?? "no reason").slice(0, 200);
  } catch {
    return "unreadable envelope";
  }
}

/** Runs one scenario end to end and counts. Never throws: failures become an `ERROR` row. */
export async function runChaosScenario(
  runId: string,
  s: ChaosScenario,
  settleTimeoutMs = 180_000,
): Promise<ChaosResult> {
  const started = performance.now();
  const notes: string[] = [];
  const result: ChaosResult = {
    scenario: s.name,
    produced: 0,
    hotUnique: 0,
    hotDuplicates: 0,
    coldRows: 0,
    coldDuplicates: 0,
    lost: 0,
    lostHot: 0,
    lostCold: 0,
    dlq: 0,
    observed: {},
    verdict: "ERROR",
    seconds: 0,
    notes,
  };
  let scenario: Scenario | undefined;
  let feeder: EventFeeder | undefined;
  const engines: ChaosEngine[] = [];
  let late = false;
  try {
    const extraEnv = {
      // The broker's minimum: a killed engine's partitions move after 6 s instead of 15 s.
      VIGIL_DELIVERY_SESSION_TIMEOUT_MS: "6000",
      ...(await s.setup?.()),
    };
    scenario = await newScenario(runId, s.name, extraEnv);
    const sc = scenario;
    feeder = new EventFeeder(sc.config, sc.config.kafka.topic);
    const maker = new EventMaker(`${s.name}-`);
    const hostile: HostileItem[] = [];
    const launch = (extraEnv: Record<string, string> = {}): ChaosEngine => {
      const env = { ...sc.env, ...extraEnv };
      const e = s.engine === "delivery" ? new DeliveryEngineChild(env) : new EngineChild(env, "full");
      engines.push(e);
      return e;
    };
    const spawn = async () => {
      const e = launch();
      await e.ready();
      return e;
    };
    let paused: PromiseWithResolvers<void> | undefined;
    let resumed = Promise.resolve();
    let producingDone = false;
    const ctx: ChaosContext = {
      scenario: sc,
      engine: await spawn(),
      restart: async () => (ctx.engine = await spawn()),
      launch,
      pauseProducing: async () => {
        if (producingDone) return () => {};
        const resume = Promise.withResolvers<void>();
        resumed = resume.promise;
        paused = Promise.withResolvers<void>();
        await paused.promise;
        return () => resume.resolve();
      },
      observe: (what, count) => result.observed[what] = count,
      produced: () => feeder!.acked,
      idOf: (n) => `${s.name}-${n}`,
      late: (m) => {
        late = true;
        notes.push(`late: ${m}`);
      },
      sleep,
      note: (m) => notes.push(m),
      sendHostile: async (items) => {
        hostile.push(...items);
        await produceRaw(sc.config, items.map((i) => ({ key: i.key, value: i.value })));
      },
    };
    // Paced production in stretches, so a scenario can pause it (ids stay consecutive).
    const producing = (async () => {
      let end = performance.now() + s.seconds * 1000;
      let offered = 0;
      while (performance.now() < end) {
        const left = (end - performance.now()) / 1000;
        offered += await feeder!.sendPaced(maker, offered, s.rate, left, () => paused !== undefined);
        if (paused) {
          const pausedAt = performance.now();
          paused.resolve();
          paused = undefined;
          await resumed;
          end += performance.now() - pausedAt;
        }
      }
      producingDone = true;
      paused?.resolve();
      return offered;
    })();
    await s.fault(ctx);
    const offered = await producing;
    result.produced = feeder.acked;
    if (feeder.acked !== offered) notes.push(`offered ${offered}, Kafka acknowledged ${feeder.acked}`);
    const n = result.produced;
    const expected = new Set(Array.from({ length: n }, (_, i) => `${s.name}-${i}`));
    // Recovery: every event in both tiers (or the timeout), then a pause so late duplicates would show.
    let hot: TierCount = { total: 0, byId: new Map() };
    let cold: TierCount & { objects: number } = { total: 0, byId: new Map(), objects: 0 };
    const hotOk = await pollUntil(
      async () => (hot = await countHot(sc.config)).byId.size >= n,
      settleTimeoutMs,
      1000,
    );
    const coldOk = await pollUntil(
      async () => (cold = await countCold(sc.config)).byId.size >= n,
      settleTimeoutMs,
      2000,
    );
    if (!hotOk || !coldOk) {
      notes.push(`not complete after ${settleTimeoutMs / 1000} s (hot ${hotOk}, cold ${coldOk})`);
    }
    await sleep(3000);
    hot = await countHot(sc.config);
    cold = await countCold(sc.config);
    result.hotUnique = hot.byId.size;
    result.hotDuplicates = duplicates(hot);
    result.coldRows = cold.total;
    result.coldDuplicates = duplicates(cold);
    let lost = 0;
    for (const id of expected) {
      const inHot = hot.byId.has(id);
      const inCold = cold.byId.has(id);
      if (!inHot) result.lostHot++;
      if (!inCold) result.lostCold++;
      if (!inHot || !inCold) lost++;
    }
    if (lost > 0 && hostile.length === 0) {
      // Tell the two ways to lose an event apart: given up on (on the DLQ, acknowledged, the watermark moves on)
      // or stranded (nowhere: the watermark stops behind it) — they have different causes (issue 21).
      const dlq = await readTopic(sc.config, `${sc.config.kafka.topic}.dlq`, lost, 10_000);
      result.dlq = dlq.length;
      const reasons = [...new Set(dlq.map((m) => deadLetterReason(m.value)))].slice(0, 3);
      notes.push(
        `of ${lost} lost: ${dlq.length} dead-lettered${reasons.length ? ` (${reasons.join("; ")})` : ""}, ${
          lost - dlq.length
        } stranded (neither tier nor DLQ)`,
      );
    }
    let dlqDuplicatesSeen = 0;
    if (hostile.length > 0) {
      const dlq = await readTopic(sc.config, `${sc.config.kafka.topic}.dlq`, hostile.length, 15_000);
      result.dlq = dlq.length;
      const dlqKeys = new Map<string, number>();
      for (const m of dlq) dlqKeys.set(m.key, (dlqKeys.get(m.key) ?? 0) + 1);
      let delivered = 0;
      let deadLettered = 0;
      const wrong: string[] = [];
      for (const h of hostile) {
        const inDlq = dlqKeys.get(h.key) ?? 0;
        const inTiers = hot.byId.has(h.key) && cold.byId.has(h.key);
        const inAnyTier = hot.byId.has(h.key) || cold.byId.has(h.key);
        if (inDlq === 1 && !inAnyTier) deadLettered++;
        else if (!h.mustDeadLetter && inTiers && inDlq === 0) delivered++;
        else wrong.push(`${h.what} (dlq ${inDlq}, hot ${hot.byId.has(h.key)}, cold ${cold.byId.has(h.key)})`);
        expected.add(h.key);
      }
      const dlqDuplicates = [...dlqKeys.values()].reduce((d, n) => d + n - 1, 0);
      lost += wrong.length;
      notes.push(
        `hostile input: ${hostile.length} messages → ${delivered} delivered to both tiers, ${deadLettered} dead-lettered, ${wrong.length} unaccounted${
          wrong.length ? `: ${wrong.join(", ")}` : ""
        }; DLQ duplicates ${dlqDuplicates}`,
      );
      dlqDuplicatesSeen = dlqDuplicates;
    }
    result.lost = lost;
    const unexpected = [...hot.byId.keys()].filter((id) => !expected.has(id)).length;
    if (unexpected > 0) {
      notes.push(`${unexpected} ids in the hot tier that Kafka never acknowledged to the producer`);
    }
    result.verdict = lost > 0
      ? "LOSS"
      : result.hotDuplicates + result.coldDuplicates + dlqDuplicatesSeen > 0
      ? "DUPLICATES"
      : late
      ? "LATE"
      : "PASS";
  } catch (err) {
    result.error = (err as Error).message.slice(0, 1500);
    const last = engines.at(-1);
    if (last) result.error += `\nengine stderr: ${last.stderr.slice(-800)}`;
  } finally {
    for (const e of engines) await e.kill9();
    await feeder?.close();
    // Clean-up goes through the scenario's endpoints (maybe a proxy): drop before tearing the proxy down.
    if (scenario) await dropScenario(scenario).catch(() => {});
    await s.teardown?.();
  }
  result.seconds = (performance.now() - started) / 1000;
  return result;
}
