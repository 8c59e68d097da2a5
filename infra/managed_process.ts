/**
 * Starting and stopping the stack's long-running processes through pid files. A process is "ours" only
 * when the pid in its pid file is alive AND one of its command-line arguments equals the service's marker
 * (e.g. `-Dvigil.stack=/repo/.vigil/kafka`), so a stale pid file whose number was reused by an unrelated
 * program — or another checkout's stack — never leads to killing that program.
 *
 * @module
 */

/** How to launch a detached service process. */
export interface LaunchOptions {
  /** Executable to run. */
  cmd: string;
  /** Arguments; the executable or one of them must equal `marker`. */
  args: string[];
  /** Text that appears in the command line of this process only (checked by {@link isOurProcess}). */
  marker: string;
  /** File receiving the pid; written before the executable starts. */
  pidFile: string;
  /** File receiving stdout and stderr (appended). */
  logFile: string;
  /** Working directory. */
  cwd: string;
  /** Extra environment variables. */
  env?: Record<string, string>;
}

/**
 * Starts a process in its own session (so Ctrl-C in the terminal that ran `stack up` does not reach it),
 * with stdin closed and stdout/stderr appended to `logFile`. The pid is the executable's own: the shell
 * writes `$$` and then `exec`s it.
 *
 * @returns the pid of the started process
 * @throws {Error} when the process could not be launched
 */
export async function launchDetached(opts: LaunchOptions): Promise<number> {
  if (![opts.cmd, ...opts.args].includes(opts.marker)) {
    throw new RangeError(`Cannot launch ${opts.cmd} as no argument carries the marker ${opts.marker}`);
  }
  await Deno.remove(opts.pidFile).catch(() => {});
  const script = 'echo $$ > "$VIGIL_PID_FILE"; exec "$@" >> "$VIGIL_LOG_FILE" 2>&1 < /dev/null';
  const child = new Deno.Command("setsid", {
    args: ["sh", "-c", script, "sh", opts.cmd, ...opts.args],
    cwd: opts.cwd,
    env: { ...opts.env, VIGIL_PID_FILE: opts.pidFile, VIGIL_LOG_FILE: opts.logFile },
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  child.unref();
  // setsid may fork; the pid file is the source of truth either way.
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    const pid = await readPid(opts.pidFile);
    if (pid !== undefined) return pid;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`Launching ${opts.cmd} did not write its pid file ${opts.pidFile} within 5 s`);
}

/**
 * Reads a pid file.
 *
 * @returns the pid, or undefined when the file is missing or does not hold a positive integer
 */
export async function readPid(pidFile: string): Promise<number | undefined> {
  try {
    const text = (await Deno.readTextFile(pidFile)).trim();
    const pid = Number(text);
    return /^\d+$/.test(text) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether `pid` is alive and one of its command-line arguments equals `marker` (Linux `/proc`). Zombies
 * count as gone.
 */
export async function isOurProcess(pid: number, marker: string): Promise<boolean> {
  try {
    const stat = await Deno.readTextFile(`/proc/${pid}/stat`);
    // Field 3 (after the parenthesised command name) is the state; Z = zombie, X = dead.
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    if (state === "Z" || state === "X") return false;
    const cmdline = await Deno.readTextFile(`/proc/${pid}/cmdline`);
    return cmdline.split("\0").some((arg) => arg === marker);
  } catch {
    return false;
  }
}

/**
 * Returns the pid recorded in `pidFile` if that process is alive and ours, else undefined (and removes a
 * stale pid file).
 */
export async function runningPid(pidFile: string, marker: string): Promise<number | undefined> {
  const pid = await readPid(pidFile);
  if (pid === undefined) return undefined;
  if (await isOurProcess(pid, marker)) return pid;
  await Deno.remove(pidFile).catch(() => {});
  return undefined;
}

/**
 * Stops the process recorded in `pidFile` if it is ours: SIGTERM, then SIGKILL after `graceMs`.
 * Removes the pid file. Does nothing when the process is not running or not ours.
 *
 * @returns true when a process was stopped
 */
export async function stopProcess(pidFile: string, marker: string, graceMs = 20_000): Promise<boolean> {
  const pid = await runningPid(pidFile, marker);
  if (pid === undefined) return false;
  signal(pid, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && await isOurProcess(pid, marker)) {
    await new Promise((r) => setTimeout(r, 100));
  }
  if (await isOurProcess(pid, marker)) {
    signal(pid, "SIGKILL");
    const killDeadline = Date.now() + 5_000;
    while (Date.now() < killDeadline && await isOurProcess(pid, marker)) {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  await Deno.remove(pidFile).catch(() => {});
  return true;
}

/** Signals the process, or its whole process group when it leads one (as `launchDetached` arranges). */
function signal(pid: number, sig: Deno.Signal): void {
  let target = pid;
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    // Fields after ") ": state, ppid, pgrp.
    const pgrp = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]);
    if (pgrp === pid) target = -pid;
  } catch { /* gone already; the kill below reports NotFound */ }
  try {
    Deno.kill(target, sig);
  } catch (err) {
    // Already gone between the check and the signal: that is what we wanted.
    if (!(err instanceof Deno.errors.NotFound)) throw err;
  }
}
