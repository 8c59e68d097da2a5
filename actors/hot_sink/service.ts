/**
 * The hot sink's only I/O: bulk requests and index-template installation against OpenSearch
 * (`@opensearch-project/opensearch`) or Elasticsearch 8/9 (`@elastic/elasticsearch`), behind one interface.
 *
 * The clients' own retries are disabled: the sink's retry logic decides per item.
 *
 * @module
 */
import { Client as OpenSearchClient } from "@opensearch-project/opensearch";
import { Client as ElasticClient } from "@elastic/elasticsearch";
import type { HotSinkConfig } from "./config.ts";
import type { BulkResponse } from "./retry_logic.ts";
import type { IndexTemplate } from "./index_templates.ts";
import { redactError } from "../../lib/config/redact_secrets.ts";
import { hotTierAccessHint, hotTierClientOptions } from "../../lib/config/hot_tier_connection.ts";

/** What the hot sink needs from a search cluster. */
export interface HotService {
  /** Sends one NDJSON bulk body; never throws: failures are reported in the response. */
  bulk(body: string, options: { refresh: false | "wait_for"; timeoutMs: number }): Promise<BulkResponse>;
  /** Installs (or replaces) a composable index template. */
  putIndexTemplate(template: IndexTemplate): Promise<void>;
  /** Creates an index if it does not exist yet. */
  createIndex(name: string): Promise<void>;
  /**
   * Runs a search and returns the hits' sources (raw: validate them).
   * @throws {HotServiceError} when the cluster answers with an error.
   */
  search(index: string, body: Record<string, unknown>): Promise<unknown[]>;
  /**
   * One management request (retention policies, index listing and deletion); resolves with the body of a
   * 2xx answer.
   * @throws {HotServiceError} on any other answer, or none (status 0)
   */
  manage(
    method: "GET" | "PUT" | "POST" | "DELETE",
    path: string,
    body?: Record<string, unknown>,
  ): Promise<unknown>;
  /** Closes connections. */
  close(): Promise<void>;
}

/** Raised when the cluster answered a management request with an error. */
export class HotServiceError extends Error {
  override name = "HotServiceError";
  /** HTTP status, `0` when no response arrived. */
  readonly statusCode: number;
  constructor(message: string, statusCode: number, options?: ErrorOptions) {
    super(message, options);
    this.statusCode = statusCode;
  }
}

interface RawResponse {
  body: unknown;
  statusCode: number | null;
}

type RequestFn = (
  params: {
    method: string;
    path: string;
    body?: Record<string, unknown>;
    bulkBody?: string;
    querystring?: Record<string, string>;
  },
  options: { requestTimeout?: number },
) => Promise<RawResponse>;

/**
 * Normalises a client error into a response: HTTP errors keep status and body, others become status 0. The
 * message is redacted here, once, because it travels to the sink's `lastError`, logs, `/health` and `/api/pipeline`.
 */
function errorToResponse(err: unknown, hint: AccessHint): BulkResponse {
  const meta = (err as { meta?: { statusCode?: number; body?: unknown } }).meta;
  if (meta && typeof meta.statusCode === "number" && meta.statusCode > 0) {
    return {
      statusCode: meta.statusCode,
      body: meta.body,
      error: withHint(redactError(err), hint(meta.statusCode, err)),
    };
  }
  return { statusCode: 0, error: withHint(redactError(err), hint(0, err)) };
}

/** Which setting to fix for a refused login or an untrusted certificate (see `hotTierAccessHint`). */
type AccessHint = (statusCode: number, err?: unknown) => string | undefined;

function withHint(message: string, hint: string | undefined): string {
  return hint === undefined ? message : `${message}: ${hint}`;
}

class TransportHotService implements HotService {
  #request: RequestFn;
  #close: () => Promise<void>;
  #hint: AccessHint;

  constructor(request: RequestFn, close: () => Promise<void>, hint: AccessHint) {
    this.#request = request;
    this.#close = close;
    this.#hint = hint;
  }

