/**
 * Decides what to do with each operation of a bulk request from the response (pure: no I/O).
 *
 * Follows Vector's Elasticsearch sink: 429 and 5xx are retried, other 4xx are not (they are rejections the
 * same request would meet again: they go to the dead-letter path), and a 200 response with item errors
 * retries only the failed items. A request that got no response (connection refused, timeout) is retried, and
 * so is a whole request refused for configuration reasons (401, 403, 404, 405, 406, 407: wrong credentials,
 * URL or cluster kind), which says nothing about the documents. An externally versioned write (incidents) that
 * meets a 409 version conflict found a newer (or the same) version already stored: that is its success.
 *
 * @module
 */

/** What to do with one bulk operation. */
export type OpDecision =
  | { action: "success" }
  | { action: "retry"; reason: string }
  | { action: "reject"; reason: string };

/** Outcome of one bulk HTTP request as the service reports it (it never throws). */
export interface BulkResponse {
  /** HTTP status; `0` when no response arrived (network error, timeout). */
  statusCode: number;
  /** Parsed response body, when there was one. */
  body?: unknown;
  /** Transport error message when no response arrived. */
  error?: string;
}

/** Whether an HTTP status (of a whole request or of one item) is worth retrying. */
export function isRetryableStatus(status: number): boolean {
  // 0 = no response; 408 request timeout; 409 version conflict (template upserts racing); 429 too many requests.
  return status === 0 || status === 408 || status === 409 || status === 429 || status >= 500;
}

/** Whole-request statuses caused by configuration (credentials, URL, a non-matching cluster kind). */
const CONFIGURATION_STATUSES = new Set([401, 403, 404, 405, 406, 407]);

interface BulkItemResult {
  status?: number;
  error?: { type?: string; reason?: string; caused_by?: { type?: string; reason?: string } } | string;
}

function describeError(error: BulkItemResult["error"], status: number): string {
  if (error === undefined) return `status ${status}`;
  if (typeof error === "string") return `status ${status}: ${error}`;
  const cause = error.caused_by ? ` (caused by ${error.caused_by.type}: ${error.caused_by.reason})` : "";
  return `status ${status}: ${error.type ?? "error"}: ${error.reason ?? ""}${cause}`;
}

function requestError(response: BulkResponse): string {
  if (response.statusCode === 0) return `no response: ${response.error ?? "unknown error"}`;
  const body = response.body as { error?: BulkItemResult["error"] } | undefined;
  return describeError(body?.error ?? response.error, response.statusCode);
}

/** Whether an item failed only because a newer or equal external version is already stored. */
function isVersionConflict(result: BulkItemResult | undefined, status: number): boolean {
  const type = typeof result?.error === "object" ? result.error.type : undefined;
  return status === 409 && type === "version_conflict_engine_exception";
}

/**
 * Per-operation decisions for a bulk response.
 *
 * @param opCount number of operations sent, in order
 * @param response the response
 * @param externallyVersioned whether the op at an index was sent with `version_type: external` (its version
 *   conflicts count as success instead of being retried like the template upserts' races); default none
 * @returns one decision per operation, in the order they were sent
 */
export function decideBulk(
  opCount: number,
  response: BulkResponse,
  externallyVersioned: (index: number) => boolean = () => false,
): OpDecision[] {
  const { statusCode } = response;
  if (statusCode < 200 || statusCode >= 300) {
    const reason = requestError(response);
    // A whole request refused for auth, routing or content negotiation says nothing about the documents: keep
    // them and keep retrying (the sink turns unhealthy and shows the reason) rather than dead-letter them all.
    const retry = isRetryableStatus(statusCode) || CONFIGURATION_STATUSES.has(statusCode);
    const decision: OpDecision = retry ? { action: "retry", reason } : { action: "reject", reason };
    return Array.from({ length: opCount }, () => decision);
  }
  const body = response.body as { errors?: boolean; items?: Record<string, BulkItemResult>[] } | undefined;
  const items = body?.items;
  if (!Array.isArray(items) || items.length !== opCount) {
    // A 2xx we cannot match to our operations: the safe choice is to send them again (ids make it idempotent).
    const reason = `unexpected bulk response: ${items?.length ?? "no"} items for ${opCount} operations`;
    return Array.from({ length: opCount }, () => ({ action: "retry", reason }));
  }
  return items.map((item, i): OpDecision => {
    const result = Object.values(item ?? {})[0];
    const status = typeof result?.status === "number" ? result.status : 0;
    if (status >= 200 && status < 300 && result?.error === undefined) return { action: "success" };
    if (isVersionConflict(result, status) && externallyVersioned(i)) return { action: "success" };
    const reason = describeError(result?.error, status);
    return isRetryableStatus(status) ? { action: "retry", reason } : { action: "reject", reason };
  });
}
