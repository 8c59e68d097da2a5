/**
 * A pass-through HTTP proxy in front of OpenSearch that counts what the hot sink is told: `_bulk` responses
 * and their items by status (e.g. how many 429s). Requests and responses are OpenSearch's own, forwarded
 * unchanged (responses are re-sent decompressed, without the encoding headers).
 *
 * @module
 */

/** Counts of `_bulk` traffic through the observer. */
export interface BulkCounts {
  /** `_bulk` requests forwarded. */
  requests: number;
  /** `_bulk` items by HTTP status (as a string: "201", "429", ...). */
  items: Record<string, number>;
  /** `_bulk` responses that were not a JSON item list (whole-request failures), by HTTP status. */
  whole: Record<string, number>;
}

/** See module doc. */
export class BulkObserver {
  readonly counts: BulkCounts = { requests: 0, items: {}, whole: {} };
  readonly #server: Deno.HttpServer<Deno.NetAddr>;
  readonly #target: string;

  /** Listens on a free loopback port, forwarding to `target` (e.g. `http://127.0.0.1:9200`). */
  constructor(target: string) {
    this.#target = target.replace(/\/$/, "");
    this.#server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen: () => {} },
      (req) => this.#forward(req),
    );
  }

  /** `http://127.0.0.1:<port>`. */
  get url(): string {
    return `http://127.0.0.1:${this.#server.addr.port}`;
  }

  async #forward(req: Request): Promise<Response> {
    const url = new URL(req.url);
    const headers = new Headers(req.headers);
    headers.delete("host");
    const res = await fetch(`${this.#target}${url.pathname}${url.search}`, {
      method: req.method,
      headers,
      body: req.body ? await req.arrayBuffer() : undefined,
    });
    const body = new Uint8Array(await res.arrayBuffer());
    if (url.pathname.endsWith("/_bulk")) this.#count(res.status, body);
    const out = new Headers(res.headers);
    out.delete("content-encoding");
    out.delete("content-length");
    return new Response(body, { status: res.status, headers: out });
  }

  #count(status: number, body: Uint8Array): void {
    const c = this.counts;
    c.requests++;
    let items: { [op: string]: { status?: number } }[] | undefined;
    try {
      items = JSON.parse(new TextDecoder().decode(body)).items;
    } catch { /* not JSON */ }
    if (!Array.isArray(items)) {
      c.whole[status] = (c.whole[status] ?? 0) + 1;
      return;
    }
    for (const item of items) {
      const s = String(Object.values(item)[0]?.status ?? "none");
      c.items[s] = (c.items[s] ?? 0) + 1;
    }
  }

  /** Stops listening. */
  async close(): Promise<void> {
    await this.#server.shutdown();
  }
}