  async bulk(
    body: string,
    options: { refresh: false | "wait_for"; timeoutMs: number },
  ): Promise<BulkResponse> {
    try {
      const querystring = options.refresh === false ? undefined : { refresh: options.refresh };
      const res = await this.#request(
        { method: "POST", path: "/_bulk", bulkBody: body, querystring },
        { requestTimeout: options.timeoutMs },
      );
      return { statusCode: res.statusCode ?? 0, body: res.body };
    } catch (err) {
      return errorToResponse(err, this.#hint);
    }
  }

  async putIndexTemplate(template: IndexTemplate): Promise<void> {
    await this.#call("PUT", `/_index_template/${encodeURIComponent(template.name)}`, template.body);
  }

  async createIndex(name: string): Promise<void> {
    try {
      await this.#call("PUT", `/${encodeURIComponent(name)}`, {});
    } catch (err) {
      // Another engine process (or an earlier run) created it: fine.
      if (err instanceof HotServiceError && /resource_already_exists/.test(err.message)) return;
      throw err;
    }
  }

  async search(index: string, body: Record<string, unknown>): Promise<unknown[]> {
    const res = await this.#call("POST", `/${encodeURIComponent(index)}/_search`, body);
    const hits = (res as { hits?: { hits?: { _source?: unknown }[] } })?.hits?.hits ?? [];
    return hits.map((h) => h._source);
  }

  manage(
    method: "GET" | "PUT" | "POST" | "DELETE",
    path: string,
    body?: Record<string, unknown>,
  ): Promise<unknown> {
    return this.#call(method, path, body);
  }

  close(): Promise<void> {
    return this.#close();
  }

  async #call(method: string, path: string, body?: Record<string, unknown>): Promise<unknown> {
    let res: BulkResponse;
    try {
      // A query string in the path travels as the transport's `querystring` (it encodes it itself).
      const [pathname, query] = path.split("?", 2);
      const querystring = query === undefined ? undefined : Object.fromEntries(new URLSearchParams(query));
      const raw = await this.#request(
        {
          method,
          path: pathname,
          ...(body === undefined ? {} : { body }),
          ...(querystring ? { querystring } : {}),
        },
        { requestTimeout: 30_000 },
      );
      res = { statusCode: raw.statusCode ?? 0, body: raw.body };
    } catch (err) {
      res = errorToResponse(err, this.#hint);
    }
    if (res.statusCode >= 200 && res.statusCode < 300) return res.body;
    const detail = res.body !== undefined
      ? withHint(JSON.stringify(res.body).slice(0, 500), this.#hint(res.statusCode))
      : res.error;
    throw new HotServiceError(
      `${method} ${path} failed with status ${res.statusCode}: ${detail}`,
      res.statusCode,
    );
  }
}

/**
 * Creates the service for the configured cluster kind.
 *
 * @param config the resolved hot sink configuration
 */
export function createHotService(config: HotSinkConfig): HotService {
  const { auth, tls } = hotTierClientOptions(config);
  const hint: AccessHint = (statusCode, err) => hotTierAccessHint(config, statusCode, err);
  if (config.kind === "elasticsearch") {
    const client = new ElasticClient({ node: config.url, auth, tls, maxRetries: 0 });
    const request: RequestFn = (params, options) =>
      client.transport.request(params, { ...options, meta: true }) as unknown as Promise<RawResponse>;
    return new TransportHotService(request, () => client.close(), hint);
  }
  // OpenSearch has no API keys: hot.apiKey is refused for it when the configuration is validated.
  const client = new OpenSearchClient({
    node: config.url,
    auth: auth && "username" in auth ? auth : undefined,
    ssl: tls,
    maxRetries: 0,
  });
  const request: RequestFn = (params, options) =>
    client.transport.request(params, options) as unknown as Promise<RawResponse>;
  return new TransportHotService(request, () => client.close(), hint);
}
