/**
 * The dashboard's exposure settings from `web.*` of the configuration, in one place so `deno task web` and
 * `deno task start` guard the dashboard identically (token, Host allow-list, SSE bounds, POST rate limit).
 *
 * @module
 */
import type { VigilConfig } from "../config/vigil_config.ts";
import type { WebDeps } from "./create_web_app.tsx";

/** The {@link WebDeps} fields that come from `web.*`. */
export type WebExposureOptions = Pick<
  WebDeps,
  | "accessToken"
  | "listenHost"
  | "allowedHosts"
  | "sseClientCapacity"
  | "sseMaxClients"
  | "sseWriteTimeoutMs"
  | "postRateLimit"
>;

/** Maps `web.*` to the app's options. */
export function webOptionsFromConfig(web: VigilConfig["web"]): WebExposureOptions {
  return {
    accessToken: web.accessToken,
    listenHost: web.host,
    allowedHosts: web.allowedHosts,
    sseClientCapacity: web.sseClientCapacity,
    sseMaxClients: web.sseMaxClients,
    sseWriteTimeoutMs: web.sseWriteTimeoutMs,
    postRateLimit: { burst: web.postBurst, perSecond: web.postPerSecond },
  };
}
