/**
 * Turns detector signals into incidents: one incident per key (detector, scope, host) while its episode lasts.
 *
 * An incident opens on the first signal for a key that has no unresolved incident, with a deterministic id
 * ({@link incidentId} of the key and the opening event's id, so replaying the same events after a crash gives
 * the same incident); later signals for the key grow it (count, last time, hosts, samples, sparkline, peak,
 * severity only ever goes up). It resolves when the stream's event time passes its last event by `quietMs`
 * (or, for a silence, when the component logs again), or when an operator resolves it; the next signal for
 * the key opens a new incident.
 *
 * Every change bumps `version` and marks the incident *changed*; {@link IncidentTracker.drainChanged} hands the
 * latest version of each changed incident to whoever stores and streams them. Versions are a hybrid clock
 * (`max(previous + 1, wall ms × 1000)`), so when another engine of the group continues an incident after a
 * crash or a rebalance its versions still come after the ones already stored.
 *
 * Several engines: {@link IncidentTracker.adopt} takes the unresolved incidents other engines stored in the hot
 * tier (an engine calls it at start and then periodically). An adopted incident is *foreign*: this tracker
 * neither resolves nor writes it until an event of its own continues it — then it carries on under the same id
 * (the partition moved here), instead of opening a second incident for the same episode.
 *
 * Memory is bounded: at most `maxOpen` unresolved incidents (beyond, the least recently updated one is resolved
 * early and counted in `forcedResolutions`), `maxResolved` resolved ones kept for the dashboard, and, when
 * `keepLineIds` is on (the offline CLI, bounded by its input file), every line number of an incident. The cap
 * on unresolved ones holds after `restore` and `adopt` too (other engines' adopted incidents are forgotten
 * first: they are theirs to write). What the caps push out is counted in `vigil_evictions_total`
 * (`incidents_open`, `incidents_resolved`).
 *
 * @module
 */
import type { MinedEvent } from "../event/log_event.ts";
import { countEvictions } from "../../engine/eviction_tally.ts";
import type { DetectorSignal } from "./detector_signal.ts";
import {
  type Incident,
  incidentId,
  incidentKey,
  incidentKind,
  type IncidentSeverity,
  MAX_INCIDENT_HOSTS,
  MAX_SPARK_BUCKETS,
} from "./incident.ts";

/** Options of {@link IncidentTracker}. */
export interface IncidentTrackerOptions {
  /** Event time with no new event after which an incident resolves, ms. Default 300 000. */
  quietMs?: number;
  /**
   * The same for rate incidents, ms. Default 60 000: a spike is over when the volume is back to normal, and
   * the next spike minutes later is news (a notification), not more of the same incident.
   */
  rateQuietMs?: number;
  /**
   * A line signal about a template the open incident of its component has not seen yet joins it only if the
   * incident's last such signal is at most this old, ms of event time; otherwise the old incident resolves and
   * a new one opens — a new failure minutes later is a new episode. Default 120 000.
   */
  joinWindowMs?: number;
  /** Sparkline bucket, ms of event time. Default 60 000. */
  sparkBucketMs?: number;
  /** Samples kept per incident (the first ones and the latest). Default 5. */
  maxSamples?: number;
  /** Most unresolved incidents. Default 10 000. */
  maxOpen?: number;
  /** Resolved incidents kept in memory for the dashboard. Default 500. */
  maxResolved?: number;
  /** A new-pattern incident signalled on this many hosts becomes critical. Default 5. */
  criticalHosts?: number;
  /** Keep every line number of every incident (offline use). Default false. */
  keepLineIds?: boolean;
  /**
   * How long an incident keeps absorbing the later lines of the templates that opened it, ms of event time
   * since it opened: a new failure that turns into a steady stream is an episode for this long, then its lines
   * stop being flagged (they are no longer new) and the incident resolves once quiet. Default 600 000.
   */
  maxEpisodeMs?: number;
}

