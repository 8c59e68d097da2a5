/**
 * vigil's incident detection: every detector, the operators' suppressions and the incident tracker, run in
 * event order on one thread (the classifier pool's actor in the engine; the loop of `deno task incidents` and
 * `deno task classify` offline — the same code, so they agree).
 *
 * For each event ({@link IncidentDetection.judge}):
 * 1. the silence detector learns it (a silent component that logs again ends its silence incident);
 * 2. the severity, new-pattern, rate and model detectors judge it; an event of a template whose incident is
 *    still open continues that incident (an episode is one incident, whose count grows); a template an
 *    operator confirmed as a real problem always opens or continues one;
 * 3. suppressions drop the signals they cover (never a fatal/critical line of another template);
 * 4. each remaining signal opens or grows its incident; the event's label is the most severe of them;
 * 5. quiet incidents resolve and silent components open silence incidents, by the stream's event time.
 *
 * The event's `classification`, `score` and `reasons` are its incident's: NORMAL events score below 0.5
 * (half the model's probability), flagged ones 0.5 + half their strongest evidence.
 *
 * @module
 */
import type { Classification, Level, MinedEvent } from "../event/log_event.ts";
import type { DetectorInput, DetectorSignal } from "./detector_signal.ts";
import { templateScope } from "./detector_signal.ts";
import {
  type DetectorName,
  DETECTORS,
  type Incident,
  incidentKey,
  type IncidentSeverity,
} from "./incident.ts";
import type { IncidentActionRequest, IncidentControl } from "./incident_control.ts";
import type { FeedbackChange, TemplateConfirmation } from "./feedback_change.ts";
import { isEmptyChange } from "./feedback_change.ts";
import { compareIncidents } from "./incident.ts";
import { IncidentTracker, type IncidentTrackerOptions, maxSeverity } from "./incident_tracker.ts";
import { EntityDetector, type EntityDetectorOptions } from "./entity_detector.ts";
import { ModelDetector, type ModelDetectorOptions } from "./model_detector.ts";
import { NewPatternDetector, type NewPatternOptions } from "./new_pattern_detector.ts";
import { RateDetector, type RateDetectorOptions } from "./rate_detector.ts";
import { detectSeverity } from "./severity_detector.ts";
import { SilenceDetector, type SilenceDetectorOptions } from "./silence_detector.ts";
import type { Suppression, SuppressionScope } from "./suppression.ts";
import { SuppressionBook } from "./suppression_book.ts";
import { BoundedLru, MAX_SYSTEMS } from "./bounded_lru.ts";

/** Options of {@link IncidentDetection}; every detector's options have defaults. */
export interface IncidentDetectionOptions {
  /** Detectors that run. Default: all six. */
  detectors?: readonly DetectorName[];
  tracker?: IncidentTrackerOptions;
  rate?: RateDetectorOptions;
  silence?: SilenceDetectorOptions;
  newPattern?: NewPatternOptions;
  model?: ModelDetectorOptions;
  entity?: EntityDetectorOptions;
  /** Called after an operator action changed the suppressions (persist them). */
  onSuppressionsChanged?: (book: SuppressionBook) => Promise<void>;
  /**
   * Called after an operator action changed feedback (suppressions added or removed, templates confirmed),
   * after {@link onSuppressionsChanged} and before the action answers: the engine shares the change with the
   * other engines of its group through the hot tier (`actors/feedback_sync.ts`). Default: none.
   */
  onFeedback?: (change: FeedbackChange) => Promise<void>;
  /** Wall clock for suppression expiry and action stamps (tests). Default `Date.now`. */
  now?: () => number;
  /**
   * The id a template has now: when the miner generalises a template its id changes (its registry keeps the old
   * id as an alias, `TemplateRegistry.resolve`). With it, an operator's verdict and an open incident follow the
   * template to its new id instead of being left behind under the old one. Default: ids never change.
   */
  currentTemplateId?: (templateId: string) => string;
  /**
   * The ids a template had before it generalised (`TemplateRegistry.formerIds`): with it, what the new-pattern
   * and model detectors learnt of a template (seen before, how often) follows it to its new id, so a widened
   * familiar template is not "never seen". Default: none.
   */
  formerTemplateIds?: (templateId: string) => readonly string[];
}

