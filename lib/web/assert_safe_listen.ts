/**
 * The rule that the dashboard never listens beyond loopback without an access token. `deno task web` and
 * `deno task start` both call it before `Deno.serve`.
 *
 * @module
 */

const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost", "[::1]"]);

/**
 * Throws unless `host` is loopback or an access token is configured.
 *
 * @throws {RangeError} naming the host and the setting to use
 * @example
 * ```ts
 * import { assertSafeListen } from "./assert_safe_listen.ts";
 * assertSafeListen("127.0.0.1", undefined); // fine
 * assertSafeListen("0.0.0.0", "a-long-enough-token-1234"); // fine
 * ```
 */
export function assertSafeListen(host: string, accessToken: string | undefined): void {
  if (LOOPBACK.has(host) || (accessToken !== undefined && accessToken.length >= 16)) return;
  throw new RangeError(
    `Cannot listen on ${host} without an access token: set web.accessToken (VIGIL_WEB_ACCESS_TOKEN, at least 16 characters) or listen on 127.0.0.1`,
  );
}
