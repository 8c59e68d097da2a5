/**
 * An in-memory {@link HotTierQueries} for handler tests (no network): filters, sorts and pages a list of
 * events the way the OpenSearch service does, closely enough for route behaviour. The real service is tested
 * against OpenSearch in `tests/web/hot_tier_integration_test.ts`. Shared by tests and benches.
 *
 * @module
 */
import type { ClassifiedEvent } from "../lib/event/log_event.ts";
import { type Incident, incidentId } from "../lib/incidents/incident.ts";
import type { IncidentCounts, IncidentListOptions } from "../lib/web/build_incident_search.ts";
import type { EventQuery } from "../lib/web/event_query.ts";
import { resolveTimeWindow, type TimeWindow } from "../lib/web/time_window.ts";
import type {
  EventHit,
  EventPage,
  HotTierQueries,
  OverviewStats,
  SourceFilter,
  TemplateStats,
  TimeSeries,
} from "../lib/web/web_deps.ts";

/** Builds a ClassifiedEvent with defaults, for tests. */
export function makeEvent(overrides: Partial<ClassifiedEvent> & { id: string }): ClassifiedEvent {
  return {
    v: 1,
    ts: "2026-11-29T04:00:00.000Z",
    ingestTs: "2026-11-29T04:00:00.000Z",
    host: "host-a",
    source: "synthetic:test",
    system: "test",
    level: "info",
    component: "svc",
    content: "hello",
    fields: {},
    lineNo: 1,
    raw: "hello",
    flags: [],
    templateId: "t1",
    template: "hello",
    params: [],
    classification: "NORMAL",
    score: 0.1,
    reasons: [],
    modelVersion: "test-1",
    ...overrides,
  };
}

/** Builds an Incident with defaults, for tests (`id` derived from `key` unless given). */
export function makeIncident(overrides: Partial<Incident> & { templateId: string }): Incident {
  // A literal key: tests need a distinct, stable one per template, not the engine's grouping rule.
  const key = overrides.key ?? `events|test/${overrides.templateId}|${overrides.host ?? "*"}`;
  return {
    id: incidentId(key, `first-${overrides.templateId}`),
    key,
    detector: "rate",
    severity: "ANOMALY",
    status: "open",
    title: `Burst of ${overrides.templateId}`,
    system: "test",
    component: "svc",
    template: "hello <*>",
    host: "*",
    hosts: ["host-a"],
    firstTs: "2026-11-29T04:00:00.000Z",
    lastTs: "2026-11-29T04:01:00.000Z",
    resolvedTs: "",
    count: 10,
    peakRate: 8,
    baselineRate: 0.5,
    score: 0.9,
    reasons: ["rate 16× baseline"],
    samples: [{ eventId: "e0", ts: "2026-11-29T04:00:00.000Z", host: "host-a", lineNo: 1, content: "hello" }],
    spark: [1, 8, 1],
    version: 1,
    statusBy: "",
    statusTs: "",
    ...overrides,
  };
}

/** Memory-backed hot tier. */
export class MemoryHotTier implements HotTierQueries {
  readonly events: EventHit[];
  /** Incident documents, as the `<prefix>-incidents` index holds them (tests push into it). */
  readonly storedIncidents: Incident[] = [];
  /** Set to make every call fail like an unreachable hot tier (a rejected promise, as the real client's). */
  failWith: Error | undefined;
  constructor(events: ClassifiedEvent[], readonly now: () => Date = () => new Date("2026-11-29T04:05:00Z")) {
    this.events = events.map((e, i) => ({
      ...e,
      docId: `vigil.events-0-${i}`,
      index: "vigil-events-2026.11.29",
    }));
  }

