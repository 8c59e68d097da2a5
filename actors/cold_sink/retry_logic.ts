/**
 * Decides whether an S3 failure is worth retrying (pure).
 *
 * S3 never rejects a row: a failed PUT is either transient (no response, throttling, 5xx) — retried with
 * exponential backoff and full jitter — or a configuration problem (access denied, no such bucket) that
 * retrying cannot fix, which the sink reports and keeps the events unacknowledged.
 *
 * @module
 */
import { redactSecrets } from "../../lib/config/redact_secrets.ts";

/** Error codes S3 uses for throttling and transient trouble. */
const TRANSIENT_CODES = new Set([
  "SlowDown",
  "RequestTimeout",
  "RequestTimeTooSkewed",
  "InternalError",
  "ServiceUnavailable",
  "Throttling",
  "ThrottlingException",
  "TooManyRequestsException",
  "RequestLimitExceeded",
  "OperationAborted",
]);

/** Whether an error thrown by the S3 client (or the network under it) is transient. */
export function isRetryableS3Error(err: unknown): boolean {
  const e = err as {
    name?: string;
    Code?: string;
    $metadata?: { httpStatusCode?: number };
    $retryable?: unknown;
  };
  const status = e?.$metadata?.httpStatusCode;
  if (status === undefined) return true; // no HTTP response: connection refused, reset, timeout
  if (status === 429 || status === 408 || status >= 500) return true;
  return TRANSIENT_CODES.has(e.name ?? "") || TRANSIENT_CODES.has(e.Code ?? "") || e.$retryable !== undefined;
}

/** A short description of an S3 error for logs and metrics. */
export function describeS3Error(err: unknown): string {
  const e = err as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const status = e?.$metadata?.httpStatusCode;
  return `${e?.name ?? "Error"}${status ? ` (status ${status})` : ""}: ${
    redactSecrets(e?.message ?? String(err))
  }`;
}