/** What an event becomes: its label, score and reasons, and the incident it belongs to. */
export interface Verdict {
  classification: Classification;
  score: number;
  reasons: string[];
  /** The incident the label comes from (the most severe one), when flagged. */
  incidentId?: string;
}

/** Serialised detection state (version 1). */
export interface IncidentDetectionSnapshot {
  version: 1;
  tracker: ReturnType<IncidentTracker["toJSON"]>;
  rate: ReturnType<RateDetector["toJSON"]>;
  silence: ReturnType<SilenceDetector["toJSON"]>;
  newPattern: ReturnType<NewPatternDetector["toJSON"]>;
  model: ReturnType<ModelDetector["toJSON"]>;
  entity?: ReturnType<EntityDetector["toJSON"]>;
  confirmed: [string, { detector: DetectorName; severity: IncidentSeverity; by: string }][];
}

const PROBLEM_LEVELS: ReadonlySet<Level> = new Set(["warn", "error", "critical", "fatal"]);

/** Default expiries of operator suppressions. */
export const DEFAULT_MUTE_MS = 4 * 3_600_000;
/** Default expiry of "not a problem". */
export const DEFAULT_NOT_A_PROBLEM_MS = 30 * 24 * 3_600_000;
/** Most templates confirmed as real problems. */
const MAX_CONFIRMED = 10_000;

/** An operator's "real problem" on a template: its lines open incidents as that detector and severity. */
interface Confirmation {
  detector: DetectorName;
  severity: IncidentSeverity;
  by: string;
}

/** Incident detection (see module doc). Implements the dashboard's {@link IncidentControl}. */
export class IncidentDetection implements IncidentControl {
  readonly tracker: IncidentTracker;
  readonly rate: RateDetector;
  readonly silence: SilenceDetector;
  readonly newPattern: NewPatternDetector;
  readonly model: ModelDetector;
  readonly entity: EntityDetector;
  readonly book = new SuppressionBook();
  readonly #enabled: ReadonlySet<DetectorName>;
  readonly #onSuppressions?: (book: SuppressionBook) => Promise<void>;
  readonly #onFeedback?: (change: FeedbackChange) => Promise<void>;
  readonly #now: () => number;
  readonly #confirmed = new BoundedLru<string, Confirmation>(MAX_CONFIRMED, "detection_confirmed");
  readonly #lastResolve = new BoundedLru<string, number>(MAX_SYSTEMS, "detection_last_resolve");
  readonly #current: (templateId: string) => string;

