/**
 * How vigil's clients of the hot tier (the hot sink's bulk writes, the dashboard's searches) authenticate and
 * verify the cluster: basic auth or an Elasticsearch API key, and TLS (private CA, client certificate) from
 * `hot.*` — one mapping to the options of `@opensearch-project/opensearch` and `@elastic/elasticsearch`.
 *
 * @module
 */
import type { ConnectionOptions as TlsConnectionOptions } from "node:tls";
import { isCertificateError, nodeTlsOptions, type TlsFiles, untrustedCertificateHint } from "./tls_files.ts";

/** The hot tier's connection settings (`hot.*`). */
export interface HotTierConnection {
  /** Basic-auth user. */
  username?: string;
  /** Basic-auth password. */
  password?: string;
  /** Elasticsearch API key (`Authorization: ApiKey …`). */
  apiKey?: string;
  /** TLS of an `https://` URL. */
  tls?: TlsFiles;
}

/** Client options common to both libraries. */
export interface HotTierClientOptions {
  /** `auth` of either client. */
  auth?: { username: string; password: string } | { apiKey: string };
  /** `ssl` (OpenSearch) / `tls` (Elasticsearch) options; absent for the system's defaults. */
  tls?: TlsConnectionOptions;
}

/**
 * The `auth` and TLS options of a hot-tier client. PEM files are read here, so a missing one fails at once
 * naming `hot.tls.*`; verification off is warned about loudly.
 *
 * @param connection the `hot.*` settings
 * @throws {Error} naming the setting when a PEM file cannot be read
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { hotTierClientOptions } from "./hot_tier_connection.ts";
 * assert.deepEqual(hotTierClientOptions({ apiKey: "a2V5" }), { auth: { apiKey: "a2V5" } });
 * ```
 */
export function hotTierClientOptions(connection: HotTierConnection): HotTierClientOptions {
  const out: HotTierClientOptions = {};
  if (connection.apiKey !== undefined) out.auth = { apiKey: connection.apiKey };
  else if (connection.username !== undefined) {
    out.auth = { username: connection.username, password: connection.password ?? "" };
  }
  const tls = connection.tls === undefined ? undefined : nodeTlsOptions(connection.tls, "hot.tls");
  if (tls !== undefined) out.tls = tls;
  return out;
}

/**
 * The setting to fix when the hot tier refuses vigil's credentials (401) or vigil refuses the cluster's
 * certificate; undefined for any other failure.
 *
 * @param connection the `hot.*` settings in use
 * @param statusCode the answer's HTTP status, 0 when none came
 * @param err the client's error, when there is one
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { hotTierAccessHint } from "./hot_tier_connection.ts";
 * assert.equal(
 *   hotTierAccessHint({ username: "vigil" }, 401),
 *   "the hot tier refused the login: check hot.username and hot.password (env VIGIL_HOT_USERNAME, VIGIL_HOT_PASSWORD)",
 * );
 * ```
 */
export function hotTierAccessHint(
  connection: HotTierConnection,
  statusCode: number,
  err?: unknown,
): string | undefined {
  if (statusCode === 401) {
    return connection.apiKey !== undefined
      ? "the hot tier refused the API key: check hot.apiKey (env VIGIL_HOT_API_KEY)"
      : "the hot tier refused the login: check hot.username and hot.password (env VIGIL_HOT_USERNAME, VIGIL_HOT_PASSWORD)";
  }
  if (statusCode === 0 && isCertificateError(err)) {
    return `the hot tier's TLS certificate is not trusted: ${untrustedCertificateHint("hot.tls")}`;
  }
  return undefined;
}