/** Internal bookkeeping beside the document. */
interface Tracked {
  doc: Incident;
  firstMs: number;
  lastMs: number;
  sparkStart: number;
  evidence: number;
  /** Templates whose own signals joined it (later lines of them continue it), at most {@link MAX_TEMPLATES}. */
  templates: string[];
  /** Event time of its latest fresh line signal (see `joinWindowMs`). */
  lastFreshMs: number;
  /** Adopted from another engine and not yet continued here: neither resolved nor written by this tracker. */
  foreign?: boolean;
  /** Hosts whose own signals (not continuations) joined it: what escalates a new failure seen on many hosts. */
  signalHosts?: string[];
}

/** Serialised state (version 1). */
export interface IncidentTrackerSnapshot {
  version: 1;
  open: Tracked[];
}

const SAMPLE_CHARS = 2000;
/** Most keys remembered as having no renamed incident (a cache: emptied when full). */
const MAX_NOT_RENAMED = 10_000;
const MAX_TEMPLATES = 50;

/** Incidents from signals (see module doc). */
export class IncidentTracker {
  readonly options: Readonly<Required<IncidentTrackerOptions>>;
  /** Unresolved incidents by key. */
  readonly #open = new Map<string, Tracked>();
  /** Resolved incidents, oldest first. */
  readonly #resolved = new Map<string, Incident>();
  readonly #changed = new Map<string, Incident>();
  readonly #lineIds = new Map<string, number[]>();
  /** Unresolved incidents resolved early to stay within `maxOpen`. */
  forcedResolutions = 0;

  readonly #now: () => number;
  readonly #current: (templateId: string) => string;
  /** Incidents added to `#open` so far: a key found with no renamed incident stays so until this moves. */
  #openAdded = 0;
  /** Keys {@link IncidentTracker.#renamed} found nothing for, and the `#openAdded` they were checked at. */
  readonly #notRenamed = new Map<string, number>();

  /**
   * @param now wall clock for versions (tests).
   * @param currentTemplateId the id a template has now (the miner's registry follows a template that generalised
   *   to its new id): an incident opened on a template goes on growing under the template's later id.
   * @throws {RangeError} on out-of-range options.
   */
  constructor(
    options: IncidentTrackerOptions = {},
    now: () => number = Date.now,
    currentTemplateId: (templateId: string) => string = (id) => id,
  ) {
    this.#now = now;
    this.#current = currentTemplateId;
    const o = {
      quietMs: options.quietMs ?? 300_000,
      rateQuietMs: options.rateQuietMs ?? 60_000,
      joinWindowMs: options.joinWindowMs ?? 120_000,
      sparkBucketMs: options.sparkBucketMs ?? 60_000,
      maxSamples: options.maxSamples ?? 5,
      maxOpen: options.maxOpen ?? 10_000,
      maxResolved: options.maxResolved ?? 500,
      criticalHosts: options.criticalHosts ?? 5,
      keepLineIds: options.keepLineIds ?? false,
      maxEpisodeMs: options.maxEpisodeMs ?? 600_000,
    };
    for (const k of ["quietMs", "sparkBucketMs", "maxSamples", "maxOpen", "maxResolved"] as const) {
      if (!(o[k] > 0)) {
        throw new RangeError(
          `Cannot create IncidentTracker as ${k} must be positive: current value is ${o[k]}`,
        );
      }
    }
    this.options = Object.freeze(o);
  }

  /**
   * The key `signal` about `event` at event time `tsMs` groups under. A template's rate spike while its
   * component has a line incident fed within `joinWindowMs` (a burst of a new failure and of a known one
   * together) grows that incident: one episode, the spike one of its reasons, instead of a second incident.
   */
  keyOf(signal: DetectorSignal, event: MinedEvent | undefined, tsMs: number): string {
    const key = keyOf(signal, event);
    if (signal.detector !== "rate" || event === undefined || !signal.scope.startsWith("t:")) {
      return this.#open.has(key) ? key : this.#renamed(key, signal, event) ?? key;
    }
    const lines = incidentKey("lines", event.system, event.component, "*");
    const t = this.#open.get(lines);
    return t !== undefined && tsMs - t.lastFreshMs <= this.options.joinWindowMs ? lines : key;
  }

