/**
 * A real syslog-ng for the ingest tests: started in the foreground on a test's configuration, with its own
 * persist, pid and control files in the test's folder, its stderr kept for the failure message, and an `exited`
 * promise that rejects when it ends by itself (a configuration it refused), so a test fails at once rather than
 * at its hot-tier deadline.
 *
 * @module
 */

/** Debian's syslog-ng, or another build named by `VIGIL_TEST_SYSLOG_NG` (e.g. one extracted beside rsyslog). */
export const SYSLOG_NG = Deno.env.get("VIGIL_TEST_SYSLOG_NG") ?? "/usr/sbin/syslog-ng";

/** A running syslog-ng. */
export interface SyslogNgProcess {
  /** The last 5,000 characters it wrote to stderr. */
  stderr(): string;
  /** Rejects when the process ends before {@link SyslogNgProcess.stop} (never resolves). */
  exited: Promise<never>;
  /** Stops it (SIGTERM) and waits for it to end. */
  stop(): Promise<void>;
}

/**
 * Writes `config` to `<dir>/syslog-ng.conf` and starts syslog-ng on it.
 *
 * @param dir the test's temporary folder (syslog-ng's persist, pid and control files go there)
 */
export async function startSyslogNg(
  dir: string,
  config: string,
  binary = SYSLOG_NG,
): Promise<SyslogNgProcess> {
  await Deno.writeTextFile(`${dir}/syslog-ng.conf`, config);
  const child = new Deno.Command(binary, {
    args: [
      "-F",
      "-f",
      `${dir}/syslog-ng.conf`,
      "-R",
      `${dir}/persist`,
      "-p",
      `${dir}/pid`,
      "-c",
      `${dir}/ctl`,
    ],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let stderr = "";
  (async () => {
    for await (const c of child.stderr.pipeThrough(new TextDecoderStream())) {
      stderr = (stderr + c).slice(-5000);
    }
  })().catch(() => {});
  (async () => {
    for await (const _ of child.stdout) { /* drained */ }
  })().catch(() => {});
  let stopping = false;
  const exited = child.status.then((s) => {
    throw new Error(`syslog-ng exited with ${s.code}${stopping ? " (stopped)" : ""}`);
  });
  exited.catch(() => {}); // stopping it settles this too
  return {
    stderr: () => stderr,
    exited,
    stop: async () => {
      stopping = true;
      try {
        child.kill("SIGTERM");
      } catch { /* it ended by itself (a configuration error, shown in the assertion) */ }
      await child.status;
    },
  };
}
