/**
 * Shared use of the local stack by several commands at once (parallel `deno task test` runs, `deno task
 * start`): each holds a lease; the stack is left as found by the LAST holder to leave. A holder that started
 * services but leaves while others still use them hands the duty to stop them over to the remaining
 * holders. Services started by `deno task stack up` are never stopped by leases.
 *
 * @module
 */
import { stackDownUnlocked, type StackLog, stackUpUnlocked } from "./local_stack.ts";
import { withStackLock } from "./stack_lock.ts";
import { STACK_HOME } from "./stack_paths.ts";
import { writeFileDurably } from "../lib/state/durable_file.ts";

const LEASES = `${STACK_HOME}/leases`;
const PENDING = `${LEASES}/pending-stop.json`;

/** A held lease on the running stack. */
export interface StackLease {
  /** Services this holder started (already-running ones are not listed). */
  readonly started: readonly string[];
  /** Seconds each started service took to become healthy. */
  readonly startSeconds: Readonly<Record<string, number>>;
  /**
   * Gives the lease back. When no other holder is alive, stops every service started by holders (this one
   * and earlier ones that left first); otherwise leaves them running for the others. Idempotent.
   *
   * @returns names of the services stopped now
   */
  release(): Promise<string[]>;
}

interface LeaseFile {
  pid: number;
  started: string[];
}

function isAlive(pid: number): boolean {
  try {
    Deno.statSync(`/proc/${pid}`);
    return true;
  } catch {
    return false;
  }
}

async function readJson<T>(path: string, fallback: T): Promise<T> {
  try {
    return JSON.parse(await Deno.readTextFile(path)) as T;
  } catch {
    return fallback;
  }
}

/**
 * Brings the stack (or the named services) up if needed and takes a lease on it.
 *
 * @param names services to use (default all)
 * @param log receives progress lines
 * @throws {StackError} as `stackUp` does; no lease is held then, and what this call started is stopped
 *   unless another holder is alive
 */
export async function acquireStack(
  names: readonly string[] = [],
  log: StackLog = console.log,
): Promise<StackLease> {
  const id = `${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`;
  const leaseFile = `${LEASES}/${id}.json`;
  let started: string[] = [];
  let startSeconds: Record<string, number> = {};
  await withStackLock(async () => {
    await Deno.mkdir(LEASES, { recursive: true });
    // The lease exists before anything starts, so an interrupted start still gets cleaned up by release. Written
    // durably: a torn lease reads as a dead holder, whose services another holder would then stop.
    const write = () => writeFileDurably(leaseFile, JSON.stringify({ pid: Deno.pid, started } as LeaseFile));
    await write();
    try {
      const res = await stackUpUnlocked(names, log, (name) => {
        started = [...started, name];
        return write();
      });
      startSeconds = res.startSeconds;
    } catch (err) {
      await releaseUnlocked(leaseFile, log);
      throw err;
    }
  });
  let released: Promise<string[]> | undefined;
  return {
    started,
    startSeconds,
    release() {
      released ??= withStackLock(() => releaseUnlocked(leaseFile, log));
      return released;
    },
  };
}

async function releaseUnlocked(leaseFile: string, log: StackLog): Promise<string[]> {
  const own = await readJson<LeaseFile>(leaseFile, { pid: Deno.pid, started: [] });
  await Deno.remove(leaseFile).catch(() => {});
  const toStop = new Set<string>([...own.started, ...await readJson<string[]>(PENDING, [])]);
  let othersAlive = false;
  for await (const entry of Deno.readDir(LEASES)) {
    if (!entry.name.endsWith(".json") || `${LEASES}/${entry.name}` === PENDING) continue;
    const path = `${LEASES}/${entry.name}`;
    const other = await readJson<LeaseFile | undefined>(path, undefined);
    if (other && isAlive(other.pid)) {
      othersAlive = true;
    } else {
      // Its holder died without releasing: its services become ours to stop.
      for (const name of other?.started ?? []) toStop.add(name);
      await Deno.remove(path).catch(() => {});
    }
  }
  if (othersAlive) {
    if (toStop.size > 0) {
      await writeFileDurably(PENDING, JSON.stringify([...toStop]));
      log(`leaving ${[...toStop].join(", ")} running for other users of the stack`);
    }
    return [];
  }
  await Deno.remove(PENDING).catch(() => {});
  return toStop.size > 0 ? await stackDownUnlocked([...toStop], log) : [];
}