  /** The unresolved incident of a key, if any. */
  openIncident(key: string): Incident | undefined {
    return this.#open.get(key)?.doc;
  }

  /** An incident by id (unresolved or recently resolved). */
  get(id: string): Incident | undefined {
    for (const t of this.#open.values()) if (t.doc.id === id) return t.doc;
    return this.#resolved.get(id);
  }

  /**
   * The unresolved incident that a line of `templateId` in `system`/`component` at `tsMs` continues: one
   * opened by a signal on that template less than `maxEpisodeMs` ago.
   */
  continued(system: string, component: string, templateId: string, tsMs: number): Incident | undefined {
    const t = this.#open.get(incidentKey("lines", system, component, "*"));
    if (t === undefined || !this.#holds(t, templateId)) return undefined;
    return tsMs - t.firstMs <= this.options.maxEpisodeMs ? t.doc : undefined;
  }

  /**
   * Opens or grows the incident of `signal`'s key with one event.
   * @param signal the detector's verdict.
   * @param event the event (`undefined` for a silence, which has none).
   * @param tsMs the event time (for a silence: when it was noticed).
   * @returns the incident after the change.
   */
  record(signal: DetectorSignal, event: MinedEvent | undefined, tsMs: number): Incident {
    const key = this.keyOf(signal, event, tsMs);
    let t = this.#open.get(key);
    if (t !== undefined && isFreshLineSignal(signal) && !this.#holds(t, signal.scope.slice(2))) {
      if (tsMs - t.lastFreshMs > this.options.joinWindowMs) {
        this.#resolve(key, t, t.lastMs);
        t = undefined;
      }
    }
    if (t === undefined) {
      t = this.#create(key, signal, event, tsMs);
      this.#open.set(key, t);
      this.#openAdded++;
      if (this.#open.size > this.options.maxOpen) this.#forceResolveOldest();
    } else this.#grow(t, signal, event, tsMs);
    t.foreign = false;
    if (isFreshLineSignal(signal)) {
      t.lastFreshMs = Math.max(t.lastFreshMs, tsMs);
      const tid = signal.scope.slice(2);
      if (t.templates.length < MAX_TEMPLATES && !t.templates.includes(tid)) t.templates.push(tid);
    }
    // Re-insert: #open stays ordered by last update, so the oldest is first when forced out.
    this.#open.delete(key);
    this.#open.set(key, t);
    if (event !== undefined && this.options.keepLineIds) {
      let ids = this.#lineIds.get(t.doc.id);
      if (ids === undefined) this.#lineIds.set(t.doc.id, ids = []);
      ids.push(event.lineNo);
    }
    this.#touch(t.doc);
    return t.doc;
  }

  /**
   * Resolves unresolved incidents of `system` whose last event is `quietMs` older than `watermarkMs`
   * (silences are resolved by {@link resolveKey} when their component logs again).
   */
  resolveQuiet(system: string, watermarkMs: number): void {
    // Called about once a second of event time: a template merged into a live one since is looked for again.
    this.#notRenamed.clear();
    for (const [key, t] of this.#open) {
      if (t.doc.system !== system || t.doc.detector === "silence" || t.foreign) continue;
      const quiet = t.doc.detector === "rate" ? this.options.rateQuietMs : this.options.quietMs;
      if (watermarkMs - t.lastMs >= quiet) {
        this.#resolve(key, t, t.lastMs + quiet);
      }
    }
  }

  /** Resolves the unresolved incident of `key` at event time `tsMs` (a silence that ended). */
  resolveKey(key: string, tsMs: number): Incident | undefined {
    const t = this.#open.get(key);
    if (t === undefined) return undefined;
    this.#resolve(key, t, tsMs);
    return t.doc;
  }

  /**
   * Sets an incident's status on an operator's request.
   * @returns the incident after the change, `undefined` when the id is unknown.
   */
  setStatus(id: string, status: Incident["status"], by: string, atMs: number): Incident | undefined {
    for (const [key, t] of this.#open) {
      if (t.doc.id !== id) continue;
      if (status === "resolved") this.#resolve(key, t, t.lastMs);
      else t.doc.status = status;
      this.#stamp(t.doc, by, atMs);
      return t.doc;
    }
    const r = this.#resolved.get(id);
    if (r === undefined) return undefined;
    if (status === "open" || status === "acknowledged") {
      // Reopened: it becomes the key's unresolved incident again, unless a newer one already is.
      if (this.#open.has(r.key)) return undefined;
      this.#resolved.delete(id);
      r.status = status;
      r.resolvedTs = "";
      const lastMs = Date.parse(r.lastTs);
      this.#openAdded++;
      this.#open.set(r.key, {
        doc: r,
        firstMs: Date.parse(r.firstTs),
        lastMs,
        sparkStart: Math.floor(lastMs / this.options.sparkBucketMs) - r.spark.length + 1,
        evidence: r.score,
        templates: r.templateId === "" ? [] : [r.templateId],
        lastFreshMs: lastMs,
      });
    } else r.status = status;
    this.#stamp(r, by, atMs);
    return r;
  }

  /**
   * The templates whose own signals an incident holds (at least the one that opened it): what an operator's
   * template-scoped verdict on the incident covers.
   */
  templatesOf(id: string): string[] {
    for (const t of this.#open.values()) {
      if (t.doc.id !== id) continue;
      const all = t.doc.templateId === "" ? [...t.templates] : [t.doc.templateId, ...t.templates];
      return [...new Set(all)];
    }
    const r = this.#resolved.get(id);
    return r === undefined || r.templateId === "" ? [] : [r.templateId];
  }

  /** Adds an operator's reason to an incident (e.g. "confirmed a real problem by …"). */
  annotate(id: string, reason: string): Incident | undefined {
    const doc = this.get(id);
    if (doc === undefined) return undefined;
    if (!doc.reasons.includes(reason)) doc.reasons = [reason, ...doc.reasons].slice(0, 8);
    this.#touch(doc);
    return doc;
  }

  /** The latest version of every incident changed since the last call (copies), and forgets them. */
  drainChanged(): Incident[] {
    if (this.#changed.size === 0) return [];
    const out = [...this.#changed.values()].map(copy);
    this.#changed.clear();
    return out;
  }

  /** Unresolved and recently resolved incidents (copies), in no particular order. */
  all(): Incident[] {
    return [...[...this.#open.values()].map((t) => t.doc), ...this.#resolved.values()].map(copy);
  }

  /** Every line number recorded for an incident (only with `keepLineIds`). */
  lineIds(id: string): readonly number[] {
    return this.#lineIds.get(id) ?? [];
  }

  /** The persisted form (unresolved incidents only: resolved ones are in the hot tier). */
  toJSON(): IncidentTrackerSnapshot {
    return { version: 1, open: [...this.#open.values()] };
  }

  /** Restores {@link toJSON}'s output (unknown shapes are ignored: a cold start). */
  restore(snapshot: IncidentTrackerSnapshot): void {
    if (snapshot?.version !== 1 || !Array.isArray(snapshot.open)) return;
    for (const t of snapshot.open) {
      if (typeof t?.doc?.key === "string") {
        this.#open.set(t.doc.key, { ...t, doc: copy(t.doc), templates: [...(t.templates ?? [])] });
        this.#openAdded++;
      }
    }
    this.#capOpen();
  }

  #create(key: string, s: DetectorSignal, event: MinedEvent | undefined, tsMs: number): Tracked {
    const ts = new Date(tsMs).toISOString();
    const opener = event?.id ?? `${s.detector}@${tsMs}`;
    const doc: Incident = {
      id: incidentId(key, opener),
      key,
      detector: s.detector,
      severity: s.severity,
      status: "open",
      title: title(s, event),
      system: event?.system ?? systemOfScope(s.scope),
      component: event?.component ?? componentOfScope(s.scope),
      templateId: s.scope.startsWith("t:") ? s.scope.slice(2) : "",
      template: s.scope.startsWith("t:") ? event?.template ?? "" : "",
      host: s.host,
      hosts: event !== undefined ? [event.host] : s.host === "*" ? [] : [s.host],
      firstTs: ts,
      lastTs: ts,
      resolvedTs: "",
      count: event !== undefined ? 1 : 0,
      peakRate: s.rate?.count ?? (event !== undefined ? 1 : 0),
      baselineRate: s.rate?.baseline ?? 0,
      score: clamp01(s.evidence),
      reasons: s.reasons.slice(0, 8),
      samples: event !== undefined ? [sample(event)] : [],
      spark: [event !== undefined ? 1 : 0],
      version: 0,
      statusBy: "",
      statusTs: "",
    };
    return {
      doc,
      firstMs: tsMs,
      lastMs: tsMs,
      sparkStart: Math.floor(tsMs / this.options.sparkBucketMs),
      evidence: s.evidence,
      templates: [],
      lastFreshMs: tsMs,
    };
  }

  #grow(t: Tracked, s: DetectorSignal, event: MinedEvent | undefined, tsMs: number): void {
    const d = t.doc;
    if (tsMs > t.lastMs) {
      t.lastMs = tsMs;
      d.lastTs = new Date(tsMs).toISOString();
    }
    d.severity = maxSeverity(d.severity, s.severity);
    if (s.evidence > t.evidence) {
      t.evidence = s.evidence;
      d.score = clamp01(s.evidence);
    }
    if (s.rate !== undefined && s.rate.count > d.peakRate) {
      d.peakRate = s.rate.count;
      d.baselineRate = s.rate.baseline;
      // the peak's wording leads an incident of its own detector; in a line incident it is one more reason
      if ((s.detector === "rate" || s.detector === "entity") && d.detector === s.detector) {
        d.reasons[0] = s.reasons[0];
      }
    }
    for (const r of s.reasons) {
      if (d.reasons.length >= 8 || d.reasons.includes(r)) continue;
      // The same reason at another moment ("CBS's volume: 1 in 2 s vs 4.3 usual") is not a new reason: the
      // peak's wording (kept above) says it; only reasons of another kind are added.
      const kind = reasonKind(r);
      if (d.reasons.some((x) => reasonKind(x) === kind)) continue;
      d.reasons.push(r);
    }
    if (event === undefined) return;
    d.count++;
    if (!d.hosts.includes(event.host) && d.hosts.length < MAX_INCIDENT_HOSTS) d.hosts.push(event.host);
    if (s.reasons.length > 0) {
      const hosts = (t.signalHosts ??= []);
      if (!hosts.includes(event.host) && hosts.length < MAX_INCIDENT_HOSTS) hosts.push(event.host);
      if (
        d.detector === "new_pattern" && d.severity === "ANOMALY" && hosts.length >= this.options.criticalHosts
      ) {
        d.severity = "CRITICAL_ANOMALY";
        d.reasons.unshift(`never-seen failure on ${hosts.length} hosts`);
        d.reasons.length = Math.min(d.reasons.length, 8);
      }
    }
    if (d.samples.length < this.options.maxSamples) d.samples.push(sample(event));
    else d.samples[d.samples.length - 1] = sample(event);
    const bucket = Math.floor(Math.max(tsMs, t.firstMs) / this.options.sparkBucketMs);
    let idx = bucket - t.sparkStart;
    if (idx >= MAX_SPARK_BUCKETS) {
      const shift = Math.min(idx - MAX_SPARK_BUCKETS + 1, d.spark.length);
      d.spark.splice(0, shift);
      t.sparkStart += idx - MAX_SPARK_BUCKETS + 1;
      idx = MAX_SPARK_BUCKETS - 1;
    }
    while (d.spark.length <= idx) d.spark.push(0);
    d.spark[idx]++;
    if (s.rate === undefined && d.spark[idx] > d.peakRate) d.peakRate = d.spark[idx];
  }

  #resolve(key: string, t: Tracked, atMs: number): void {
    this.#open.delete(key);
    t.doc.status = "resolved";
    t.doc.resolvedTs = new Date(Math.max(atMs, t.lastMs)).toISOString();
    this.#resolved.set(t.doc.id, t.doc);
    if (this.#resolved.size > this.options.maxResolved) {
      this.#resolved.delete(this.#resolved.keys().next().value as string);
      countEvictions("incidents_resolved");
    }
    this.#touch(t.doc);
  }

  #forceResolveOldest(): void {
    const [key, t] = this.#open.entries().next().value as [string, Tracked];
    this.#resolve(key, t, t.lastMs);
    this.forcedResolutions++;
    countEvictions("incidents_open");
  }

  /** Whether the line incident `t` holds `templateId`, under that id or an earlier one of the same template. */
  #holds(t: Tracked, templateId: string): boolean {
    return t.templates.some((id) => id === templateId || this.#current(id) === templateId);
  }

  /**
   * The open incident of a template-scoped key (severity, entity) opened under an earlier id of the same
   * template: it is moved under `key`, so the template's later lines grow it instead of opening a second one.
   * Asked only when `key` has no open incident, i.e. once per new key.
   */
  #renamed(key: string, signal: DetectorSignal, event: MinedEvent | undefined): string | undefined {
    if (event === undefined || !signal.scope.startsWith("t:")) return undefined;
    // A muted flood asks on every line: scan the open incidents again only once one was added since (or the
    // next quiet check, which forgets these answers: a template can also be merged into a live one).
    if (this.#notRenamed.get(key) === this.#openAdded) return undefined;
    const templateId = signal.scope.slice(2);
    for (const [k, t] of this.#open) {
      const d = t.doc;
      if (
        d.templateId === "" || d.templateId === templateId || d.system !== event.system ||
        d.host !== signal.host || incidentKind(d.detector) !== incidentKind(signal.detector) ||
        this.#current(d.templateId) !== templateId
      ) continue;
      this.#open.delete(k);
      this.#open.set(key, t);
      return key;
    }
    if (this.#notRenamed.size >= MAX_NOT_RENAMED) this.#notRenamed.clear();
    this.#notRenamed.set(key, this.#openAdded);
    return undefined;
  }

  /** Brings the unresolved incidents back within `maxOpen`: foreign ones forgotten first, then ours resolved. */
  #capOpen(): void {
    if (this.#open.size <= this.options.maxOpen) return;
    for (const [key, t] of this.#open) {
      if (this.#open.size <= this.options.maxOpen) return;
      if (t.foreign) {
        this.#open.delete(key);
        countEvictions("incidents_open");
      }
    }
    while (this.#open.size > this.options.maxOpen) this.#forceResolveOldest();
  }

  #stamp(doc: Incident, by: string, atMs: number): void {
    doc.statusBy = by;
    doc.statusTs = new Date(atMs).toISOString();
    this.#touch(doc);
  }

  #touch(doc: Incident): void {
    doc.version = Math.max(doc.version + 1, this.#now() * 1000);
    this.#changed.set(doc.id, doc);
  }

  /**
   * Takes the unresolved incidents another engine stored (see module doc). An incident unknown here, or known
   * in an older version, becomes this tracker's (foreign until continued); foreign incidents missing from
   * `incidents` were resolved elsewhere and are forgotten. Nothing adopted is marked changed.
   * @returns how many incidents were adopted or refreshed.
   */
  adopt(incidents: readonly Incident[]): number {
    const seen = new Set<string>();
    let n = 0;
    for (const doc of incidents) {
      if (doc.status === "resolved") continue;
      seen.add(doc.id);
      const here = this.#open.get(doc.key);
      if (here !== undefined && (here.doc.id !== doc.id || here.doc.version >= doc.version)) continue;
      const lastMs = Date.parse(doc.lastTs);
      const firstMs = Date.parse(doc.firstTs);
      if (!Number.isFinite(lastMs) || !Number.isFinite(firstMs)) continue;
      this.#openAdded++;
      this.#open.set(doc.key, {
        doc: copy(doc),
        firstMs,
        lastMs,
        sparkStart: Math.floor(lastMs / this.options.sparkBucketMs) - doc.spark.length + 1,
        evidence: doc.score,
        templates: here?.templates ?? (doc.templateId === "" ? [] : [doc.templateId]),
        lastFreshMs: here?.lastFreshMs ?? lastMs,
        foreign: here === undefined ? true : here.foreign,
        signalHosts: here?.signalHosts ?? [],
      });
      n++;
    }
    for (const [key, t] of this.#open) if (t.foreign && !seen.has(t.doc.id)) this.#open.delete(key);
    this.#capOpen();
    return n;
  }
}

/** A new-pattern or model signal of its own (not a continuation): what keeps a line incident's templates. */
function isFreshLineSignal(s: DetectorSignal): boolean {
  return (s.detector === "new_pattern" || s.detector === "model") && s.reasons.length > 0 &&
    s.scope.startsWith("t:");
}

/** The key a signal groups under (see {@link incidentKey}). */
function keyOf(s: DetectorSignal, event: MinedEvent | undefined): string {
  const kind = incidentKind(s.detector);
  if ((kind === "severity" || kind === "entity") && event !== undefined) {
    return incidentKey(kind, event.system, s.scope, s.host);
  }
  // Volume moves together: the components that spike at the same time are one episode of their system.
  if (kind === "rate") return incidentKey(kind, event?.system ?? systemOfScope(s.scope), "*", s.host);
  if (event !== undefined) return incidentKey(kind, event.system, event.component, s.host);
  return incidentKey(kind, systemOfScope(s.scope), componentOfScope(s.scope), s.host);
}

/** A reason with its figures blanked: two readings of one measure share it. */
function reasonKind(reason: string): string {
  return reason.replace(/\d+(?:[.,]\d+)*/g, "#");
}

/** The more severe of two severities. */
export function maxSeverity(a: IncidentSeverity, b: IncidentSeverity): IncidentSeverity {
  return a === "CRITICAL_ANOMALY" || b === "CRITICAL_ANOMALY" ? "CRITICAL_ANOMALY" : "ANOMALY";
}

function copy(d: Incident): Incident {
  return {
    ...d,
    hosts: [...d.hosts],
    reasons: [...d.reasons],
    samples: d.samples.map((s) => ({ ...s })),
    spark: [...d.spark],
  };
}

function sample(e: MinedEvent) {
  return {
    eventId: e.id,
    ts: e.ts,
    host: e.host,
    lineNo: e.lineNo,
    content: e.content.length > SAMPLE_CHARS ? e.content.slice(0, SAMPLE_CHARS) + "…" : e.content,
  };
}

function title(s: DetectorSignal, e: MinedEvent | undefined): string {
  const where = e?.component || componentOfScope(s.scope) || e?.system || "";
  const what = e === undefined ? "" : truncate(e.template || e.content, 120);
  switch (s.detector) {
    case "severity":
      return `${s.reasons[0] ?? "Severe line"} in ${where}: ${what}`;
    case "new_pattern":
      return `${s.returning ? "Failure back" : "New failure"} in ${where}: ${what}`;
    case "rate":
      return s.scope.startsWith("t:") ? `Spike of ${what} in ${where}` : `Volume spike in ${where}`;
    case "silence":
      return `${where} silent on ${s.host === "*" ? "every host" : s.host}`;
    case "model":
      return `Unusual line in ${where}: ${what}`;
    case "entity":
      return `Repeated failures from ${s.scope.slice(2)} in ${where}`;
  }
}

function truncate(text: string, n: number): string {
  return text.length > n ? text.slice(0, n - 1) + "…" : text;
}

function systemOfScope(scope: string): string {
  return scope.startsWith("c:")
    ? scope.slice(2, scope.indexOf("/") > 0 ? scope.indexOf("/") : undefined)
    : "";
}

function componentOfScope(scope: string): string {
  const slash = scope.indexOf("/");
  return scope.startsWith("c:") && slash > 0 ? scope.slice(slash + 1) : "";
}

const clamp01 = (x: number) => (x < 0 ? 0 : x > 1 ? 1 : Math.round(x * 1e4) / 1e4);
