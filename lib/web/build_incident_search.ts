/**
 * Builds the hot-tier request bodies for the incident feed and the Overview's incident counts, and reads
 * incident documents back. Incidents live in the single `<prefix>-incidents` index (`_id` = incident id).
 *
 * @module
 */
import {
  type Incident,
  INCIDENT_SEVERITIES,
  IncidentSchema,
  type IncidentSeverity,
  type IncidentStatus,
} from "../incidents/incident.ts";
import type { SearchBody } from "./build_event_search.ts";
import type { TimeWindow } from "./time_window.ts";

/** Filters of an incident list. Empty arrays mean "any". */
export interface IncidentListOptions {
  status?: IncidentStatus[];
  severity?: IncidentSeverity[];
  /** Most incidents returned (1–500). Default 100. */
  size?: number;
}

/** Open incidents by severity. */
export type IncidentCounts = Record<IncidentSeverity, number>;

/**
 * Incidents whose episode overlaps the window: first event before its end and latest event after its start.
 * An incident is an interval, not an instant; filtering on one end alone would hide a long incident still
 * growing when the window starts after it opened.
 */
function overlaps(window: TimeWindow): unknown[] {
  return [
    { range: { firstTs: { lte: window.to.toISOString(), format: "strict_date_optional_time" } } },
    { range: { lastTs: { gte: window.from.toISOString(), format: "strict_date_optional_time" } } },
  ];
}

/** The search for a page of incidents, newest (latest event) first. */
export function buildIncidentSearch(window: TimeWindow, options: IncidentListOptions = {}): SearchBody {
  const filter = overlaps(window);
  if (options.status?.length) filter.push({ terms: { status: options.status } });
  if (options.severity?.length) filter.push({ terms: { severity: options.severity } });
  const size = Math.min(500, Math.max(1, Math.floor(options.size ?? 100)));
  return {
    query: { bool: { filter } },
    sort: [{ lastTs: { order: "desc" } }, { id: { order: "asc", unmapped_type: "keyword" } }],
    size,
    track_total_hits: false,
  };
}

/** Counts of `open` incidents overlapping the window, by severity (aggregation only, no hits). */
export function buildIncidentCounts(window: TimeWindow): SearchBody {
  return {
    query: { bool: { filter: [...overlaps(window), { term: { status: "open" } }] } },
    size: 0,
    aggs: { by_severity: { terms: { field: "severity", size: INCIDENT_SEVERITIES.length } } },
  };
}

/**
 * Reads incident documents from a search response. A document that does not match the incident schema (an
 * older or foreign writer) is left out rather than shown half-read.
 */
export function incidentsOf(body: Record<string, unknown>): Incident[] {
  const hits = (body.hits as { hits?: { _source?: unknown }[] } | undefined)?.hits ?? [];
  const out: Incident[] = [];
  for (const h of hits) {
    const parsed = IncidentSchema.safeParse(h._source);
    if (parsed.success) out.push(parsed.data);
  }
  return out;
}

/** Reads {@link buildIncidentCounts}' aggregation; severities without incidents count 0. */
export function incidentCountsOf(body: Record<string, unknown>): IncidentCounts {
  const counts: IncidentCounts = { ANOMALY: 0, CRITICAL_ANOMALY: 0 };
  const aggs = body.aggregations as { by_severity?: { buckets?: { key: unknown; doc_count: unknown }[] } };
  for (const b of aggs?.by_severity?.buckets ?? []) {
    if (b.key === "ANOMALY" || b.key === "CRITICAL_ANOMALY") counts[b.key] = Number(b.doc_count) || 0;
  }
  return counts;
}
