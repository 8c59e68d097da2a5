/**
 * A TCP proxy in front of a real service, for outage tests that must not stop the shared service itself:
 * `down()` closes the listener and cuts every connection (clients see connection refused/reset, as when the
 * service dies), `up()` listens again on the same port.
 *
 * @module
 */

/** A cuttable TCP proxy. */
export class TcpProxy {
  readonly port: number;
  #target: { hostname: string; port: number };
  #listener?: Deno.Listener;
  #conns = new Set<Deno.Conn>();

  private constructor(port: number, target: { hostname: string; port: number }) {
    this.port = port;
    this.#target = target;
  }

  /** Starts a proxy on a free local port forwarding to `target`. */
  static start(target: { hostname: string; port: number }): TcpProxy {
    const probe = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = (probe.addr as Deno.NetAddr).port;
    probe.close();
    const proxy = new TcpProxy(port, target);
    proxy.up();
    return proxy;
  }

  /** Accepts connections again. */
  up(): void {
    if (this.#listener) return;
    const listener = Deno.listen({ hostname: "127.0.0.1", port: this.port });
    this.#listener = listener;
    (async () => {
      for await (const client of listener) this.#pipe(client);
    })().catch(() => {});
  }

  /** Refuses new connections and cuts open ones. */
  down(): void {
    this.#listener?.close();
    this.#listener = undefined;
    for (const c of this.#conns) {
      try {
        c.close();
      } catch { /* already closed */ }
    }
    this.#conns.clear();
  }

  async #pipe(client: Deno.Conn): Promise<void> {
    let upstream: Deno.Conn;
    try {
      upstream = await Deno.connect(this.#target);
    } catch {
      client.close();
      return;
    }
    this.#conns.add(client);
    this.#conns.add(upstream);
    const close = () => {
      for (const c of [client, upstream]) {
        this.#conns.delete(c);
        try {
          c.close();
        } catch { /* already closed */ }
      }
    };
    await Promise.race([
      client.readable.pipeTo(upstream.writable, { preventClose: true }).catch(() => {}),
      upstream.readable.pipeTo(client.writable, { preventClose: true }).catch(() => {}),
    ]);
    close();
  }
}
