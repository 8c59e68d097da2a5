/**
 * Scale-out with each engine's CPU share fixed: N engine processes (product wiring, `full` mode) in one
 * consumer group, each pinned to its own CPU and optionally capped at a fraction of it (see `cpu_share.ts`),
 * fed live once every process owns partitions. What it reports per engine — CPU seconds per 1,000 events it
 * delivered to both tiers, and the partitions it owned — is the claim scale-out rests on: when that cost stays
 * flat from 1 to N engines, N hosts carry about N times one host's events, until Kafka, OpenSearch or S3 limit.
 * Events/s on one small shared host is reported too, but does not show that (the services share the cores).
 *
 * Afterwards both tiers are counted by event id: every measured event must be in each tier exactly once.
 *
 * @module
 */
import type { LogEvent } from "../../lib/event/log_event.ts";
import { CpuShare } from "./cpu_share.ts";
import { type ChildStatus, EngineChild } from "./engine_child.ts";
import { EventFeeder, EventMaker } from "./event_feeder.ts";
import { cpuSecondsPerThousand, processCpuMs, type ServiceCpu, serviceCpuMs } from "./process_cpu.ts";
import { dropScenario, newScenario } from "./scenario.ts";
import { countCold, countHot, type TierCount } from "./tier_counts.ts";

/** Options of {@link measureScaleOut}. */
export interface ScaleOutOptions {
  runId: string;
  /** Scenario name (unique in the run). */
  name: string;
  events: readonly LogEvent[];
  /** Engine processes in the group; process i is pinned to CPU i mod the host's CPUs. */
  engines: number;
  /** Topic partitions. Default 4. */
  partitions?: number;
  /** Fraction of its CPU each process may use (cgroup quota); undefined = pinning only. */
  quota?: number;
  timeoutMs: number;
}

/** One engine process's share of a run. */
export interface EngineShare {
  cpu: number;
  /** The quota that applied, or why none did. */
  quota?: number;
  quotaNote?: string;
  /** Partitions the group assigned to the process at the end of the run. */
  partitions: number[];
  /** Measured events it delivered to both tiers. */
  events: number;
  /** Its CPU time over the measured window (all threads, from `/proc`), s. */
  cpuSeconds: number;
  /** CPU seconds per 1,000 events it delivered (NaN when it delivered none). */
  cpuPerThousand: number;
  /** Periods / ms the quota held it back (cgroup only). */
  throttled?: { periods: number; throttledMs: number };
}

/** How often each measured event id is in one tier. */
export interface TierCheck {
  /** Measured ids present exactly once. */
  once: number;
  missing: number;
  /** Documents/rows beyond the first for measured ids. */
  duplicates: number;
}

/** What one scale-out run measured. */
export interface ScaleOutResult {
  /** Which repeat of a series the run belongs to (set by the caller; runs of one repeat are compared). */
  repeat?: number;
  engines: number;
  events: number;
  completed: boolean;
  /** Measured events / (last delivered − feed start). */
  eventsPerSecond: number;
  perEngine: EngineShare[];
  /**
   * Deliveries beyond the measured events, summed over the engines: events that a rebalance handed to a new
   * owner while their first copy was not yet committed, delivered again (the same `_id` and object key).
   */
  redelivered?: number;
  /** The stack's services, CPU s per 1,000 events over the run (upper bound on a shared stack). */
  services: Record<string, number | undefined>;
  hot?: TierCheck;
  cold?: TierCheck;
  /** Host load average (1 min) before and after. */
  load: [number, number];
  error?: string;
}

/**
 * A status line with the group's current assignment (`topic-partition`), which `bench_engine.ts` prints but
 * older engines (`BENCH_ENGINE_ROOT`) may not.
 */
type AssignedStatus = ChildStatus & { assigned?: string[] };

/** The partition numbers of an engine's current assignment (empty when unknown). */
function assignedOf(c: EngineChild): number[] {
  return ((c.status as AssignedStatus | undefined)?.assigned ?? [])
    .map((tp) => Number(tp.slice(tp.lastIndexOf("-") + 1)))
    .sort((a, b) => a - b);
}