  #inWindow(w: TimeWindow) {
    return this.events.filter((e) => {
      const t = Date.parse(e.ts);
      return t >= w.from.getTime() && t <= w.to.getTime();
    });
  }

  searchEvents(q: EventQuery): Promise<EventPage> {
    if (this.failWith) return Promise.reject(this.failWith);
    const w = resolveTimeWindow(q.range, this.now(), {
      from: q.from ? new Date(q.from) : undefined,
      to: q.to ? new Date(q.to) : undefined,
    });
    let hits = this.#inWindow(w).filter((e) =>
      (q.classification.length === 0 || q.classification.includes(e.classification)) &&
      (q.level.length === 0 || q.level.includes(e.level)) &&
      (!q.component || e.component === q.component) &&
      (!q.host || e.host === q.host) &&
      (!q.system || e.system === q.system) &&
      (!q.source || e.source === q.source) &&
      (!q.templateId || e.templateId === q.templateId) &&
      (!q.incidentId || (e as { incidentId?: string }).incidentId === q.incidentId) &&
      (!q.q || e.content.toLowerCase().includes(q.q.toLowerCase()))
    );
    const dir = q.order === "desc" ? -1 : 1;
    hits = hits.sort((a, b) =>
      dir * (q.sort === "score" ? a.score - b.score : Date.parse(a.ts) - Date.parse(b.ts))
    );
    const from = (q.page - 1) * q.size;
    return Promise.resolve({ total: hits.length, hits: hits.slice(from, from + q.size), tookMs: 0 });
  }

  getEvent(docId: string): Promise<EventHit | null> {
    if (this.failWith) return Promise.reject(this.failWith);
    return Promise.resolve(this.events.find((e) => e.docId === docId) ?? null);
  }

  neighbours(event: EventHit, size: number): Promise<EventHit[]> {
    return Promise.resolve(
      this.events.filter((e) => e.host === event.host && e.source === event.source && e.id !== event.id)
        .slice(0, size),
    );
  }

  moreLikeThis(event: EventHit, size: number): Promise<EventHit[]> {
    return Promise.resolve(
      this.events.filter((e) => e.templateId === event.templateId && e.docId !== event.docId).slice(0, size),
    );
  }

  overview(w: TimeWindow, topN = 10): Promise<OverviewStats> {
    if (this.failWith) return Promise.reject(this.failWith);
    const evs = this.#inWindow(w);
    const count = (key: (e: EventHit) => string) => {
      const m = new Map<string, number>();
      for (const e of evs) m.set(key(e), (m.get(key(e)) ?? 0) + 1);
      // Ties by key, as deterministic as the hot tier's terms aggregation.
      return [...m].map(([k, c]) => ({ key: k, count: c }))
        .sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    };
    const top = (key: (e: EventHit) => string) => count(key).slice(0, topN);
    const byClassification = { NORMAL: 0, ANOMALY: 0, CRITICAL_ANOMALY: 0 };
    for (const e of evs) byClassification[e.classification]++;
    return Promise.resolve({
      total: evs.length,
      byClassification,
      byLevel: count((e) => e.level),
      byComponent: top((e) => e.component),
      topTemplates: top((e) => e.templateId).map((b) => ({
        ...b,
        label: evs.find((e) => e.templateId === b.key)?.template,
      })),
      recentRate: 0,
    });
  }

  timeSeries(w: TimeWindow, splitBy: "classification" | "level"): Promise<TimeSeries> {
    if (this.failWith) return Promise.reject(this.failWith);
    const step = 60;
    const start = Math.floor(w.from.getTime() / 1000 / step) * step;
    const t: number[] = [];
    for (let s = start; s <= w.to.getTime() / 1000; s += step) t.push(s);
    const series: Record<string, number[]> = {};
    for (const e of this.#inWindow(w)) {
      const i = Math.floor((Date.parse(e.ts) / 1000 - start) / step);
      (series[e[splitBy]] ??= new Array(t.length).fill(0))[i]++;
    }
    return Promise.resolve({ t, series, stepSec: step });
  }

  templates(w: TimeWindow, _size?: number, filter: SourceFilter = {}): Promise<TemplateStats> {
    if (this.failWith) return Promise.reject(this.failWith);
    const m = new Map<string, EventHit[]>();
    const matches = (e: EventHit) =>
      (!filter.system || e.system === filter.system) && (!filter.source || e.source === filter.source);
    for (const e of this.#inWindow(w).filter(matches)) {
      m.set(e.templateId, [...(m.get(e.templateId) ?? []), e]);
    }
    const list = [...m].map(([id, evs]) => ({
      templateId: id,
      template: evs[0].template,
      count: evs.length,
      firstSeen: evs[0].ts,
      lastSeen: evs[evs.length - 1].ts,
      spark: [1, 2, 3],
      systems: [...new Set(evs.map((e) => e.system))],
    }));
    return Promise.resolve({ top: list, newest: list, rarest: [...list].reverse() });
  }

  #incidentsIn(w: TimeWindow): Incident[] {
    return this.storedIncidents.filter((i) =>
      Date.parse(i.firstTs) <= w.to.getTime() && Date.parse(i.lastTs) >= w.from.getTime()
    );
  }

  incidents(w: TimeWindow, options: IncidentListOptions = {}): Promise<Incident[]> {
    if (this.failWith) return Promise.reject(this.failWith);
    return Promise.resolve(
      this.#incidentsIn(w)
        .filter((i) =>
          (!options.status?.length || options.status.includes(i.status)) &&
          (!options.severity?.length || options.severity.includes(i.severity))
        )
        .sort((a, b) => (a.lastTs < b.lastTs ? 1 : a.lastTs > b.lastTs ? -1 : 0))
        .slice(0, options.size ?? 100),
    );
  }

  incidentCounts(w: TimeWindow): Promise<IncidentCounts> {
    if (this.failWith) return Promise.reject(this.failWith);
    const counts: IncidentCounts = { ANOMALY: 0, CRITICAL_ANOMALY: 0 };
    for (const i of this.#incidentsIn(w)) if (i.status === "open") counts[i.severity]++;
    return Promise.resolve(counts);
  }

  /** The day of the oldest event: this tier files each event under its own day (no clamping). */
  oldestEventDay(): Promise<string | undefined> {
    if (this.failWith) return Promise.reject(this.failWith);
    const oldest = Math.min(...this.events.map((e) => Date.parse(e.ts)));
    if (!Number.isFinite(oldest)) return Promise.resolve(undefined);
    return Promise.resolve(new Date(Math.floor(oldest / 86_400_000) * 86_400_000).toISOString());
  }

  newestEventTs(): Promise<string | undefined> {
    if (this.failWith) return Promise.reject(this.failWith);
    const newest = Math.max(...this.events.map((e) => Date.parse(e.ts)));
    return Promise.resolve(Number.isFinite(newest) ? new Date(newest).toISOString() : undefined);
  }
}
