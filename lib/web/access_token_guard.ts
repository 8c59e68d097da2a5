/**
 * Requires an access token on every request when one is configured (mandatory when listening beyond
 * loopback). Accepted as `Authorization: Bearer <token>`, or the `vigil_token` cookie; a browser opens
 * `/?access_token=<token>` once, which sets the cookie (HttpOnly, SameSite=Strict) and redirects without it.
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";

function timingSafeEqual(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}

/**
 * Creates the guard.
 *
 * @param token the configured token; `undefined` disables the guard
 * @throws {RangeError} for a token shorter than 16 characters
 */
export function accessTokenGuard(token: string | undefined): MiddlewareHandler {
  if (token !== undefined && token.length < 16) {
    throw new RangeError(
      `Cannot use the web access token as it must be at least 16 characters: current length is ${token.length}`,
    );
  }
  return async function accessTokenMiddleware(c, next) {
    if (token === undefined || c.req.path === "/healthz") return await next();
    const url = new URL(c.req.url);
    const fromQuery = url.searchParams.get("access_token");
    if (fromQuery !== null && c.req.method === "GET") {
      if (!timingSafeEqual(fromQuery, token)) return c.text("Invalid access token", 401);
      setCookie(c, "vigil_token", token, { httpOnly: true, sameSite: "Strict", path: "/" });
      url.searchParams.delete("access_token");
      return c.redirect(url.pathname + url.search, 303);
    }
    const header = c.req.header("authorization");
    const bearer = header?.startsWith("Bearer ") ? header.slice(7) : undefined;
    const presented = bearer ?? getCookie(c, "vigil_token");
    if (presented === undefined || !timingSafeEqual(presented, token)) {
      return c.text("Access token required: open /?access_token=<token> or send Authorization: Bearer", 401);
    }
    await next();
  };
}
