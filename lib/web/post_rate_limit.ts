/**
 * A per-client rate limit on the dashboard's state-changing requests (incident actions, mutes, undo): a token
 * bucket per client address, `burst` requests at once and `perSecond` sustained. A client past it gets 429 with
 * `Retry-After` (whole seconds until its next request is allowed). Reads (GET/HEAD/OPTIONS) are not limited.
 *
 * The client table is bounded: beyond `maxClients` the least recently seen client is forgotten (counted), so a
 * flood from many addresses costs a fixed amount of memory; a forgotten client starts again with a full bucket.
 * The client is the TCP peer address: behind a reverse proxy all clients share the proxy's bucket.
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";
import { BoundedLru } from "../incidents/bounded_lru.ts";

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

/** Options of {@link postRateLimit}. */
export interface PostRateLimitOptions {
  /** Requests a client may make at once. Default 20. */
  burst?: number;
  /** Requests per second a client may sustain. Default 2. */
  perSecond?: number;
  /** Clients remembered at once. Default 10 000. */
  maxClients?: number;
  /** Clock in milliseconds. Default `Date.now`. */
  now?: () => number;
  /** Called for each refused request. */
  onLimited?: () => void;
  /** Called with how many clients were forgotten to stay within `maxClients`. */
  onEvicted?: (count: number) => void;
}

interface Bucket {
  tokens: number;
  atMs: number;
}

/** The address a request came from (Deno.serve's `remoteAddr`), or `"unknown"` when called without one. */
export function clientAddressOf(env: unknown): string {
  const addr = (env as { remoteAddr?: { hostname?: string } } | undefined)?.remoteAddr;
  return addr?.hostname ?? "unknown";
}

/**
 * Creates the rate-limit middleware (see module doc).
 *
 * @throws {RangeError} when a limit is not positive
 */
export function postRateLimit(options: PostRateLimitOptions = {}): MiddlewareHandler {
  const { burst = 20, perSecond = 2, maxClients = 10_000, now = Date.now, onLimited, onEvicted } = options;
  if (!Number.isInteger(burst) || burst < 1) {
    throw new RangeError(
      `Cannot create the POST rate limit as burst must be a positive integer: current value is ${burst}`,
    );
  }
  if (!(perSecond > 0) || !Number.isFinite(perSecond)) {
    throw new RangeError(
      `Cannot create the POST rate limit as perSecond must be a positive number: current value is ${perSecond}`,
    );
  }
  const clients = new BoundedLru<string, Bucket>(maxClients, "web_post_clients");
  const remember = (client: string, bucket: Bucket) => {
    const evictedBefore = clients.evicted;
    clients.set(client, bucket);
    if (clients.evicted > evictedBefore) onEvicted?.(clients.evicted - evictedBefore);
  };
  return async function postRateLimitMiddleware(c, next) {
    if (SAFE.has(c.req.method)) return await next();
    const client = clientAddressOf(c.env);
    const at = now();
    const held = clients.get(client);
    const tokens = held === undefined
      ? burst
      : Math.min(burst, held.tokens + ((at - held.atMs) / 1000) * perSecond);
    if (tokens < 1) {
      remember(client, { tokens, atMs: at });
      onLimited?.();
      const retryAfter = Math.max(1, Math.ceil((1 - tokens) / perSecond));
      c.header("Retry-After", String(retryAfter));
      return c.json(
        {
          error:
            `Too many requests from ${client}: at most ${perSecond}/s (bursts of ${burst}); retry in ${retryAfter} s`,
        },
        429,
      );
    }
    remember(client, { tokens: tokens - 1, atMs: at });
    await next();
  };
}
