/**
 * Datagrams the kernel dropped on a UDP socket before the receiver could read them — its receive buffer was full.
 * vigil cannot count those itself (it never sees them), but Linux keeps a per-socket count: the last column
 * (`drops`) of `/proc/net/udp` and `/proc/net/udp6`. With it, "UDP counts what it had to drop" holds for every
 * datagram that reached the host: sent = accepted + dropped by vigil + dropped by the kernel.
 *
 * Why it matters: the receive buffer is the system's default (`net.core.rmem_default`, often 208 KiB, a few
 * hundred datagrams): Deno's `node:dgram` does not apply `recvBufferSize` to the socket (Deno 2.9.6:
 * `getRecvBufferSize()` answers 8 MiB while `ss -uam` shows `rb212992`), so a burst the event loop cannot keep up
 * with is dropped by the kernel, not by vigil.
 *
 * @module
 */

/**
 * Sums the kernel's drop counts of the UDP sockets bound to `port` (IPv4 and IPv6).
 *
 * @param port the local port
 * @param tables the `/proc` tables to read; a table that cannot be read is skipped
 * @returns the drops, or undefined when no table could be read (not Linux) or no socket is bound to `port`
 *
 * @example
 * ```ts
 * import { udpKernelDrops } from "./udp_kernel_drops.ts";
 * const drops = udpKernelDrops(5514); // undefined unless something listens on UDP 5514 on Linux
 * ```
 */
export function udpKernelDrops(
  port: number,
  tables: readonly string[] = ["/proc/net/udp", "/proc/net/udp6"],
): number | undefined {
  const suffix = `:${port.toString(16).toUpperCase().padStart(4, "0")}`;
  let found = false;
  let drops = 0;
  for (const table of tables) {
    let text: string;
    try {
      text = Deno.readTextFileSync(table);
    } catch {
      continue;
    }
    for (const row of text.split("\n").slice(1)) {
      const fields = row.trim().split(/\s+/);
      if (fields.length < 13 || !fields[1].endsWith(suffix)) continue;
      found = true;
      drops += Number(fields[fields.length - 1]);
    }
  }
  return found ? drops : undefined;
}
