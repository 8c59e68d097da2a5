/**
 * The one way vigil hides secrets from what it prints or answers (status lines, banners, `/health`, `/api/*`,
 * 503 bodies, logged errors): a password inside a URL (`https://user:pass@host`), secret-looking query parameters
 * (`?access_token=…`, `X-Amz-Signature=…`), and known secret strings such as a webhook URL whose path is the
 * credential (Slack, Teams) — Deno's fetch errors quote the whole URL they failed on.
 *
 * Secrets belong in `vigil.config.json` (git-ignored) or `VIGIL_*` environment variables, never on a command line.
 *
 * @module
 */

import type { VigilConfig } from "./vigil_config.ts";

/** What a secret is replaced with. */
export const REDACTED = "***";

const SECRET_PARAM =
  /^(?:access_?token|token|password|passwd|pwd|secret|client_secret|api_?key|key|sig|signature|x-amz-signature|x-amz-credential|x-amz-security-token|auth|authorization|code)$/i;

/** Options of {@link redactUrl}. */
export interface RedactUrlOptions {
  /** Also hide the path (a webhook whose path is its credential). Default false. */
  hidePath?: boolean;
}

/**
 * A URL as it may be shown: the password of its user info and the values of secret-looking query parameters
 * replaced by {@link REDACTED} (and the path too with `hidePath`). A string that is not a URL is returned with
 * {@link redactSecrets} applied.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { redactUrl } from "./redact_secrets.ts";
 * assert.equal(
 *   redactUrl("https://elastic:hunter2@search.internal:9200/"),
 *   "https://elastic:***@search.internal:9200/",
 * );
 * ```
 */
export function redactUrl(url: string, { hidePath = false }: RedactUrlOptions = {}): string {
  if (!URL.canParse(url)) return redactSecrets(url);
  const u = new URL(url);
  let changed = false;
  if (u.password !== "") {
    u.password = REDACTED;
    changed = true;
  } else if (u.username !== "" && hasSecretUserOnly(url)) {
    u.username = REDACTED;
    changed = true;
  }
  for (const key of [...u.searchParams.keys()]) {
    if (SECRET_PARAM.test(key)) {
      u.searchParams.set(key, REDACTED);
      changed = true;
    }
  }
  if (hidePath && ((u.pathname !== "/" && u.pathname !== "") || u.search !== "")) {
    u.pathname = "/" + REDACTED;
    u.search = "";
    changed = true;
  }
  // Unchanged URLs are shown as configured (no normalisation such as an added trailing slash).
  return changed ? u.href : url;
}

/** `https://token@host`: a user name without a password is itself the credential (GitHub-style tokens). */
function hasSecretUserOnly(url: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\/[^/@:]{16,}@/i.test(url);
}

/**
 * Text (an error message, a status line) with secrets hidden: every occurrence of a `known` secret (a URL is
 * replaced by its {@link redactUrl} form with the path hidden, and its path alone wherever it appears; anything
 * else by {@link REDACTED}), the password of any URL's user info, and the values of secret-looking query
 * parameters.
 *
 * @param known secret strings to hide wherever they appear (`undefined` and strings under 4 characters skipped)
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { redactSecrets } from "./redact_secrets.ts";
 * assert.equal(
 *   redactSecrets("error sending request for url (http://u:p4ss@h:9200/_bulk)"),
 *   "error sending request for url (http://u:***@h:9200/_bulk)",
 * );
 * ```
 */
export function redactSecrets(text: string, known: readonly (string | undefined)[] = []): string {
  let out = text;
  for (const secret of known) {
    if (secret === undefined || secret.length < 4) continue;
    if (!URL.canParse(secret)) {
      out = out.split(secret).join(REDACTED);
      continue;
    }
    out = out.split(secret).join(redactUrl(secret, { hidePath: true }));
    // Its path alone too: a receiver's answer may echo the request line (`POST /services/T0/B0/XyZ`).
    const { pathname, search } = new URL(secret);
    if (pathname.length > 4) {
      out = out.split(pathname + search).join("/" + REDACTED).split(pathname).join("/" + REDACTED);
    }
  }
  // scheme://user:password@ → scheme://user:***@ (the password stops at the last @ before the host).
  out = out.replace(/\b([a-z][a-z0-9+.-]*:\/\/[^\s/:@]*):[^\s/@]*@/gi, `$1:${REDACTED}@`);
  // ?token=… / &password=… in any URL or query-like text.
  out = out.replace(/([?&;][\w-]+)=([^\s&;#"')]+)/g, (whole, name: string) => {
    return SECRET_PARAM.test(name.slice(1)) ? `${name}=${REDACTED}` : whole;
  });
  return out;
}

/** Configuration keys whose values are secrets (also the keys that accept a `VIGIL_…_FILE` variable). */
export const SECRET_KEYS: ReadonlySet<string> = new Set([
  "password",
  "apiKey",
  "secretAccessKey",
  "accessToken",
]);
/** Configuration keys holding URLs whose path may be the credential. */
const SECRET_PATH_URL_KEYS = new Set(["webhookUrl"]);
/** Configuration keys holding URLs that may embed a password. */
const URL_KEYS = new Set(["url", "endpoint"]);

/**
 * A copy of the configuration as it may be printed or returned: secrets replaced by {@link REDACTED}, URLs
 * through {@link redactUrl} (a webhook's path hidden).
 */
export function redactConfig(config: VigilConfig): unknown {
  const redact = (v: unknown, key = ""): unknown => {
    if (v === undefined) return v;
    if (SECRET_KEYS.has(key)) return REDACTED;
    if (typeof v === "string" && SECRET_PATH_URL_KEYS.has(key)) return redactUrl(v, { hidePath: true });
    if (typeof v === "string" && URL_KEYS.has(key)) return redactUrl(v);
    if (typeof v === "object" && v !== null && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, redact(x, k)]));
    }
    return v;
  };
  return redact(config);
}

/**
 * The secret strings of a configuration (for {@link redactSecrets}'s `known`): the web and ingest access tokens, the hot
 * tier's password and API key, the Kafka SASL password, the S3 secret key and the webhook URL.
 */
export function secretsOf(config: VigilConfig): string[] {
  return [
    config.web.accessToken,
    config.ingest.accessToken,
    config.hot.password,
    config.hot.apiKey,
    config.kafka.sasl.password,
    config.s3.secretAccessKey,
    config.incidents.webhookUrl,
  ].filter((s): s is string => s !== undefined && s.length > 0);
}

/** An error's message (or the value as text) through {@link redactSecrets}, for a one-line report. */
export function redactError(err: unknown, known: readonly (string | undefined)[] = []): string {
  return redactSecrets(err instanceof Error ? err.message : String(err), known);
}
