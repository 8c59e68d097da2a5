/**
 * The interfaces the dashboard depends on. {@link createWebApp} takes them as `deps`, so `deno task start` can
 * hand it in-process implementations wired to the engine, `deno task web` can run it alone against the hot tier,
 * and tests can pass small fakes.
 *
 * @module
 */
import type { Classification, ClassifiedEvent, KafkaCoordinates, Level } from "../event/log_event.ts";
import type { Incident } from "../incidents/incident.ts";
import type { IncidentCounts, IncidentListOptions } from "./build_incident_search.ts";
import type { SourceFilter } from "./build_aggregations.ts";
import type { EventQuery } from "./event_query.ts";
import type { TimeWindow } from "./time_window.ts";
import type { IdentifiedFrame } from "./live_frame.ts";
import type { PipelineSnapshot } from "./pipeline_snapshot.ts";

/** An event as read back from the hot tier: the stored ClassifiedEvent plus where it is stored. */
export interface EventHit extends ClassifiedEvent {
  /** The hot-tier document id (`<topic>-<partition>-<offset>`). */
  docId: string;
  /** The daily index holding the document. */
  index: string;
  kafka?: KafkaCoordinates;
  /**
   * Which tier answered: absent or `hot` from the hot tier, `archive` from the cold tier (older than the hot
   * window). Not called `source`, the event's own field (the file it was read from).
   */
  tier?: "hot" | "archive";
}

/** One page of explorer results. */
export interface EventPage {
  /** Total matches (exact up to the engine's tracking limit). */
  total: number;
  hits: EventHit[];
  /** How long the hot tier took, in milliseconds. */
  tookMs: number;
  /** Matches over time (bucket starts in epoch seconds), when the hot tier computed it. */
  histogram?: { t: number[]; counts: number[]; stepSec: number };
}

/** A count per key of a terms aggregation. */
export interface Bucket {
  key: string;
  count: number;
  /** A human label for the key when it is an id (a template's text). */
  label?: string;
}

/** Aggregates over a time window for the Overview page. */
export interface OverviewStats {
  total: number;
  byClassification: Record<Classification, number>;
  byLevel: Bucket[];
  byComponent: Bucket[];
  topTemplates: Bucket[];
  /** Events per second over the last minute of the window (from the hot tier). */
  recentRate: number;
}

/** Series for one chart: shared time axis (epoch seconds) and one array of counts per series name. */
export interface TimeSeries {
  t: number[];
  series: Record<string, number[]>;
  /** Bucket width in seconds. */
  stepSec: number;
}

/** One template with its counts; `spark` is the per-bucket count over the window. */
export interface TemplateStat {
  templateId: string;
  template: string;
  count: number;
  firstSeen?: string;
  lastSeen?: string;
  spark: number[];
  /** The log systems of its events in the window (most frequent first); empty when it has none there. */
  systems?: string[];
}

/** The Templates page's lists. */
export interface TemplateStats {
  top: TemplateStat[];
  newest: TemplateStat[];
  rarest: TemplateStat[];
  /**
   * `newest` and `rarest` come from the all-time template registry (their counts are all-time counts); absent
   * or false: from the window's events, like `top`.
   */
  registry?: boolean;
}

/** Read side of the hot tier (OpenSearch / Elasticsearch). Implemented by {@link OpenSearchQueryService}. */
export interface HotTierQueries {
  /** Runs an explorer query. */
  searchEvents(query: EventQuery): Promise<EventPage>;
  /** Finds one event by document id; `null` when absent. */
  getEvent(docId: string): Promise<EventHit | null>;
  /** Events from the same host just before and after `event`. */
  neighbours(event: EventHit, size: number): Promise<EventHit[]>;
  /** Recent events with the same template. */
  moreLikeThis(event: EventHit, size: number): Promise<EventHit[]>;
  /**
   * KPIs and distributions over the window; `topN` (default 10) entries of the component and template lists
   * (fewer when the window holds fewer values).
   */
  overview(window: TimeWindow, topN?: number): Promise<OverviewStats>;
  timeSeries(window: TimeWindow, splitBy: "classification" | "level"): Promise<TimeSeries>;
  /** Template lists over the window, narrowed to one system and/or source when `filter` names them. */
  templates(window: TimeWindow, size: number, filter?: SourceFilter): Promise<TemplateStats>;
  /** Incidents whose episode overlaps the window, filtered, latest event first. */
  incidents(window: TimeWindow, options?: IncidentListOptions): Promise<Incident[]>;
  /** `open` incidents overlapping the window, by severity. */
  incidentCounts(window: TimeWindow): Promise<IncidentCounts>;
  /** Event time of the newest event in the hot tier (ISO), `undefined` when it holds none. */
  newestEventTs(): Promise<string | undefined>;
  /**
   * Start (UTC midnight, ISO) of the oldest day the hot tier holds a daily event index for, `undefined` when it
   * holds none. Events are filed by their routing day (event time clamped, `actors/routing_time.ts`) in both
   * tiers, so the cold tier's partitions before this day are exactly what the hot tier no longer holds.
   */
  oldestEventDay(): Promise<string | undefined>;
}

export type { IncidentCounts, IncidentListOptions, SourceFilter };

/** A live subscription to frames; see {@link LiveHub}. */
export interface LiveSubscription {
  /** Resolves with the next frame, or `undefined` once closed or when `signal` aborts. */
  next(signal?: AbortSignal): Promise<IdentifiedFrame | undefined>;
  /** Frames dropped for this subscriber because it was slower than the producer. */
  readonly dropped: number;
  close(): void;
}

/** Source of live frames (per-second aggregates and alerts) fanned out over SSE. */
export interface LiveEventSource {
  /**
   * Subscribes to frames published from now on, first replaying those after `lastEventId` when it is still held.
   */
  subscribe(options?: { lastEventId?: string; capacity?: number }): LiveSubscription;
}

/** Supplies the engine's typed metrics snapshot for the Pipeline page. */
export interface PipelineMetricsProvider {
  snapshot(): PipelineSnapshot | Promise<PipelineSnapshot>;
}

/** A summary of the levels known to the UI, re-exported for islands. */
export type { Classification, Level };