  constructor(options: IncidentDetectionOptions = {}) {
    this.#enabled = new Set(options.detectors ?? DETECTORS);
    this.#current = options.currentTemplateId ?? ((id) => id);
    this.tracker = new IncidentTracker(options.tracker, options.now, this.#current);
    this.rate = new RateDetector(options.rate);
    this.silence = new SilenceDetector(options.silence);
    const formerIds = options.formerTemplateIds ?? (() => []);
    this.newPattern = new NewPatternDetector(options.newPattern, formerIds);
    this.model = new ModelDetector(options.model, formerIds);
    this.entity = new EntityDetector(options.entity);
    this.#onSuppressions = options.onSuppressionsChanged;
    this.#onFeedback = options.onFeedback;
    this.#now = options.now ?? Date.now;
  }

  /**
   * Entries forgotten to stay bounded, since creation: the detectors' keys, confirmed templates and per-system
   * clocks (the suppressions book counts its own, the tracker force-resolves past `maxOpen`).
   */
  get evicted(): number {
    return this.rate.evicted + this.silence.evicted + this.newPattern.evicted + this.model.evicted +
      this.entity.evicted + this.#confirmed.evicted + this.#lastResolve.evicted;
  }

  /** Judges one event, in stream order (see module doc). */
  judge(input: DetectorInput): Verdict {
    // The parser runs ahead of detection: the template may have generalised since this event was mined, and
    // every line of one template should be judged under one id (the latest).
    const current = this.#current(input.event.templateId);
    if (current !== input.event.templateId) {
      input = { ...input, event: { ...input.event, templateId: current } };
    }
    const e = input.event;
    const now = this.#now();
    // The silence detector keeps the stream's clock (its watermark), so it learns every event.
    const problem = input.semantics || PROBLEM_LEVELS.has(input.level);
    for (const resumed of this.silence.observe(e.system, e.component, e.host, input.tsMs, problem)) {
      this.tracker.resolveKey(incidentKey("silence", e.system, e.component, resumed.signal.host), input.tsMs);
    }
    // Strongest first: when several detectors' signals group under one key, the event counts once, for the
    // strongest of them.
    const signals = this.#signals(input).sort((a, b) =>
      rank(b.severity) - rank(a.severity) || b.evidence - a.evidence
    );
    // A line the severity detector took is that failure's incident; the other line detectors saying the same
    // line is new or unusual would only open a second incident for it.
    if (signals.some((s) => s.detector === "severity")) {
      for (let i = signals.length - 1; i >= 0; i--) {
        if (signals[i].detector === "new_pattern" || signals[i].detector === "model") signals.splice(i, 1);
      }
    }
    // The address behind many failures is context for lines nothing else explains (a brute force is a stream
    // of ordinary-looking failures); a line another detector took already has its incident.
    if (signals.length > 1 && signals.some((s) => s.detector === "entity")) {
      const others = signals.filter((s) => s.detector !== "entity");
      if (others.length > 0) signals.splice(0, signals.length, ...others);
    }
    const recorded = new Set<string>();
    let best: { incident: Incident; evidence: number; specific: boolean } | undefined;
    let classification: Classification = "NORMAL";
    let silencedBy: Set<string> | undefined;
    for (const s of signals) {
      const key = this.tracker.keyOf(s, e, input.tsMs);
      if (recorded.has(key)) continue;
      const rateFactor = s.rate === undefined ? 0 : s.rate.count / Math.max(s.rate.baseline, 0.5);
      const probe = {
        detector: s.detector,
        system: e.system,
        component: e.component,
        templateId: e.templateId,
        host: e.host,
        level: input.level,
      };
      const suppression = this.book.match(probe, now, rateFactor, this.#current);
      if (suppression !== undefined) {
        silencedBy ??= new Set();
        silencedBy.add(suppression.id);
        continue;
      }
      recorded.add(key);
      const incident = this.tracker.record(s, e, input.tsMs);
      classification = maxLabel(classification, incident.severity);
      // The event names its most severe incident; among equals the one about its own template.
      const specific = s.detector === "severity";
      if (
        best === undefined || rank(incident.severity) > rank(best.incident.severity) ||
        (incident.severity === best.incident.severity && specific && !best.specific)
      ) best = { incident, evidence: s.evidence, specific };
    }
    for (const id of silencedBy ?? []) this.book.countSilenced(id);
    this.#tick(e.system);
    if (best === undefined) {
      return { classification: "NORMAL", score: round(0.5 * input.modelScore), reasons: [] };
    }
    return {
      classification,
      score: round(0.5 + 0.5 * Math.min(1, best.evidence)),
      reasons: [`incident: ${best.incident.title}`, ...best.incident.reasons.slice(0, 4)],
      incidentId: best.incident.id,
    };
  }

  /** The latest version of every incident changed since the last call. */
  drainChanged(): Incident[] {
    return this.tracker.drainChanged();
  }

  #signals(input: DetectorInput): DetectorSignal[] {
    const e = input.event;
    const out: DetectorSignal[] = [];
    const fresh = new Set<DetectorName>();
    const push = (s: DetectorSignal | undefined) => {
      if (s === undefined || !this.#enabled.has(s.detector)) return;
      out.push(s);
      fresh.add(s.detector);
    };
    // Detectors with state learn every event, whether or not they are enabled, so enabling one later (or an
    // ablation) sees the same history.
    const armed = this.newPattern.armed(e.system, e.component);
    push(detectSeverity(input));
    push(this.newPattern.observe(input));
    for (const s of this.rate.observe(input)) push(s);
    push(this.model.observe(input, armed));
    push(this.entity.observe(input));
    const scope = templateScope(e.templateId);
    // A later line of a template that opened an incident continues it (the episode is one incident).
    if (out.length === 0) {
      const open = this.tracker.continued(e.system, e.component, e.templateId, input.tsMs);
      if (open !== undefined && this.#enabled.has(open.detector)) {
        out.push({
          detector: open.detector,
          severity: open.severity,
          scope,
          host: "*",
          evidence: open.score,
          reasons: [],
        });
      }
    }
    const confirmed = this.#confirmed.get(`${e.system}\u0000${e.templateId}`);
    if (confirmed !== undefined && !fresh.has(confirmed.detector)) {
      out.push({
        detector: confirmed.detector,
        severity: confirmed.severity,
        scope,
        host: "*",
        evidence: 0.9,
        reasons: [`confirmed a real problem by ${confirmed.by}`],
      });
    }
    return out;
  }

  #tick(system: string): void {
    const wm = this.silence.watermark(system);
    if (wm - (this.#lastResolve.get(system) ?? 0) < 1000) return;
    this.#lastResolve.set(system, wm);
    this.tracker.resolveQuiet(system, wm);
    if (!this.#enabled.has("silence")) return;
    for (const change of this.silence.check(system)) {
      const s = change.signal;
      const suppression = this.book.match({ ...probeOf(s), system }, this.#now());
      if (suppression !== undefined) {
        this.book.countSilenced(suppression.id);
        continue;
      }
      this.tracker.record(s, undefined, wm);
    }
  }

  // ---- IncidentControl (the dashboard's actions) ----

  /** @inheritdoc */
  async act(request: IncidentActionRequest): Promise<Incident | undefined> {
    const now = this.#now();
    const incident = this.tracker.get(request.incidentId);
    if (incident === undefined) return undefined;
    const by = request.by || "operator";
    switch (request.action) {
      case "acknowledge":
        return this.tracker.setStatus(incident.id, "acknowledged", by, now);
      case "resolve":
        return this.tracker.setStatus(incident.id, "resolved", by, now);
      case "reopen":
        return this.tracker.setStatus(incident.id, "open", by, now);
      case "mute":
      case "not_a_problem": {
        const scope = request.scope ?? (incident.templateId === "" ? "component" : "template");
        const put = this.#addSuppression(
          incident,
          request.action === "mute" ? "mute" : "not_a_problem",
          scope,
          request,
          now,
        );
        await this.#onSuppressions?.(this.book);
        await this.#shared({ put, removed: [], confirmed: [] });
        return this.tracker.setStatus(incident.id, request.action === "mute" ? "muted" : "resolved", by, now);
      }
      case "real_problem": {
        const templates = this.tracker.templatesOf(incident.id);
        const change: FeedbackChange = { put: [], removed: [], confirmed: [] };
        const removedTs = new Date(now).toISOString();
        for (const templateId of templates.map(this.#current)) {
          const confirmation = { detector: incident.detector, severity: incident.severity, by };
          this.#confirmed.set(`${incident.system}\u0000${templateId}`, confirmation);
          change.confirmed.push({ system: incident.system, templateId, ...confirmation });
          const lifted = this.book.removeWhere((s) =>
            s.kind === "not_a_problem" && s.templateId !== "" && this.#current(s.templateId) === templateId &&
            s.system === incident.system
          );
          for (const suppression of lifted) change.removed.push({ suppression, removedTs, removedBy: by });
        }
        if (templates.length > 0) await this.#onSuppressions?.(this.book);
        await this.#shared(change);
        this.tracker.annotate(incident.id, `confirmed a real problem by ${by}`);
        return this.tracker.setStatus(
          incident.id,
          incident.status === "resolved" ? "resolved" : "open",
          by,
          now,
        );
      }
    }
  }

  /** @inheritdoc */
  suppressions(): Suppression[] {
    return this.book.list();
  }

  /** @inheritdoc */
  async removeSuppression(id: string, by: string): Promise<boolean> {
    const suppression = this.book.get(id);
    if (suppression === undefined || !this.book.remove(id)) return false;
    await this.#onSuppressions?.(this.book);
    const removedTs = new Date(this.#now()).toISOString();
    await this.#shared({
      put: [],
      removed: [{ suppression, removedTs, removedBy: by || "operator" }],
      confirmed: [],
    });
    return true;
  }

  /** Every template confirmed as a real problem (this engine's and those merged from other engines). */
  confirmations(): TemplateConfirmation[] {
    return [...this.#confirmed.entries()].map(([key, c]) => {
      const cut = key.indexOf("\u0000");
      return { system: key.slice(0, cut), templateId: key.slice(cut + 1), ...c };
    });
  }

  /**
   * Applies a "real problem" taken elsewhere (another engine's, merged from the hot tier), without telling
   * {@link IncidentDetectionOptions.onFeedback}.
   * @returns false when this engine already held the same confirmation.
   */
  applyConfirmation(c: TemplateConfirmation): boolean {
    const key = `${c.system}\u0000${c.templateId}`;
    const held = this.#confirmed.get(key);
    if (held?.detector === c.detector && held.severity === c.severity) return false;
    this.#confirmed.set(key, { detector: c.detector, severity: c.severity, by: c.by });
    return true;
  }

  async #shared(change: FeedbackChange): Promise<void> {
    if (!isEmptyChange(change)) await this.#onFeedback?.(change);
  }

  /** @inheritdoc */
  incidents(): Incident[] {
    return this.tracker.all().sort(compareIncidents);
  }

  /**
   * Adds the suppressions of an operator's mute or "not a problem": one per template the incident holds for
   * template scopes (a line incident may hold several), one for the component otherwise.
   */
  #addSuppression(
    incident: Incident,
    kind: Suppression["kind"],
    scope: SuppressionScope,
    request: IncidentActionRequest,
    now: number,
  ): Suppression[] {
    // A component-wide verdict also names the incident's own templates: the fatal/critical lines of those are
    // covered, while those of every other template of the component never are.
    const own = this.tracker.templatesOf(incident.id);
    const templates = scope === "component" ? ["", ...own] : own;
    if (templates.length === 0) {
      throw new RangeError(
        `Cannot suppress incident ${incident.id} as scope ${scope} needs a template and it has none`,
      );
    }
    const ms = request.expiresInMs ?? (kind === "mute" ? DEFAULT_MUTE_MS : DEFAULT_NOT_A_PROBLEM_MS);
    if (!(ms > 0) || !Number.isFinite(ms)) {
      throw new RangeError(
        `Cannot suppress incident ${incident.id} as expiresInMs must be positive: current value is ${ms}`,
      );
    }
    const added: Suppression[] = [];
    for (const templateId of templates) {
      added.push(this.book.add({
        kind,
        scope: templateId === "" ? "component" : scope === "component" ? "template" : scope,
        system: incident.system,
        component: incident.component,
        templateId,
        template: templateId === incident.templateId ? incident.template : "",
        host: scope === "template_host"
          ? (incident.host === "*" ? incident.hosts[0] ?? "" : incident.host)
          : "",
        incidentId: incident.id,
        createdTs: new Date(now).toISOString(),
        expiresTs: new Date(now + ms).toISOString(),
        createdBy: request.by || "operator",
        ...(kind === "not_a_problem" && incident.baselineRate > 0
          ? { dismissedFactor: incident.peakRate / Math.max(incident.baselineRate, 0.5) }
          : {}),
      }));
    }
    return added;
  }

