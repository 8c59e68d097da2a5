/**
 * A fixed CPU share for one bench process: pinned to one CPU (`taskset -a -p -c`, every thread) and, where this
 * host lets us, capped at a fraction of that CPU by a cgroup (v2 `cpu.max`, or v1 `cpu.cfs_quota_us`). On a
 * small shared host two engines otherwise compete with each other and with the services for the same cores,
 * and what one engine costs per event is hidden behind who got the CPU; with each engine's share fixed, the
 * CPU it spends per event is its own.
 *
 * The cgroup is best effort: it needs root and a writable cgroup file system with the cpu controller. When it
 * is missing, {@link CpuShare.quotaNote} says why and only the pinning applies.
 *
 * @module
 */

/** Options of {@link CpuShare.create}. */
export interface CpuShareOptions {
  /** Name of the cgroup (unique on the host while it exists). */
  name: string;
  /** The CPU to pin to (0-based). */
  cpu: number;
  /** Fraction of that CPU, in (0, 1]; undefined = no cap, pinning only. */
  quota?: number;
  /** cgroup mount root. Default `/sys/fs/cgroup`. */
  cgroupRoot?: string;
}

/** The CPU period the quota is expressed in, µs (the kernel's default). */
const PERIOD_US = 100_000;

/** Where a cgroup with the cpu controller can be made here, or why not. */
async function cgroupParent(root: string): Promise<{ dir: string; v2: boolean } | { reason: string }> {
  try {
    const controllers = await Deno.readTextFile(`${root}/cgroup.controllers`);
    if (!controllers.split(/\s+/).includes("cpu")) {
      return { reason: `cgroup v2 at ${root} has no cpu controller (${controllers.trim()})` };
    }
    return { dir: root, v2: true };
  } catch { /* not v2 at the root */ }
  try {
    await Deno.stat(`${root}/cpu/cpu.cfs_quota_us`);
    return { dir: `${root}/cpu`, v2: false };
  } catch {
    return { reason: `no cgroup cpu controller at ${root} (neither v2 cpu nor v1 cpu/cpu.cfs_quota_us)` };
  }
}

/** Runs `taskset` and throws with its output when it fails. */
async function taskset(args: string[]): Promise<string> {
  let out;
  try {
    out = await new Deno.Command("taskset", { args, stdout: "piped", stderr: "piped" }).output();
  } catch (err) {
    throw new Error(
      `Cannot pin a process as taskset is not available (util-linux): ${(err as Error).message}`,
    );
  }
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  if (!out.success) throw new Error(`taskset ${args.join(" ")} failed: ${text.trim()}`);
  return text;
}

/**
 * The CPUs a process's threads may run on, from `/proc/<pid>/task/<tid>/status` (`Cpus_allowed_list`), one
 * entry per thread; empty when the process is gone.
 */
export async function threadCpuLists(pid: number): Promise<string[]> {
  const out: string[] = [];
  try {
    for await (const t of Deno.readDir(`/proc/${pid}/task`)) {
      const status = await Deno.readTextFile(`/proc/${pid}/task/${t.name}/status`).catch(() => "");
      const m = /^Cpus_allowed_list:\s*(\S+)/m.exec(status);
      if (m) out.push(m[1]);
    }
  } catch { /* gone */ }
  return out;
}

/** One process's fixed CPU share: a pinned CPU and, where available, a quota cgroup. */
export class CpuShare {
  /** The CPU processes are pinned to. */
  readonly cpu: number;
  /** The fraction of that CPU they may use, when the cgroup applies. */
  readonly quota?: number;
  /** Why no quota applies (undefined when it does, or none was asked). */
  readonly quotaNote?: string;
  readonly #dir?: string;
  readonly #v2: boolean;

  private constructor(
    cpu: number,
    quota: number | undefined,
    note: string | undefined,
    dir?: string,
    v2 = false,
  ) {
    this.cpu = cpu;
    this.quota = quota;
    this.quotaNote = note;
    this.#dir = dir;
    this.#v2 = v2;
  }

  /**
   * Prepares a share: checks the CPU exists and makes the quota cgroup when asked and possible.
   *
   * @throws {RangeError} when `cpu` is not a CPU of this host or `quota` is outside (0, 1]
   */
  static async create(o: CpuShareOptions): Promise<CpuShare> {
    const cpus = navigator.hardwareConcurrency;
    if (!Number.isInteger(o.cpu) || o.cpu < 0 || o.cpu >= cpus) {
      throw new RangeError(
        `Cannot create a CPU share as cpu must be one of 0..${cpus - 1}: current value is ${o.cpu}`,
      );
    }
    if (o.quota === undefined) return new CpuShare(o.cpu, undefined, undefined);
    if (!(o.quota > 0 && o.quota <= 1)) {
      throw new RangeError(
        `Cannot create a CPU share as quota must be in (0, 1]: current value is ${o.quota}`,
      );
    }
    const parent = await cgroupParent(o.cgroupRoot ?? "/sys/fs/cgroup");
    if ("reason" in parent) return new CpuShare(o.cpu, undefined, parent.reason);
    const dir = `${parent.dir}/${o.name}`;
    const quotaUs = Math.round(o.quota * PERIOD_US);
    try {
      await Deno.mkdir(dir, { recursive: true });
      if (parent.v2) {
        await Deno.writeTextFile(`${dir}/cpu.max`, `${quotaUs} ${PERIOD_US}`);
      } else {
        await Deno.writeTextFile(`${dir}/cpu.cfs_period_us`, String(PERIOD_US));
        await Deno.writeTextFile(`${dir}/cpu.cfs_quota_us`, String(quotaUs));
      }
    } catch (err) {
      await Deno.remove(dir).catch(() => {});
      return new CpuShare(o.cpu, undefined, `cannot write a cgroup at ${dir}: ${(err as Error).message}`);
    }
    return new CpuShare(o.cpu, o.quota, undefined, dir, parent.v2);
  }

  /**
   * Puts a running process under this share: every thread pinned to the CPU (threads it starts later inherit
   * the mask of the thread that starts them) and the whole process moved into the quota cgroup.
   */
  async apply(pid: number): Promise<void> {
    await taskset(["-a", "-p", "-c", String(this.cpu), String(pid)]);
    if (this.#dir) await Deno.writeTextFile(`${this.#dir}/cgroup.procs`, String(pid));
  }

  /** Times the cgroup held its processes back, and for how long (ms); undefined without a cgroup. */
  async throttled(): Promise<{ periods: number; throttledMs: number } | undefined> {
    if (!this.#dir) return undefined;
    const stat = await Deno.readTextFile(`${this.#dir}/cpu.stat`).catch(() => "");
    const get = (k: string) => Number(new RegExp(`^${k} (\\d+)`, "m").exec(stat)?.[1] ?? NaN);
    return this.#v2
      ? { periods: get("nr_throttled"), throttledMs: get("throttled_usec") / 1000 }
      : { periods: get("nr_throttled"), throttledMs: get("throttled_time") / 1e6 };
  }

  /** Removes the cgroup (its processes must have exited). */
  async close(): Promise<void> {
    if (this.#dir) await Deno.remove(this.#dir).catch(() => {});
  }
}
