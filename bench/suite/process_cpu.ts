/**
 * CPU time of the processes a pipeline run uses — the stack's services (Kafka broker, OpenSearch, the S3
 * server) read from `/proc/<pid>/stat`, and this process — so a bench can say what one event costs in each,
 * not only how fast the engine went. CPU time, unlike wall time, is little disturbed by other load on a
 * shared machine; what it cannot tell apart is work a service did for someone else during the window (other
 * clients of the same stack), so the figures are an upper bound when the stack is shared.
 *
 * @module
 */
import process from "node:process";
import { stackStatus } from "../../infra/local_stack.ts";

/** Clock ticks per second of `/proc/<pid>/stat`'s times (USER_HZ: 100 on every Linux vigil runs on). */
const TICKS_PER_SECOND = 100;

/** Services whose CPU a run accounts for, by the stack's names. */
export const ACCOUNTED_SERVICES = ["kafka", "opensearch", "s3"] as const;
/** One accounted service. */
export type AccountedService = typeof ACCOUNTED_SERVICES[number];

/**
 * User + system CPU time of a process (all its threads), ms; `undefined` when it cannot be read (no
 * `/proc`, the process is gone, not ours to read).
 */
export async function processCpuMs(pid: number): Promise<number | undefined> {
  try {
    const stat = await Deno.readTextFile(`/proc/${pid}/stat`);
    // Fields after the command name (which may hold spaces and parentheses): state is field 3, utime 14,
    // stime 15 — indices 11 and 12 after the closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? (ticks * 1000) / TICKS_PER_SECOND : undefined;
  } catch {
    return undefined;
  }
}

/** CPU time (ms) of each accounted service the local stack runs, at one instant; absent when unknown. */
export type ServiceCpu = Partial<Record<AccountedService, number>>;

/** Reads {@link ServiceCpu} now (services not run by the local stack — an external cluster — are absent). */
export async function serviceCpuMs(): Promise<ServiceCpu> {
  const out: ServiceCpu = {};
  let statuses;
  try {
    statuses = await stackStatus([...ACCOUNTED_SERVICES]);
  } catch {
    return out;
  }
  for (const s of statuses) {
    if (s.pid === undefined) continue;
    const ms = await processCpuMs(s.pid);
    if (ms !== undefined) out[s.name as AccountedService] = ms;
  }
  return out;
}

/** This process's CPU time (all threads), ms. */
export function ownCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/**
 * CPU seconds per 1,000 events between two readings of each process (`undefined` where either reading is
 * missing).
 */
export function cpuSecondsPerThousand(
  before: Record<string, number | undefined>,
  after: Record<string, number | undefined>,
  events: number,
): Record<string, number | undefined> {
  const out: Record<string, number | undefined> = {};
  for (const name of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const a = before[name], b = after[name];
    out[name] = a === undefined || b === undefined || events <= 0
      ? undefined
      : ((b - a) / 1000) * (1000 / events);
  }
  return out;
}