/**
 * Whether the group has settled: every member owns at least one partition, no partition has two owners and
 * all `partitions` are owned — so no rebalance is pending when the load starts.
 */
export function assignmentSettled(assigned: readonly (readonly number[])[], partitions: number): boolean {
  const owned = assigned.flat();
  return assigned.every((a) => a.length > 0) && new Set(owned).size === owned.length &&
    owned.length === partitions;
}

/** Measured events delivered to both tiers according to one status line. */
function done(s: ChildStatus | undefined): number {
  return s === undefined ? 0 : Math.min(s.hot, s.cold);
}

/** Counts how often each id of `ids` is in a tier. */
export function checkTier(count: TierCount, ids: Iterable<string>): TierCheck {
  const out = { once: 0, missing: 0, duplicates: 0 };
  for (const id of ids) {
    const n = count.byId.get(id) ?? 0;
    if (n === 0) out.missing++;
    else out.once++;
    if (n > 1) out.duplicates += n - 1;
  }
  return out;
}

/**
 * One engine's cost over the measured window: CPU and delivered events at the feed start and at the end.
 * NaN per 1,000 when it delivered nothing.
 */
export function engineCost(
  start: { cpuMs: number; done: number },
  end: { cpuMs: number; done: number },
): { events: number; cpuSeconds: number; cpuPerThousand: number } {
  const events = end.done - start.done;
  const cpuSeconds = (end.cpuMs - start.cpuMs) / 1000;
  return { events, cpuSeconds, cpuPerThousand: events > 0 ? cpuSeconds * 1000 / events : NaN };
}

async function loadavg1(): Promise<number> {
  return Number((await Deno.readTextFile("/proc/loadavg").catch(() => "NaN")).split(" ")[0]);
}

