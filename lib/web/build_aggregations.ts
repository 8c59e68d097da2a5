/**
 * Builds aggregation requests for the Overview and Templates pages (counts, distributions, histograms).
 *
 * @module
 */
import type { SearchBody } from "./build_event_search.ts";
import { timeFilter } from "./build_event_search.ts";
import { bucketSeconds, type TimeWindow } from "./time_window.ts";

/** Distributions and counts over a window for the Overview page. */
export function buildOverviewAggs(window: TimeWindow, topN = 10): SearchBody {
  const lastMinute = new Date(Math.max(window.from.getTime(), window.to.getTime() - 60_000));
  return {
    size: 0,
    track_total_hits: true,
    query: { bool: { filter: [timeFilter(window)] } },
    aggs: {
      by_classification: { terms: { field: "classification", size: 3 } },
      by_level: { terms: { field: "level", size: 8 } },
      by_component: { terms: { field: "component", size: topN } },
      top_templates: {
        terms: { field: "templateId", size: topN },
        aggs: { text: { terms: { field: "template.keyword", size: 1 } } },
      },
      last_minute: { filter: { range: { ts: { gte: lastMinute.toISOString() } } } },
    },
  };
}

/** A date histogram split by classification or level, with empty buckets filled across the window. */
export function buildTimeSeries(window: TimeWindow, splitBy: "classification" | "level"): SearchBody {
  const step = bucketSeconds(window);
  return {
    size: 0,
    query: { bool: { filter: [timeFilter(window)] } },
    aggs: {
      over_time: {
        date_histogram: {
          field: "ts",
          fixed_interval: `${step}s`,
          min_doc_count: 0,
          extended_bounds: { min: window.from.getTime(), max: window.to.getTime() },
        },
        aggs: { split: { terms: { field: splitBy, size: 10 } } },
      },
    },
  };
}

/** Narrows template statistics to the events of one log system and/or one source (file or stream). */
export interface SourceFilter {
  system?: string;
  source?: string;
}

/** The `term` clauses of a {@link SourceFilter}. */
export function sourceFilterClauses(filter: SourceFilter = {}): unknown[] {
  const out: unknown[] = [];
  if (filter.system) out.push({ term: { system: filter.system } });
  if (filter.source) out.push({ term: { source: filter.source } });
  return out;
}

/** The log systems a template's events come from (a few, most frequent first). */
const SYSTEMS_AGG = { terms: { field: "system", size: 3 } };

/** Top / rarest / newest templates in a window, each with a sparkline histogram and its systems. */
export function buildTemplateAggs(
  window: TimeWindow,
  size: number,
  sparkBuckets = 24,
  filter: SourceFilter = {},
): SearchBody {
  const step = bucketSeconds(window, sparkBuckets);
  const perTemplate = {
    text: { terms: { field: "template.keyword", size: 1 } },
    systems: SYSTEMS_AGG,
    first: { min: { field: "ts" } },
    last: { max: { field: "ts" } },
    spark: {
      date_histogram: {
        field: "ts",
        fixed_interval: `${step}s`,
        min_doc_count: 0,
        extended_bounds: { min: window.from.getTime(), max: window.to.getTime() },
      },
    },
  };
  return {
    size: 0,
    query: { bool: { filter: [timeFilter(window), ...sourceFilterClauses(filter)] } },
    aggs: {
      top: { terms: { field: "templateId", size, order: { _count: "desc" } }, aggs: perTemplate },
      // Ascending term counts are approximate across shards; fine for "rarest" at a glance.
      rarest: { terms: { field: "templateId", size, order: { _count: "asc" } }, aggs: perTemplate },
      newest: { terms: { field: "templateId", size, order: { first: "desc" } }, aggs: perTemplate },
    },
  };
}

/** Reads the template registry (`<prefix>-templates`): all-time counts and first/last seen. */
export function buildTemplateRegistry(
  sortBy: "firstSeen" | "count",
  order: "asc" | "desc",
  size: number,
): SearchBody {
  return {
    size,
    sort: [{ [sortBy]: { order } }, { templateId: { order: "asc" } }],
    query: { match_all: {} },
  };
}

/** Per-template sparklines (and systems) over a window for given template ids (registry lists). */
export function buildTemplateSparks(
  window: TimeWindow,
  templateIds: string[],
  sparkBuckets = 24,
): SearchBody {
  const step = bucketSeconds(window, sparkBuckets);
  return {
    size: 0,
    query: { bool: { filter: [timeFilter(window), { terms: { templateId: templateIds } }] } },
    aggs: {
      by_template: {
        terms: { field: "templateId", size: Math.max(1, templateIds.length) },
        aggs: {
          systems: SYSTEMS_AGG,
          spark: {
            date_histogram: {
              field: "ts",
              fixed_interval: `${step}s`,
              min_doc_count: 0,
              extended_bounds: { min: window.from.getTime(), max: window.to.getTime() },
            },
          },
        },
      },
    },
  };
}
