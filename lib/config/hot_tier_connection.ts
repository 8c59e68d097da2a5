/**
 * How vigil's clients of the hot tier (the hot sink's bulk writes, the dashboard's searches) authenticate and
 * verify the cluster: basic auth or an Elasticsearch API key, and TLS (private CA, client certificate) from
 * `hot.*` — one mapping to the options of `@opensearch-project/opensearch` and `@elastic/elasticsearch`.
 *
 * @module
 */
import type { ConnectionOptions as TlsConnectionOptions } from "node:tls";
import { readPemFiles, type TlsFiles, warnUnverifiedTls } from "./tls_files.ts";

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
  const tls = connection.tls;
  if (tls !== undefined) {
    const pem = readPemFiles(tls, "hot.tls");
    if (!tls.rejectUnauthorized) warnUnverifiedTls("hot.tls");
    if (pem.ca !== undefined || pem.cert !== undefined || !tls.rejectUnauthorized) {
      out.tls = {
        ...(pem.ca === undefined ? {} : { ca: pem.ca }),
        ...(pem.cert === undefined ? {} : { cert: pem.cert, key: pem.key }),
        rejectUnauthorized: tls.rejectUnauthorized,
      };
    }
  }
  return out;
}
