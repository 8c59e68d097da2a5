/**
 * CSRF protection for state-changing requests: they must be JSON (so a cross-site form or simple request
 * cannot forge them without a CORS preflight, which we never grant) and, when the browser says where they came
 * from (`Origin`, `Sec-Fetch-Site`), come from our own origin.
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

/** Creates the CSRF guard middleware; rejected requests get 403 with a JSON error. */
export function csrfGuard(): MiddlewareHandler {
  return async function csrfGuardMiddleware(c, next) {
    if (SAFE.has(c.req.method)) return await next();
    const origin = c.req.header("origin");
    const site = c.req.header("sec-fetch-site");
    const type = c.req.header("content-type") ?? "";
    const self = new URL(c.req.url).origin;
    let problem: string | undefined;
    if (origin !== undefined && origin !== self) problem = `origin ${origin} is not ${self}`;
    else if (site !== undefined && site !== "same-origin" && site !== "none") {
      problem = `sec-fetch-site is ${site}`;
    } else if (!/^application\/json\b/i.test(type)) problem = "content-type must be application/json";
    if (problem) return c.json({ error: `Cross-site request refused: ${problem}` }, 403);
    await next();
  };
}
