/**
 * Reading the PEM files a TLS setting names (`kafka.ssl`, `hot.tls`) and the warning printed when certificate
 * verification is turned off — shared by the Kafka and hot-tier clients.
 *
 * @module
 */
import type { ConnectionOptions as TlsConnectionOptions } from "node:tls";
import { envName } from "./vigil_config.ts";

/** A TLS setting as the configuration holds it (see `TlsConfigSchema`). */
export interface TlsFiles {
  /** PEM CA bundle to trust. */
  caFile?: string;
  /** PEM client certificate (mutual TLS). */
  certFile?: string;
  /** PEM private key of `certFile`. */
  keyFile?: string;
  /** Whether the server's certificate is verified. */
  rejectUnauthorized: boolean;
}

/** The contents of a {@link TlsFiles}' PEM files. */
export interface TlsPem {
  ca?: string;
  cert?: string;
  key?: string;
}

/** `kafka.ssl.caFile` → `VIGIL_KAFKA_SSL_CA_FILE`. */
function variableOf(setting: string): string {
  return envName(setting.split("."));
}

/**
 * Reads the CA, certificate and key files of a TLS setting.
 *
 * @param settings the setting
 * @param prefix its key path, e.g. `kafka.ssl`, for error messages
 * @throws {Error} `Cannot read kafka.ssl.caFile (env VIGIL_KAFKA_SSL_CA_FILE) /path: …` when a file cannot be
 *   read or holds no PEM block
 */
export function readPemFiles(settings: TlsFiles, prefix: string): TlsPem {
  const read = (key: "caFile" | "certFile" | "keyFile"): string | undefined => {
    const file = settings[key];
    if (file === undefined) return undefined;
    const setting = `${prefix}.${key}`;
    let text: string;
    try {
      text = Deno.readTextFileSync(file);
    } catch (err) {
      throw new Error(
        `Cannot read ${setting} (env ${variableOf(setting)}) ${file}: ${(err as Error).message}`,
      );
    }
    if (!text.includes("-----BEGIN ")) {
      throw new Error(`Cannot use ${setting} (env ${variableOf(setting)}) ${file}: it holds no PEM block`);
    }
    return text;
  };
  return { ca: read("caFile"), cert: read("certFile"), key: read("keyFile") };
}

const warned = new Set<string>();

/**
 * Prints, once per setting, that certificate verification is off (anyone on the path can read and change the
 * traffic, credentials included): an explicit choice that must never go unnoticed.
 *
 * @param prefix the setting's key path, e.g. `hot.tls`
 */
export function warnUnverifiedTls(prefix: string): void {
  if (warned.has(prefix)) return;
  warned.add(prefix);
  console.warn(
    `vigil: WARNING: ${prefix}.rejectUnauthorized is false (env ${
      variableOf(`${prefix}.rejectUnauthorized`)
    }): server certificates are NOT verified; credentials and data can be intercepted`,
  );
}

/**
 * `node:tls` options of a TLS setting: its PEM files read, verification as set (turning it off is warned
 * about). Undefined when the setting changes nothing (no file, verification on): the system's defaults apply.
 *
 * @param settings the setting
 * @param prefix its key path, e.g. `s3.tls`, for messages
 * @throws {Error} naming the setting when a file cannot be read
 */
export function nodeTlsOptions(settings: TlsFiles, prefix: string): TlsConnectionOptions | undefined {
  const pem = readPemFiles(settings, prefix);
  if (!settings.rejectUnauthorized) warnUnverifiedTls(prefix);
  if (pem.ca === undefined && pem.cert === undefined && settings.rejectUnauthorized) return undefined;
  return {
    ...(pem.ca === undefined ? {} : { ca: pem.ca }),
    ...(pem.cert === undefined ? {} : { cert: pem.cert, key: pem.key }),
    rejectUnauthorized: settings.rejectUnauthorized,
  };
}

/** Node / OpenSSL codes of a certificate that failed verification. */
const CERTIFICATE_CODE = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/;

/**
 * Whether an error is a server certificate that failed verification (by its `code`, or — for clients that wrap
 * it without one — its message).
 */
export function isCertificateError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = String((err as { code?: unknown }).code ?? "");
  return CERTIFICATE_CODE.test(code) || /certificate/i.test(err.message);
}

/**
 * What to do about an untrusted certificate of the service a TLS setting is for.
 *
 * @param prefix the setting's key path, e.g. `s3.tls`
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { untrustedCertificateHint } from "./tls_files.ts";
 * assert.equal(
 *   untrustedCertificateHint("s3.tls"),
 *   "set s3.tls.caFile (env VIGIL_S3_TLS_CA_FILE) to the CA that signed it",
 * );
 * ```
 */
export function untrustedCertificateHint(prefix: string): string {
  return `set ${prefix}.caFile (env ${variableOf(`${prefix}.caFile`)}) to the CA that signed it`;
}
