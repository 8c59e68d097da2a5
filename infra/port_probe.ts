/**
 * TCP port checks for the local stack: is something listening, and if so, which program.
 *
 * @module
 */

/**
 * Whether a TCP connection to `host:port` succeeds within `timeoutMs`.
 *
 * @param host an IPv4/IPv6 address or host name
 * @param port the TCP port
 * @param timeoutMs connection timeout in milliseconds (default 1000)
 */
export async function isPortOpen(host: string, port: number, timeoutMs = 1_000): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const connect = Deno.connect({ hostname: host, port }).then((conn) => {
    conn.close();
    return true;
  }, () => false);
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([connect, timeout]);
  } finally {
    clearTimeout(timer);
    // A connection that completes after the timeout is closed by the `then` above.
  }
}

/**
 * Describes the program listening on a TCP port, best effort (uses `ss` when installed).
 *
 * @returns e.g. `users:(("python3",pid=123,fd=3))`, or undefined when it cannot be told
 */
export async function describeListener(port: number): Promise<string | undefined> {
  try {
    const out = await new Deno.Command("ss", {
      args: ["-Hltnp", `sport = :${port}`],
      stdout: "piped",
      stderr: "null",
      stdin: "null",
    }).output();
    const line = new TextDecoder().decode(out.stdout).trim().split("\n")[0] ?? "";
    const users = line.match(/users:\(.*\)/);
    return users ? users[0] : undefined;
  } catch {
    return undefined;
  }
}
