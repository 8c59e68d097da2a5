/**
 * Refuses requests addressed to a host name the dashboard was not configured under, against DNS rebinding: a web
 * page on `evil.example` whose name is re-pointed at 127.0.0.1 would otherwise be "same origin" with the
 * loopback dashboard (the CSRF guard builds our origin from the Host header) and could read it and call its
 * write APIs. With an access token the token already stops it (the cookie is never sent to `evil.example`), so
 * the check applies only when no token is configured.
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";

const LOOPBACK_NAMES = ["localhost", "127.0.0.1", "[::1]"];
const ANY_ADDRESS = new Set(["0.0.0.0", "::", "[::]"]);

/** Options of {@link hostGuard}. */
export interface HostGuardOptions {
  /** The configured access token; when set, every host is accepted (the token guard decides). */
  accessToken?: string;
  /**
   * The address the server listens on; accepted as a Host name unless it is a wildcard address. The check is on
   * when this or `allowedHosts` is given (the CLIs always give it); an app embedded without either (tests that
   * call `fetch` with made-up host names) is not checked.
   */
  listenHost?: string;
  /** Further names the dashboard is reached under (e.g. a reverse proxy's public name). */
  allowedHosts?: readonly string[];
}

/**
 * Creates the guard: requests whose Host (without port) is not a loopback name, the listen host or an allowed
 * host get 421 Misdirected Request with a JSON error.
 */
export function hostGuard(options: HostGuardOptions = {}): MiddlewareHandler {
  const allowed = new Set(
    [...LOOPBACK_NAMES, options.listenHost ?? "", ...(options.allowedHosts ?? [])]
      .map((h) => h.trim().toLowerCase())
      .map((h) => (h.includes(":") && !h.startsWith("[") ? `[${h}]` : h)) // bare IPv6 as URLs spell it
      .filter((h) => h !== "" && !ANY_ADDRESS.has(h)),
  );
  const enabled = options.listenHost !== undefined || options.allowedHosts !== undefined;
  return async function hostGuardMiddleware(c, next) {
    if (!enabled || options.accessToken !== undefined) return await next();
    // Deno.serve builds the request URL from the Host header, so its hostname is the Host without the port.
    const host = new URL(c.req.url).hostname.toLowerCase();
    if (!allowed.has(host)) {
      return c.json(
        {
          error: `Request refused as host ${host} is not one this dashboard serves (${
            [...allowed].join(", ")
          }): add it to web.allowedHosts (VIGIL_WEB_ALLOWED_HOSTS)`,
        },
        421,
      );
    }
    await next();
  };
}
