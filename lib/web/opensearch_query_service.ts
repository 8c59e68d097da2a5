/**
 * {@link HotTierQueries} over OpenSearch (or Elasticsearch: the request bodies are the common DSL subset).
 * The only I/O is one `search` call per query, through a {@link SearchTransport}.
 *
 * @module
 */
import { Client } from "@opensearch-project/opensearch";
import { redactError, redactUrl } from "../config/redact_secrets.ts";
import { hotTierClientOptions } from "../config/hot_tier_connection.ts";
import type { TlsFiles } from "../config/tls_files.ts";
import { CLASSIFICATIONS } from "../event/log_event.ts";
import {
  buildEventSearch,
  buildGetById,
  buildMoreLikeThis,
  buildNeighbours,
  type SearchBody,
} from "./build_event_search.ts";
import {
  buildOverviewAggs,
  buildTemplateAggs,
  buildTemplateRegistry,
  buildTemplateSparks,
  buildTimeSeries,
  type SourceFilter,
} from "./build_aggregations.ts";
import {
  buildIncidentCounts,
  buildIncidentSearch,
  type IncidentCounts,
  incidentCountsOf,
  type IncidentListOptions,
  incidentsOf,
} from "./build_incident_search.ts";
import type { Incident } from "../incidents/incident.ts";
import type { EventQuery } from "./event_query.ts";
import { toEventHit } from "./event_hit.ts";
import { type HotTierIndices, hotTierIndices } from "./hot_tier_indices.ts";
import { resolveTimeWindow, type TimeWindow } from "./time_window.ts";
import type {
  Bucket,
  EventHit,
  EventPage,
  HotTierQueries,
  OverviewStats,
  TemplateStat,
  TemplateStats,
  TimeSeries,
} from "./web_deps.ts";

/** Runs one search; resolves with the response body. */
export type SearchTransport = (index: string, body: SearchBody) => Promise<Record<string, unknown>>;

/** Thrown when the hot tier cannot answer; routes show it as 503. */
export class HotTierUnavailableError extends Error {
  override name = "HotTierUnavailableError";
}

/** Options of {@link OpenSearchQueryService}. */
export interface OpenSearchQueryServiceOptions {
  /** Index prefix (config `hot.indexPrefix`). Default `vigil`. */
  indexPrefix?: string;
  /** How searches are sent. Default: an OpenSearch client for `url`. */
  transport?: SearchTransport;
  /** Hot tier URL when no transport is given. Default `http://127.0.0.1:9200`. */
  url?: string;
  username?: string;
  password?: string;
  /** Elasticsearch API key (instead of username / password). */
  apiKey?: string;
  /** TLS of an `https://` cluster (private CA, client certificate). */
  tls?: TlsFiles;
  /** Per-request timeout in milliseconds. Default 10000. */
  requestTimeoutMs?: number;
  /** Clock, for "now" in relative windows. Default `() => new Date()`. */
  now?: () => Date;
}

/** Creates a transport backed by the official OpenSearch client. */
export function openSearchTransport(
  url: string,
  { username, password, apiKey, tls, requestTimeoutMs = 10_000 }: {
    username?: string;
    password?: string;
    apiKey?: string;
    tls?: TlsFiles;
    requestTimeoutMs?: number;
  } = {},
): SearchTransport {
  const options = hotTierClientOptions({ username, password, apiKey, tls });
  const client = new Client({
    node: url,
    auth: options.auth && "username" in options.auth ? options.auth : undefined,
    // This client has no API-key auth of its own: an Elasticsearch key travels as the header it would set.
    ...(apiKey === undefined ? {} : { headers: { authorization: `ApiKey ${apiKey}` } }),
    ssl: options.tls,
    requestTimeout: requestTimeoutMs,
    maxRetries: 1,
  });
  return async (index, body) => {
    try {
      const res = await client.search({
        index,
        body: body as never,
        ignore_unavailable: true,
        allow_no_indices: true,
      });
      return res.body as unknown as Record<string, unknown>;
    } catch (err) {
      // This message is the 503 body of /api/* and the pages' banner: never the URL's password.
      throw new HotTierUnavailableError(
        `The hot tier at ${redactUrl(url)} did not answer: ${redactError(err, [password, apiKey])}`,
        { cause: err },
      );
    }
  };
}

// deno-lint-ignore no-explicit-any
type Agg = any;

function buckets(agg: Agg): Bucket[] {
  return (agg?.buckets ?? []).map((b: Agg) => ({ key: String(b.key), count: Number(b.doc_count) }));
}

function hitsOf(body: Record<string, unknown>): EventHit[] {
  const hits = (body.hits as Agg)?.hits;
  return Array.isArray(hits) ? hits.map(toEventHit) : [];
}

function totalOf(body: Record<string, unknown>): number {
  const total = (body.hits as Agg)?.total;
  return typeof total === "number" ? total : Number(total?.value ?? 0);
}

