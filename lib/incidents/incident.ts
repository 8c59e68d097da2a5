/**
 * The incident: one episode a person on call should look at, as vigil stores it in the hot tier
 * (`<prefix>-incidents`), streams it over SSE, sends it to webhooks and writes it from `deno task incidents`.
 *
 * An incident is opened by a detector (`lib/incidents/*_detector.ts`) for a **key** — the detector, what it
 * watched (a template or a component) and the host scope — and grows while its episode lasts: a burst of 1,500
 * lines of one template is one incident whose `count` is 1,500. It resolves by itself after a quiet period
 * (event time), or when an operator resolves it.
 *
 * Ids are deterministic: `incidentId(key, firstEventId)`, so a replay of the same events after a crash or a
 * rebalance writes the same document instead of a second incident. Each change bumps `version`; the hot tier
 * stores documents with external versioning, so an older update arriving late never overwrites a newer one.
 *
 * @module
 */
import { z } from "zod";
import { stableHash } from "../parsing/stable_hash.ts";

/** The detectors that can open an incident. */
export const DETECTORS = ["severity", "new_pattern", "rate", "silence", "entity", "model"] as const;
/** A detector's name. */
export type DetectorName = typeof DETECTORS[number];

/** Incident severities: ANOMALY = look at it today; CRITICAL_ANOMALY = wake someone. */
export const INCIDENT_SEVERITIES = ["ANOMALY", "CRITICAL_ANOMALY"] as const;
/** An incident severity. */
export type IncidentSeverity = typeof INCIDENT_SEVERITIES[number];

/** Where an incident is in its life. */
export const INCIDENT_STATUSES = ["open", "acknowledged", "resolved", "muted"] as const;
/** An incident status. */
export type IncidentStatus = typeof INCIDENT_STATUSES[number];

/** One sample line kept with an incident (the evidence a person reads first). */
export const IncidentSampleSchema = z.object({
  eventId: z.string(),
  ts: z.string(),
  host: z.string(),
  lineNo: z.number().int().nonnegative(),
  content: z.string(),
});
/** A sample line of an incident. */
export type IncidentSample = z.infer<typeof IncidentSampleSchema>;

/** Schema of an incident document (what the hot tier, SSE, webhooks and the offline CLI carry). */
export const IncidentSchema = z.object({
  /** Deterministic id: {@link incidentId}. */
  id: z.string().min(1),
  /** Grouping key: `kind|system/component|host` ({@link incidentKey}). */
  key: z.string(),
  /** The detector that opened it (the others that saw its lines are in `reasons`). */
  detector: z.enum(DETECTORS),
  severity: z.enum(INCIDENT_SEVERITIES),
  status: z.enum(INCIDENT_STATUSES),
  /** One-line summary for lists and notifications. */
  title: z.string(),
  /** The log system (format preset) of its events. */
  system: z.string(),
  component: z.string(),
  /** The template that opened it ("" when a component-level signal did). */
  templateId: z.string(),
  template: z.string(),
  /** The host scope: one host, or `*` when it spans hosts. */
  host: z.string(),
  /** Hosts seen in the incident (at most {@link MAX_INCIDENT_HOSTS}). */
  hosts: z.array(z.string()),
  /** Event time of the first and latest event (for silence: when the silence was noticed and last checked). */
  firstTs: z.string(),
  lastTs: z.string(),
  /** Event time at which it auto-resolved or was resolved ("" while unresolved). */
  resolvedTs: z.string(),
  /** Events attributed to it (at least once: a replay after a crash may count some twice). */
  count: z.number().int().nonnegative(),
  /** Highest events per rate bucket seen in the incident, and the baseline (expected per bucket) it departed from. */
  peakRate: z.number().nonnegative(),
  baselineRate: z.number().nonnegative(),
  /** Highest line score (model probability or detector evidence) seen, in [0, 1]. */
  score: z.number().min(0).max(1),
  /** Ranked reasons, most important first. */
  reasons: z.array(z.string()),
  /** The first few events and the latest one. */
  samples: z.array(IncidentSampleSchema),
  /** Counts per rate bucket since it opened (the sparkline), oldest first, at most {@link MAX_SPARK_BUCKETS}. */
  spark: z.array(z.number().int().nonnegative()),
  /** Bumped on every change; the hot tier stores with external versioning on it. */
  version: z.number().int().positive(),
  /** Who changed the status last, and when (wall time ISO; "" when only the detectors did). */
  statusBy: z.string(),
  statusTs: z.string(),
});
/** An incident (see module doc). */
export type Incident = z.infer<typeof IncidentSchema>;

/** Most hosts listed on one incident. */
export const MAX_INCIDENT_HOSTS = 20;
/** Most sparkline buckets kept on one incident (the latest ones). */
export const MAX_SPARK_BUCKETS = 60;

/** What an incident is about, which decides how its signals group: see {@link incidentKind}. */
export type IncidentKind = "severity" | "lines" | "rate" | "silence" | "entity";

/**
 * How a detector's signals group:
 * - `severity`: per template — each fatal/critical failure is its own incident (a burst of it grows it), so an
 *   operator's verdict on it is a verdict on that failure;
 * - `lines` (new pattern, model): per component — a new failure and the other never-seen lines around it are
 *   one episode however many detectors saw them;
 * - `rate`: per system, apart from line incidents — a burst of a known error template, the volume spike it
 *   causes, and the other components that spike with it are one incident; a later spike is news even while a
 *   line incident is open;
 * - `silence`: per component and host;
 * - `entity`: per system and address — one incident names the address behind many failures.
 */
export function incidentKind(detector: DetectorName): IncidentKind {
  switch (detector) {
    case "severity":
      return "severity";
    case "rate":
      return "rate";
    case "silence":
      return "silence";
    case "entity":
      return "entity";
    default:
      return "lines";
  }
}

/**
 * The grouping key of an incident (see {@link incidentKind}).
 * @param kind what it is about.
 * @param system the log system.
 * @param where the component (`lines`, `silence`), `*` (`rate`), `t:<templateId>` (`severity`) or
 * `e:<address>` (`entity`).
 * @param host the host scope (`*` for every host).
 */
export function incidentKey(kind: IncidentKind, system: string, where: string, host: string): string {
  return `${kind}|${system}/${where}|${host}`;
}

/**
 * The deterministic id of an incident: the same key opened by the same first event always gives the same id.
 * @param key its {@link incidentKey}.
 * @param firstEventId the id of the event that opened it (for silence: the key and the silence's start time).
 */
export function incidentId(key: string, firstEventId: string): string {
  return `inc-${stableHash(`${key}\u0000${firstEventId}`)}`;
}

/** Orders incidents as a person on call reads them: unresolved first, then most severe, then newest. */
export function compareIncidents(a: Incident, b: Incident): number {
  const rank = (i: Incident) =>
    (i.status === "resolved" || i.status === "muted" ? 2 : i.status === "acknowledged" ? 1 : 0) * 2 +
    (i.severity === "CRITICAL_ANOMALY" ? 0 : 1);
  return rank(a) - rank(b) || (a.lastTs < b.lastTs ? 1 : a.lastTs > b.lastTs ? -1 : 0);
}
