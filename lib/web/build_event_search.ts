/**
 * Builds OpenSearch / Elasticsearch request bodies for the explorer from validated parameters. Only structured
 * clauses are produced; user text goes to `simple_query_string`, which never fails on syntax and cannot reach
 * fields or features the query does not name.
 *
 * @module
 */
import type { EventQuery } from "./event_query.ts";
import { bucketSeconds, type TimeWindow } from "./time_window.ts";

/** A search request body (the subset of the DSL we build). */
export type SearchBody = Record<string, unknown>;

/**
 * Fields searched by the full-text box. `content.parts` holds the message's words split on every non-alphanumeric
 * character, so a part of a host name or path matches (absent on indices created before it: `lenient` skips it).
 */
export const FULL_TEXT_FIELDS = ["content", "content.parts", "raw", "template"] as const;

/** A `range` clause on `ts` for a window. */
export function timeFilter(window: TimeWindow): Record<string, unknown> {
  return {
    range: {
      ts: {
        gte: window.from.toISOString(),
        lte: window.to.toISOString(),
        format: "strict_date_optional_time",
      },
    },
  };
}

/**
 * The bool query for the explorer's filters (without paging or sort).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildEventFilter } from "./build_event_search.ts";
 * import { parseEventQuery } from "./event_query.ts";
 * const window = { from: new Date(0), to: new Date(60_000), range: "custom" as const };
 * const query = buildEventFilter(parseEventQuery(new URLSearchParams("level=error")), window);
 * assert.ok(JSON.stringify(query).includes('"terms":{"level":["error"]}'));
 * ```
 */
export function buildEventFilter(query: EventQuery, window: TimeWindow): Record<string, unknown> {
  const filter: unknown[] = [timeFilter(window)];
  if (query.classification.length > 0) filter.push({ terms: { classification: query.classification } });
  if (query.level.length > 0) filter.push({ terms: { level: query.level } });
  if (query.component) filter.push({ term: { component: query.component } });
  if (query.templateId) filter.push({ term: { templateId: query.templateId } });
  if (query.host) filter.push({ term: { host: query.host } });
  if (query.system) filter.push({ term: { system: query.system } });
  if (query.source) filter.push({ term: { source: query.source } });
  if (query.incidentId) {
    // `incidentId` is a keyword in the event mapping; on indices created before it was declared, dynamic
    // mapping made it text with a `.keyword` sub-field, where a term on the text field would never match.
    filter.push({
      bool: {
        should: [{ term: { incidentId: query.incidentId } }, {
          term: { "incidentId.keyword": query.incidentId },
        }],
        minimum_should_match: 1,
      },
    });
  }
  const must: unknown[] = [];
  if (query.q) {
    must.push({
      simple_query_string: {
        query: query.q,
        fields: [...FULL_TEXT_FIELDS],
        default_operator: "and",
        // Phrases, prefixes, +/-/| and grouping; no fuzzy/slop/near operators that cost a lot on big indices.
        flags: "AND|OR|NOT|PHRASE|PREFIX|PRECEDENCE|WHITESPACE|ESCAPE",
        lenient: true,
      },
    });
  }
  return { bool: { filter, must } };
}

/** The sort clause: by time or score, with a stable tie-breaker. */
export function buildSort(query: EventQuery): unknown[] {
  if (query.sort === "score") {
    return [{ score: { order: query.order } }, { ts: { order: "desc" } }, { lineNo: { order: "desc" } }];
  }
  return [{ ts: { order: query.order } }, { lineNo: { order: query.order } }];
}

/**
 * The full search body for one explorer page.
 *
 * @returns a body with `query`, `sort`, `from`, `size`, exact `track_total_hits` and a histogram of matches
 */
export function buildEventSearch(query: EventQuery, window: TimeWindow): SearchBody {
  return {
    query: buildEventFilter(query, window),
    sort: buildSort(query),
    from: (query.page - 1) * query.size,
    size: query.size,
    track_total_hits: true,
    // The matches over time, drawn above the results (one request for both).
    aggs: {
      over_time: {
        date_histogram: {
          field: "ts",
          fixed_interval: `${bucketSeconds(window, 120)}s`,
          min_doc_count: 0,
          extended_bounds: { min: window.from.getTime(), max: window.to.getTime() },
        },
      },
    },
  };
}

/** Finds one document by id across the event indices. */
export function buildGetById(docId: string): SearchBody {
  return { query: { ids: { values: [docId] } }, size: 1 };
}

/** Where an event sits, for {@link buildNeighbours}. */
export interface NeighbourAnchor {
  host: string;
  source: string;
  ts: string;
  lineNo: number;
  /** The event's id (`ClassifiedEvent.id`): the same line delivered again has the same one. */
  id: string;
  docId: string;
}

/**
 * Events of the same host *and* source (one file or stream: never a line of another file or run that only shares
 * the host name) strictly before or after an event in (ts, lineNo) order, one side (`before` = older, newest
 * first). Strict bounds keep an event at the same instant from being on both sides; the event itself (also when
 * delivered again under another document id) is excluded, and copies of one line collapse into one row.
 */
export function buildNeighbours(
  anchor: NeighbourAnchor,
  side: "before" | "after",
  size: number,
): SearchBody {
  const { host, source, ts, lineNo } = anchor;
  const beyond = side === "before" ? "lt" : "gt";
  return {
    query: {
      bool: {
        filter: [
          { term: { host } },
          { term: { source } },
          {
            bool: {
              should: [
                { range: { ts: { [beyond]: ts } } },
                { bool: { filter: [{ term: { ts } }, { range: { lineNo: { [beyond]: lineNo } } }] } },
              ],
              minimum_should_match: 1,
            },
          },
        ],
        must_not: [{ ids: { values: [anchor.docId] } }, { term: { id: anchor.id } }],
      },
    },
    // One row per line: a file produced twice holds each line under two document ids.
    collapse: { field: "id" },
    sort: side === "before"
      ? [{ ts: { order: "desc" } }, { lineNo: { order: "desc" } }]
      : [{ ts: { order: "asc" } }, { lineNo: { order: "asc" } }],
    size,
  };
}

/** Recent events with the same template ("more like this"). */
export function buildMoreLikeThis(templateId: string, size: number, excludeDocId: string): SearchBody {
  return {
    query: {
      bool: { filter: [{ term: { templateId } }], must_not: [{ ids: { values: [excludeDocId] } }] },
    },
    sort: [{ ts: { order: "desc" } }],
    size,
  };
}
