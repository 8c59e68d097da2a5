/**
 * Index templates and mappings of the hot tier (pure data). Shared contract with the dashboard: daily
 * `<prefix>-events-YYYY.MM.DD`, `<prefix>-templates` and `<prefix>-incidents`.
 *
 * `fields` and `params` are stored but not indexed (`enabled: false`) so that arbitrary keys from log formats
 * cannot explode the mapping; this works on OpenSearch 2.x and Elasticsearch 8/9 alike.
 *
 * @module
 */
import type { HotKind } from "./config.ts";
import { retentionIndexSettings } from "./retention_policy.ts";

const keyword = { type: "keyword" };

/** The analyzer of `content.parts` (declared in the events index settings by {@link eventAnalysis}). */
export const PARTS_ANALYZER = "vigil_parts";

/** Longest term `content.parts` keeps, characters (longer runs of letters and digits are cut to it). */
export const PARTS_MAX_TERM_CHARS = 1024;

/**
 * Analysis settings of event indices: {@link PARTS_ANALYZER} splits on every run of characters that are neither
 * letters nor digits (Unicode-aware, unlike `\W`), lower-cases, and cuts terms to {@link PARTS_MAX_TERM_CHARS}:
 * the pattern tokenizer has no length limit, and a term over Lucene's 32 766 bytes (one long token, e.g. a
 * base64 blob in a line) made the cluster reject the whole document ("immense term") and dead-letter it.
 */
export function eventAnalysis(): Record<string, unknown> {
  return {
    tokenizer: { [PARTS_ANALYZER]: { type: "pattern", pattern: "[^\\p{L}\\p{N}]+" } },
    filter: { [`${PARTS_ANALYZER}_cap`]: { type: "truncate", length: PARTS_MAX_TERM_CHARS } },
    analyzer: {
      [PARTS_ANALYZER]: {
        type: "custom",
        tokenizer: PARTS_ANALYZER,
        filter: ["lowercase", `${PARTS_ANALYZER}_cap`],
      },
    },
  };
}

/** Mapping of event documents. */
export function eventMappings(): Record<string, unknown> {
  return {
    dynamic: true,
    properties: {
      v: { type: "integer" },
      id: keyword,
      ts: { type: "date" },
      ingestTs: { type: "date" },
      // Set (true) when `ts` was outside the event-time window and the event is routed by the clamped time.
      tsClamped: { type: "boolean" },
      host: keyword,
      source: keyword,
      system: keyword,
      level: keyword,
      component: keyword,
      // `content.parts`: the message split on every non-letter, non-digit, so the parts of host names, paths,
      // addresses and dotted identifiers are words of their own (`marryaldkfaczcz` finds
      // `ns.marryaldkfaczcz.com`, which the standard analyzer keeps whole).
      content: {
        type: "text",
        fields: {
          keyword: { type: "keyword", ignore_above: 1024 },
          parts: { type: "text", analyzer: PARTS_ANALYZER },
        },
      },
      fields: { type: "object", enabled: false },
      lineNo: { type: "long" },
      raw: { type: "text" },
      flags: keyword,
      parseError: { type: "text" },
      templateId: keyword,
      template: { type: "text", fields: { keyword: { type: "keyword", ignore_above: 1024 } } },
      params: { type: "object", enabled: false },
      classification: keyword,
      score: { type: "float" },
      reasons: { type: "text" },
      modelVersion: keyword,
      // Declared (not left to dynamic mapping, which makes a text field) so the explorer's filter on an
      // incident's events is an exact term match.
      incidentId: keyword,
      kafka: {
        properties: { topic: keyword, partition: { type: "integer" }, offset: { type: "long" } },
      },
    },
  };
}

/** Mapping of the template registry. */
export function templateMappings(): Record<string, unknown> {
  return {
    dynamic: true,
    properties: {
      templateId: keyword,
      template: { type: "text", fields: { keyword: { type: "keyword", ignore_above: 1024 } } },
      count: { type: "long" },
      firstSeen: { type: "date" },
      lastSeen: { type: "date" },
      example: { type: "text" },
    },
  };
}

/**
 * Mapping of incident documents (`lib/incidents/incident.ts`). `dynamic: false`: a field added to the
 * incident later is kept in `_source` but does not change the mapping until it is declared here.
 * `resolvedTs` and `statusTs` are `""` until they happen, which a `date` field refuses: `ignore_malformed`
 * stores the document and leaves the field unindexed (so "unresolved" is `must_not exists resolvedTs`).
 */
export function incidentMappings(): Record<string, unknown> {
  const text = { type: "text", fields: { keyword: { type: "keyword", ignore_above: 1024 } } };
  const date = { type: "date" };
  const optionalDate = { type: "date", ignore_malformed: true };
  return {
    dynamic: false,
    properties: {
      id: keyword,
      key: keyword,
      detector: keyword,
      severity: keyword,
      status: keyword,
      title: text,
      system: keyword,
      component: keyword,
      templateId: keyword,
      template: text,
      host: keyword,
      hosts: keyword,
      firstTs: date,
      lastTs: date,
      resolvedTs: optionalDate,
      count: { type: "integer" },
      peakRate: { type: "float" },
      baselineRate: { type: "float" },
      score: { type: "float" },
      reasons: { type: "text" },
      samples: { type: "object", enabled: false },
      spark: { type: "integer" },
      // A hybrid clock (wall ms × 1000 and up): beyond 32 bits.
      version: { type: "long" },
      statusBy: keyword,
      statusTs: optionalDate,
    },
  };
}

/** One composable index template to install at start. */
export interface IndexTemplate {
  name: string;
  body: Record<string, unknown>;
}

/**
 * The index templates of the hot tier.
 *
 * @param prefix the index prefix, e.g. `vigil`
 * @param kind the engine flavour: Elasticsearch's events template names the ILM retention policy
 * @param retentionDays days event indices are kept (0 = for ever); see `retention_policy.ts`
 */
export function indexTemplates(
  prefix: string,
  kind: HotKind = "opensearch",
  retentionDays = 0,
): IndexTemplate[] {
  const settings = { number_of_shards: 1, number_of_replicas: 0, refresh_interval: "1s" };
  return [
    {
      name: `${prefix}-events`,
      body: {
        index_patterns: [`${prefix}-events-*`],
        priority: 100,
        template: {
          settings: {
            ...settings,
            ...retentionIndexSettings(prefix, kind, retentionDays),
            analysis: eventAnalysis(),
          },
          mappings: eventMappings(),
        },
      },
    },
    {
      name: `${prefix}-templates`,
      body: {
        index_patterns: [`${prefix}-templates`],
        priority: 100,
        template: { settings, mappings: templateMappings() },
      },
    },
    {
      name: `${prefix}-incidents`,
      body: {
        index_patterns: [`${prefix}-incidents`],
        priority: 100,
        template: { settings, mappings: incidentMappings() },
      },
    },
  ];
}
