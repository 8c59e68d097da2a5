/**
 * Runs `bench_engine.ts` as a child process and follows its `STATUS` lines: counters, RSS, CPU time and
 * produce → indexed latency samples, for the bench suite and the chaos scenarios.
 *
 * @module
 */
import { textPieces } from "../../lib/streams/delimited_text_stream.ts";

/** What the child runs: the product pipeline, or the engine cut before storage (see bench_engine.ts). */
export type EngineMode = "full" | "discard" | "parse" | "source";

/** One `STATUS` line of the child (see bench_engine.ts). */
export interface ChildStatus {
  t: number;
  consumed: number;
  invalid: number;
  inFlight: number;
  paused: boolean;
  lag: number;
  partitions: number[];
  /** Records acknowledged by the discarding sink (cut modes). */
  discarded: number;
  /** Cut modes: wall/CPU time at the discarding sink's first and latest batch (see bench_engine.ts). */
  window?: { firstAt: number; firstCpuMs: number; firstBatch: number; lastAt: number; lastCpuMs: number };
  /** Port of the live dashboard stream (`BENCH_WEB=1` only). */
  webPort?: number;
  hot: number;
  hotHealthy: boolean;
  /** Bulk requests the hot sink sent (full mode). */
  hotBulks: number;
  cold: number;
  coldBuffered: number;
  coldHealthy: boolean;
  rss: number;
  heapUsed: number;
  /** V8 heap reserved by the main isolate (absent from engines older than the field). */
  heapTotal?: number;
  /** Memory outside the V8 heap that it tracks: ArrayBuffers (absent from engines older than the field). */
  external?: number;
  cpuMs: number;
  lat: number[];
}

/**
 * The checkout whose engine runs (ending in `/`): this one, or `BENCH_ENGINE_ROOT` — another checkout (say, the
 * commit before a change, with `node_modules` and `.vigil` linked to this one's) measured by this harness,
 * against the same raw limits, so a before/after comparison differs only in the engine.
 */
export function engineRoot(): string {
  const other = Deno.env.get("BENCH_ENGINE_ROOT");
  if (other === undefined || other === "") return new URL("../../", import.meta.url).pathname;
  return other.endsWith("/") ? other : `${other}/`;
}

/**
 * The `--v8-flags=…` of the engine task (`deno task engine`) in `root`'s deno.json: the bench runs its engine
 * under the runtime settings the product runs with (a heap bound changes both speed and memory), and a
 * before/after pair each under its own checkout's.
 */
export function engineV8Flags(root: string): string[] {
  try {
    const json = JSON.parse(Deno.readTextFileSync(`${root}deno.json`)) as { tasks?: Record<string, string> };
    return (json.tasks?.engine ?? "").split(/\s+/).filter((a) => a.startsWith("--v8-flags="));
  } catch {
    return [];
  }
}

/** A running bench engine process. */
export class EngineChild {
  readonly child: Deno.ChildProcess;
  /** Latest status (undefined before the first). */
  status?: ChildStatus;
  /** Every status seen (latency arrays emptied to save memory). */
  readonly history: ChildStatus[] = [];
  /** Latency samples (ms) collected since the last {@link takeLatencies}. */
  #latencies: number[] = [];
  stderr = "";
  #ready: Promise<void>;
  readonly exited: Promise<Deno.CommandStatus>;

  /** @param mode `full` (product wiring) or a cut without storage */
  constructor(env: Record<string, string>, mode: EngineMode = "full") {
    const root = engineRoot();
    const child = new Deno.Command(Deno.execPath(), {
      // BENCH_CPU_PROF_DIR: V8's CPU profile of the engine's main thread, written there at a graceful stop.
      args: [
        "run",
        "-A",
        ...engineV8Flags(root),
        ...(env.BENCH_CPU_PROF_DIR ? ["--cpu-prof", `--cpu-prof-dir=${env.BENCH_CPU_PROF_DIR}`] : []),
        `${root}bench/suite/bench_engine.ts`,
      ],
      cwd: root,
      env: { ...env, BENCH_ENGINE_MODE: mode },
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    this.child = child;
    const ready = Promise.withResolvers<void>();
    this.#ready = ready.promise;
    (async () => {
      for await (const line of textPieces(child.stdout)) {
        if (line === "READY") ready.resolve();
        if (line.startsWith("STATUS ")) {
          const s = JSON.parse(line.slice(7)) as ChildStatus;
          for (const x of s.lat) this.#latencies.push(x);
          this.status = s;
          this.history.push({ ...s, lat: [] });
        }
      }
    })().catch(() => {});
    (async () => {
      for await (const chunk of child.stderr.pipeThrough(new TextDecoderStream())) {
        this.stderr = (this.stderr + chunk).slice(-20_000);
      }
    })().catch(() => {});
    this.exited = child.status;
  }

  /** The process id. */
  get pid(): number {
    return this.child.pid;
  }

  /** Resolves once the child consumes; rejects if it exits first or after `timeoutMs`. */
  async ready(timeoutMs = 90_000): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      await Promise.race([
        this.#ready,
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`engine not ready in time; stderr:\n${this.stderr}`)),
            timeoutMs,
          );
        }),
        this.exited.then((s) => {
          throw new Error(`engine exited with ${s.code}; stderr:\n${this.stderr}`);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Latency samples since the previous call. */
  takeLatencies(): number[] {
    const out = this.#latencies;
    this.#latencies = [];
    return out;
  }

  /** Waits until `cond(status)` holds (checked every 100 ms); false after `timeoutMs` or when the child exits. */
  async until(cond: (s: ChildStatus) => boolean, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    let gone = false;
    this.exited.then(() => gone = true);
    while (Date.now() < deadline && !gone) {
      if (this.status && cond(this.status)) return true;
      await new Promise((r) => setTimeout(r, 100));
    }
    return this.status !== undefined && cond(this.status);
  }

  /** SIGKILL: a crash (no flush, no commit). */
  async kill9(): Promise<void> {
    try {
      this.child.kill("SIGKILL");
    } catch { /* already gone */ }
    await this.exited;
  }

  /** SIGTERM and wait for the graceful stop (SIGKILL after `timeoutMs`). */
  async stop(timeoutMs = 40_000): Promise<Deno.CommandStatus> {
    try {
      this.child.kill("SIGTERM");
    } catch { /* already gone */ }
    const timer = setTimeout(() => {
      try {
        this.child.kill("SIGKILL");
      } catch { /* gone */ }
    }, timeoutMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }
}

/** CPU use of a child between two statuses, in % of one core. */
export function cpuPercent(a: ChildStatus, b: ChildStatus): number {
  return ((b.cpuMs - a.cpuMs) / Math.max(1, b.t - a.t)) * 100;
}