/** Runs one scale-out measurement in its own scenario (topic, group, indices, bucket prefix) and drops it. */
export async function measureScaleOut(o: ScaleOutOptions): Promise<ScaleOutResult> {
  const loadBefore = await loadavg1();
  const scenario = await newScenario(o.runId, o.name, {}, o.partitions ?? 4);
  const feeder = new EventFeeder(scenario.config, scenario.config.kafka.topic);
  const children: EngineChild[] = [];
  const shares: CpuShare[] = [];
  const n = o.events.length;
  const base = {
    engines: o.engines,
    events: n,
    completed: false,
    eventsPerSecond: NaN,
    perEngine: [] as EngineShare[],
    services: {},
  };
  try {
    const cpus = navigator.hardwareConcurrency;
    for (let i = 0; i < o.engines; i++) {
      shares.push(
        await CpuShare.create({ name: `vigil-${o.runId}-${o.name}-${i}`, cpu: i % cpus, quota: o.quota }),
      );
    }
    const env = { ...scenario.env, BENCH_STATUS_MS: "50" };
    for (let i = 0; i < o.engines; i++) {
      const c = new EngineChild(env, "full");
      children.push(c);
      await shares[i].apply(c.pid);
    }
    await Promise.all(children.map((c) => c.ready()));
    // Threads started while the first taskset ran: pin once more now that the engines run.
    for (let i = 0; i < o.engines; i++) await shares[i].apply(children[i].pid);
    const total = () => children.reduce((s, c) => s + done(c.status), 0);
    const waitTotal = async (target: number, ms: number) => {
      const deadline = Date.now() + ms;
      while (total() < target && Date.now() < deadline) {
        const gone = await Promise.race([
          Promise.any(children.map((c) => c.exited)).then(() => true),
          new Promise<false>((r) => setTimeout(() => r(false), 50)),
        ]);
        if (gone) {
          throw new Error(`an engine exited: ${children.map((c) => c.stderr.slice(-1000)).join("\n")}`);
        }
      }
      return total() >= target;
    };
    // The group must have settled before the load starts (else the first member takes every partition and a
    // rebalance moves them mid-run); trickle warm-up events meanwhile, so each member has read and delivered.
    const maker = new EventMaker(`warm-${o.runId}-${o.name}-`);
    let warm = 0;
    const deadline = Date.now() + 90_000;
    const partitions = o.partitions ?? 4;
    while (
      !assignmentSettled(children.map(assignedOf), partitions) ||
      !children.every((c) => (c.status?.partitions.length ?? 0) > 0)
    ) {
      if (Date.now() > deadline) throw new Error("not every engine process got partitions");
      await feeder.sendAll(Array.from({ length: 100 }, () => maker.make(warm++)));
      await new Promise((r) => setTimeout(r, 500));
    }
    if (!await waitTotal(warm, 60_000)) throw new Error("warm-up events not delivered");
    // A member that took over partitions re-reads what their old owner delivered but had not committed yet:
    // wait until the group is settled, nothing is in flight and the totals have held still for 2 s (a new owner
    // fetches within the consumer's 500 ms wait), so no warm-up event is delivered again inside the measured
    // window. (The status's lag is measured every 5 s by the client: too stale to wait on.)
    let still = 0;
    let last = -1;
    const quiet = Date.now() + 90_000;
    while (still < 40) {
      if (Date.now() > quiet) {
        throw new Error(
          `the group did not settle after the warm-up: ${
            JSON.stringify(children.map((c) => ({ assigned: assignedOf(c), inFlight: c.status?.inFlight })))
          }, delivered ${total()} of ${warm}`,
        );
      }
      await new Promise((r) => setTimeout(r, 50));
      const now = total();
      const idle = children.every((c) => c.status !== undefined && c.status.inFlight === 0);
      still = idle && now === last && assignmentSettled(children.map(assignedOf), partitions) ? still + 1 : 0;
      last = now;
    }
    // Baselines: each engine's CPU from /proc and what it delivered so far (the warm-up).
    const start = await Promise.all(
      children.map(async (c) => ({ cpuMs: (await processCpuMs(c.pid)) ?? NaN, done: done(c.status) })),
    );
    const servicesBefore: ServiceCpu = await serviceCpuMs();
    const feedStart = Date.now();
    await feeder.sendAll(o.events);
    // From the baseline, not from `warm`: warm-up events delivered twice are already in the baseline.
    const completed = await waitTotal(start.reduce((sum, s) => sum + s.done, 0) + n, o.timeoutMs);
    const endAt = Math.max(...children.map((c) => c.status?.t ?? 0));
    const end = await Promise.all(
      children.map(async (c) => ({ cpuMs: (await processCpuMs(c.pid)) ?? NaN, done: done(c.status) })),
    );
    const servicesAfter: ServiceCpu = await serviceCpuMs();
    const perEngine: EngineShare[] = [];
    for (let i = 0; i < o.engines; i++) {
      const throttled = await shares[i].throttled();
      perEngine.push({
        cpu: shares[i].cpu,
        ...(shares[i].quota === undefined ? {} : { quota: shares[i].quota }),
        ...(shares[i].quotaNote === undefined ? {} : { quotaNote: shares[i].quotaNote }),
        partitions: assignedOf(children[i]),
        ...engineCost(start[i], end[i]),
        ...(throttled === undefined ? {} : { throttled }),
      });
    }
    const ids = o.events.map((e) => e.id);
    const [hot, cold] = completed
      ? [checkTier(await countHot(scenario.config), ids), checkTier(await countCold(scenario.config), ids)]
      : [undefined, undefined];
    return {
      ...base,
      completed,
      eventsPerSecond: completed ? n / ((endAt - feedStart) / 1000) : NaN,
      perEngine,
      redelivered: perEngine.reduce((sum, e) => sum + e.events, 0) - n,
      services: cpuSecondsPerThousand(servicesBefore, servicesAfter, n),
      ...(hot ? { hot } : {}),
      ...(cold ? { cold } : {}),
      load: [loadBefore, await loadavg1()],
    };
  } catch (err) {
    return { ...base, load: [loadBefore, await loadavg1()], error: (err as Error).message.slice(0, 2000) };
  } finally {
    await Promise.all(children.map((c) => c.kill9()));
    await Promise.all(shares.map((s) => s.close()));
    await feeder.close();
    await dropScenario(scenario).catch(() => {});
  }
}