  // ---- persistence ----

  /** The persisted form (detector state, unresolved incidents, confirmed templates; not suppressions). */
  toJSON(): IncidentDetectionSnapshot {
    return {
      version: 1,
      tracker: this.tracker.toJSON(),
      rate: this.rate.toJSON(),
      silence: this.silence.toJSON(),
      newPattern: this.newPattern.toJSON(),
      model: this.model.toJSON(),
      entity: this.entity.toJSON(),
      confirmed: [...this.#confirmed.entries()],
    };
  }

  /** Restores {@link toJSON}'s output (an unknown shape is a cold start). */
  restore(snapshot: IncidentDetectionSnapshot): void {
    if (snapshot?.version !== 1) return;
    this.tracker.restore(snapshot.tracker);
    this.rate.restore(snapshot.rate);
    this.silence.restore(snapshot.silence);
    this.newPattern.restore(snapshot.newPattern);
    this.model.restore(snapshot.model);
    if (snapshot.entity !== undefined) this.entity.restore(snapshot.entity);
    for (const [k, v] of snapshot.confirmed ?? []) this.#confirmed.set(String(k), v);
  }
}

/** Builds a detector input from an event, its feature facts and its model score. */
export function detectorInput(
  event: MinedEvent,
  facts: { semantics: boolean; severeSemantics: boolean; failureWord?: string },
  modelScore: number,
  fallbackTsMs = 0,
): DetectorInput {
  const ts = Date.parse(event.ts);
  // "terminated normally", "shut down cleanly": the failure word is qualified as the intended outcome.
  const benign = (facts.semantics || facts.severeSemantics) && endedAsIntended(event.content);
  return {
    event,
    tsMs: Number.isFinite(ts) ? ts : fallbackTsMs,
    level: event.level as Level,
    semantics: facts.semantics && !benign,
    severeSemantics: facts.severeSemantics && !benign,
    failureWord: facts.failureWord ?? "",
    modelScore: Number.isFinite(modelScore) ? Math.min(1, Math.max(0, modelScore)) : 0,
  };
}

/**
 * Words that say an event ended the way it was meant to. The model's lexicon (part of its feature spec) has
 * no such words; the detectors read them here so "Idle processing thread terminated normally" is no failure.
 */
const ENDED_AS_INTENDED = /\b(?:normally|gracefully|cleanly|as expected|on request|by user request)\b/i;

/** Whether a message qualifies its failure-sounding word as the intended outcome (head of the message only). */
export function endedAsIntended(content: string): boolean {
  return ENDED_AS_INTENDED.test(content.length > 1024 ? content.slice(0, 1024) : content);
}

function probeOf(s: DetectorSignal) {
  const slash = s.scope.indexOf("/");
  return {
    detector: s.detector,
    component: s.scope.startsWith("c:") && slash > 0 ? s.scope.slice(slash + 1) : "",
    templateId: s.scope.startsWith("t:") ? s.scope.slice(2) : "",
    host: s.host,
    level: "info" as Level,
  };
}

const rank = (s: IncidentSeverity) => (s === "CRITICAL_ANOMALY" ? 2 : 1);
const maxLabel = (c: Classification, s: IncidentSeverity): Classification =>
  c === "NORMAL" ? s : maxSeverity(c, s);
const round = (x: number) => Math.round(x * 1e4) / 1e4;