/** The hits with each line once (the first of the documents holding the same event id). */
export function uniqueLines(hits: EventHit[]): EventHit[] {
  const seen = new Set<string>();
  return hits.filter((h) => {
    const key = h.id || h.docId;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** How long the oldest hot day is reused, ms: retention deletes whole days, so it changes at most daily. */
const OLDEST_DAY_TTL_MS = 30_000;

/** Reads the hot tier for the dashboard. */
export class OpenSearchQueryService implements HotTierQueries {
  readonly #search: SearchTransport;
  readonly #indices: HotTierIndices;
  readonly #now: () => Date;
  /** {@link oldestEventDay}'s last answer: asked at most once per {@link OLDEST_DAY_TTL_MS} (every page wants it). */
  #oldestDay: { day: string | undefined; atMs: number } | undefined;

  /** @throws {RangeError} for an invalid index prefix */
  constructor(options: OpenSearchQueryServiceOptions = {}) {
    const { indexPrefix = "vigil", url = "http://127.0.0.1:9200", now = () => new Date() } = options;
    this.#indices = hotTierIndices(indexPrefix);
    this.#search = options.transport ??
      openSearchTransport(url, {
        username: options.username,
        password: options.password,
        apiKey: options.apiKey,
        tls: options.tls,
        requestTimeoutMs: options.requestTimeoutMs,
      });
    this.#now = now;
  }

  async searchEvents(query: EventQuery): Promise<EventPage> {
    const window = resolveTimeWindow(query.range, this.#now(), {
      from: query.from ? new Date(query.from) : undefined,
      to: query.to ? new Date(query.to) : undefined,
    });
    const body = await this.#search(this.#indices.events, buildEventSearch(query, window));
    const hist = ((body.aggregations as Agg)?.over_time?.buckets ?? []) as Agg[];
    const t = hist.map((b) => Math.floor(Number(b.key) / 1000));
    return {
      total: totalOf(body),
      hits: hitsOf(body),
      tookMs: Number(body.took ?? 0),
      histogram: { t, counts: hist.map((b) => Number(b.doc_count)), stepSec: t.length > 1 ? t[1] - t[0] : 1 },
    };
  }

  async getEvent(docId: string): Promise<EventHit | null> {
    const body = await this.#search(this.#indices.events, buildGetById(docId));
    return hitsOf(body)[0] ?? null;
  }

  async neighbours(event: EventHit, size: number): Promise<EventHit[]> {
    const half = Math.max(1, Math.ceil(size / 2));
    const [before, after] = await Promise.all([
      this.#search(this.#indices.events, buildNeighbours(event, "before", half)),
      this.#search(this.#indices.events, buildNeighbours(event, "after", half)),
    ]);
    return uniqueLines([...hitsOf(before).reverse(), ...hitsOf(after)]);
  }

  async moreLikeThis(event: EventHit, size: number): Promise<EventHit[]> {
    if (!event.templateId) return [];
    return hitsOf(
      await this.#search(this.#indices.events, buildMoreLikeThis(event.templateId, size, event.docId)),
    );
  }

  async overview(window: TimeWindow, topN = 10): Promise<OverviewStats> {
    const body = await this.#search(this.#indices.events, buildOverviewAggs(window, topN));
    const aggs = (body.aggregations ?? {}) as Agg;
    const byClassification = Object.fromEntries(CLASSIFICATIONS.map((c) => [c, 0])) as OverviewStats[
      "byClassification"
    ];
    for (const b of buckets(aggs.by_classification)) {
      if (b.key in byClassification) byClassification[b.key as keyof typeof byClassification] = b.count;
    }
    const span = Math.min(60, Math.max(1, (window.to.getTime() - window.from.getTime()) / 1000));
    return {
      total: totalOf(body),
      byClassification,
      byLevel: buckets(aggs.by_level),
      byComponent: buckets(aggs.by_component),
      topTemplates: (aggs.top_templates?.buckets ?? []).map((b: Agg) => ({
        key: String(b.key),
        count: Number(b.doc_count),
        label: String(b.text?.buckets?.[0]?.key ?? b.key),
      })),
      recentRate: Number(aggs.last_minute?.doc_count ?? 0) / span,
    };
  }

  async timeSeries(window: TimeWindow, splitBy: "classification" | "level"): Promise<TimeSeries> {
    const body = await this.#search(this.#indices.events, buildTimeSeries(window, splitBy));
    const hist = ((body.aggregations as Agg)?.over_time?.buckets ?? []) as Agg[];
    const t = hist.map((b) => Math.floor(Number(b.key) / 1000));
    const series: Record<string, number[]> = {};
    hist.forEach((b, i) => {
      for (const s of buckets(b.split)) {
        (series[s.key] ??= new Array(hist.length).fill(0))[i] = s.count;
      }
    });
    const stepSec = t.length > 1 ? t[1] - t[0] : 1;
    return { t, series, stepSec };
  }

  /**
   * Top templates come from the window's events; newest and rarest from the all-time template registry when
   * the hot sink maintains it (falling back to the window's events when it is empty), with window sparklines.
   * The registry knows neither system nor source: with a `filter`, all three lists come from the window's
   * events of that system / source.
   */
  async templates(window: TimeWindow, size: number, filter: SourceFilter = {}): Promise<TemplateStats> {
    const filtered = Boolean(filter.system || filter.source);
    const [body, newestReg, rarestReg] = await Promise.all([
      this.#search(this.#indices.events, buildTemplateAggs(window, size, undefined, filter)),
      filtered ? {} : this.#search(this.#indices.templates, buildTemplateRegistry("firstSeen", "desc", size)),
      filtered ? {} : this.#search(this.#indices.templates, buildTemplateRegistry("count", "asc", size)),
    ]);
    const aggs = (body.aggregations ?? {}) as Agg;
    const systemsOf = (b: Agg): string[] => (b?.systems?.buckets ?? []).map((x: Agg) => String(x.key));
    const list = (agg: Agg): TemplateStat[] =>
      (agg?.buckets ?? []).map((b: Agg) => ({
        templateId: String(b.key),
        template: String(b.text?.buckets?.[0]?.key ?? ""),
        count: Number(b.doc_count),
        firstSeen: b.first?.value_as_string,
        lastSeen: b.last?.value_as_string,
        spark: (b.spark?.buckets ?? []).map((x: Agg) => Number(x.doc_count)),
        systems: systemsOf(b),
      }));
    const registry = (res: Record<string, unknown>): TemplateStat[] =>
      (((res.hits as Agg)?.hits ?? []) as Agg[]).map((h) => ({
        templateId: String(h._source?.templateId ?? h._id),
        template: String(h._source?.template ?? ""),
        count: Number(h._source?.count ?? 0),
        firstSeen: h._source?.firstSeen,
        lastSeen: h._source?.lastSeen,
        spark: [],
      }));
    const newest = registry(newestReg);
    const rarest = registry(rarestReg);
    if (newest.length === 0) {
      return { top: list(aggs.top), rarest: list(aggs.rarest), newest: list(aggs.newest) };
    }
    const ids = [...new Set([...newest, ...rarest].map((t) => t.templateId))];
    const sparks = await this.#search(this.#indices.events, buildTemplateSparks(window, ids));
    const byId = new Map<string, { spark: number[]; systems: string[] }>(
      (((sparks.aggregations as Agg)?.by_template?.buckets ?? []) as Agg[]).map((b) => [
        String(b.key),
        { spark: (b.spark?.buckets ?? []).map((x: Agg) => Number(x.doc_count)), systems: systemsOf(b) },
      ]),
    );
    const withSpark = (t: TemplateStat) => ({
      ...t,
      spark: byId.get(t.templateId)?.spark ?? [],
      systems: byId.get(t.templateId)?.systems ?? [],
    });
    return {
      top: list(aggs.top),
      newest: newest.map(withSpark),
      rarest: rarest.map(withSpark),
      registry: true,
    };
  }

  async incidents(window: TimeWindow, options: IncidentListOptions = {}): Promise<Incident[]> {
    return incidentsOf(await this.#search(this.#indices.incidents, buildIncidentSearch(window, options)));
  }

  async incidentCounts(window: TimeWindow): Promise<IncidentCounts> {
    return incidentCountsOf(await this.#search(this.#indices.incidents, buildIncidentCounts(window)));
  }

  async oldestEventDay(): Promise<string | undefined> {
    const cached = this.#oldestDay;
    const nowMs = Date.now();
    if (cached !== undefined && nowMs - cached.atMs < OLDEST_DAY_TTL_MS) return cached.day;
    // Daily index names sort as their days do: the first `_index` term is the oldest day.
    const body = await this.#search(this.#indices.events, {
      size: 0,
      aggs: { oldest: { terms: { field: "_index", size: 1, order: { _key: "asc" } } } },
    });
    const name = (body.aggregations as Agg)?.oldest?.buckets?.[0]?.key;
    const m = typeof name === "string" ? /-(\d{4})\.(\d{2})\.(\d{2})$/.exec(name) : null;
    const day = m === null ? undefined : `${m[1]}-${m[2]}-${m[3]}T00:00:00.000Z`;
    this.#oldestDay = { day, atMs: nowMs };
    return day;
  }

  async newestEventTs(): Promise<string | undefined> {
    const body = await this.#search(this.#indices.events, {
      size: 0,
      aggs: { newest: { max: { field: "ts" } } },
    });
    const value = (body.aggregations as Agg)?.newest?.value;
    return typeof value === "number" && Number.isFinite(value) ? new Date(value).toISOString() : undefined;
  }
}
