/**
 * The classifier's online state: what it has seen so far, per template and per component — counts, first/last
 * seen, event-share EWMAs (fast and slow, over the event sequence) and time-bucket rate baselines (EWMA mean
 * and variance of events per bucket) — and per system: its vocabulary, its rate of new templates and its
 * level mix (`SystemStats`). Features are computed from it *before* it learns the event, so a
 * feature never looks at its own event or at any later one.
 *
 * Restarts: the state is **persisted** (`toJSON`/`fromJSON`, written by the classifier pool to
 * `<classifier.dataDir>/online_state.json` periodically and at stop) rather than rebuilt from the hot tier: the
 * hot tier holds classified events, not baselines, and replaying days of them to rebuild EWMAs would be slow.
 * A missing or unreadable file means a cold start (every template is new again), which is logged.
 *
 * Memory is bounded: beyond `maxKeys` templates (or components) the least recently seen tenth is dropped;
 * beyond {@link MAX_SYSTEMS} systems the oldest, beyond {@link MAX_WORDS} words of a system its oldest tenth.
 * Every dropped entry is counted in `vigil_evictions_total` (`map` = `online_state_templates`,
 * `online_state_components`, `online_state_systems`, `online_state_words`).
 *
 * @module
 */
import { countEvictions } from "../../engine/eviction_tally.ts";

/** Options of {@link OnlineState}. */
export interface OnlineStateOptions {
  /** Rate bucket length, ms. Default 60 000. */
  bucketMs?: number;
  /** EWMA weight of a new rate bucket, in (0, 1). Default 0.1. */
  rateAlpha?: number;
  /** Fast event-share EWMA weight per event. Default 1/32. */
  shareFastAlpha?: number;
  /** Slow event-share EWMA weight per event. Default 1/1024. */
  shareSlowAlpha?: number;
  /** Most templates (and, separately, components) kept. Default 200 000. */
  maxKeys?: number;
}

/** What is kept per key (template or component). */
export interface KeyStats {
  count: number;
  firstMs: number;
  lastMs: number;
  /** Sequence number (global event index) of the last event. */
  lastSeq: number;
  shareFast: number;
  shareSlow: number;
  /** Current rate bucket, its count, and the EWMA baseline of past buckets. */
  bucket: number;
  bucketCount: number;
  rateMean: number;
  rateVar: number;
  /** Buckets folded into the baseline (capped at 1000). */
  buckets: number;
}

/** A key's view before the current event is learned (what the features read). */
export interface KeyView {
  /** Events of this key before this one. */
  count: number;
  /** ms since the key was first seen (0 when new). */
  ageMs: number;
  shareFast: number;
  shareSlow: number;
  /** Rate deviation of the current bucket (this event included) from the baseline, in σ. */
  rateZ: number;
  /** Buckets in the baseline. */
  buckets: number;
}

/**
 * What is kept per system (the event's format preset): its vocabulary — how many distinct templates used each
 * word — how often it brought a new template lately, and how its events spread over the level groups. These
 * make features *relative to the system*, so what is learned on one system carries to another.
 */
export interface SystemStats {
  events: number;
  /** EWMA of the share of events that brought a new template (1 at the start: everything is new). */
  novelty: number;
  /** Events per level group (the feature spec's `LEVEL_GROUPS` order). */
  levels: number[];
  /** Word → number of distinct templates of this system that contain it. */
  words: Map<string, number>;
}

/** A system's view before the current event is learned. */
export interface SystemView {
  events: number;
  novelty: number;
  /** Earlier events of this system at the event's level group. */
  levelCount: number;
  /** Of the event's template words (only counted on the template's first occurrence): words new to the system. */
  newWords: number;
  /** …and words the system has used in only one earlier template. */
  rareWords: number;
}

/** Serialised form (version 2; version 1 had no systems and is read as "no system seen yet"). */
export interface OnlineStateSnapshot {
  version: 1 | 2;
  options: Required<OnlineStateOptions>;
  seq: number;
  lastMs: number;
  templates: [string, KeyStats][];
  components: [string, KeyStats][];
  systems?: [string, { events: number; novelty: number; levels: number[]; words: [string, number][] }][];
}

/** EWMA weight of one event in a system's novelty rate (as the new-pattern detector's arming). */
const NOVELTY_ALPHA = 1 / 200;
/** Most words remembered per system (beyond it the oldest tenth is dropped). */
export const MAX_WORDS = 50_000;
/** Most systems remembered (beyond it the oldest is dropped). */
export const MAX_SYSTEMS = 1_000;

const MAX_GAP_FOLD = 64;

/** Per-template and per-component online statistics (see module doc). */
export class OnlineState {
  readonly options: Readonly<Required<OnlineStateOptions>>;
  readonly templates = new Map<string, KeyStats>();
  readonly components = new Map<string, KeyStats>();
  readonly systems = new Map<string, SystemStats>();
  /** Events seen. */
  seq = 0;
  /** Latest event time seen, ms (time never goes backwards for the baselines). */
  lastMs = 0;

  /** @throws {RangeError} on out-of-range options. */
  constructor(options: OnlineStateOptions = {}) {
    const o = {
      bucketMs: options.bucketMs ?? 60_000,
      rateAlpha: options.rateAlpha ?? 0.1,
      shareFastAlpha: options.shareFastAlpha ?? 1 / 32,
      shareSlowAlpha: options.shareSlowAlpha ?? 1 / 1024,
      maxKeys: options.maxKeys ?? 200_000,
    };
    if (!(o.bucketMs > 0)) {
      throw new RangeError(
        `Cannot create OnlineState as bucketMs must be positive: current value is ${o.bucketMs}`,
      );
    }
    for (const k of ["rateAlpha", "shareFastAlpha", "shareSlowAlpha"] as const) {
      if (!(o[k] > 0 && o[k] < 1)) {
        throw new RangeError(`Cannot create OnlineState as ${k} must be in (0, 1): current value is ${o[k]}`);
      }
    }
    if (!Number.isInteger(o.maxKeys) || o.maxKeys < 10) {
      throw new RangeError(
        `Cannot create OnlineState as maxKeys must be an integer ≥ 10: current value is ${o.maxKeys}`,
      );
    }
    this.options = Object.freeze(o);
  }

  /**
   * Views a template and a component as they were before this event, then learns the event.
   * @param templateId the event's template.
   * @param component the event's component ("" allowed).
   * @param tsMs the event time, ms (non-finite → the latest time seen).
   */
  observe(templateId: string, component: string, tsMs: number): { template: KeyView; component: KeyView } {
    const t = Number.isFinite(tsMs) ? Math.max(tsMs, this.lastMs) : this.lastMs;
    this.lastMs = t;
    const seq = ++this.seq;
    return {
      template: this.#observeKey(this.templates, "online_state_templates", templateId, t, seq),
      component: this.#observeKey(this.components, "online_state_components", component, t, seq),
    };
  }

  /**
   * Views a system as it was before this event, then learns the event.
   * @param words the event's template words, or `undefined` when the template is not new (only a new
   * template's words are counted, once).
   * @param levelGroup the event's level group index.
   */
  observeSystem(system: string, words: readonly string[] | undefined, levelGroup: number): SystemView {
    let s = this.systems.get(system);
    if (s === undefined) {
      if (this.systems.size >= MAX_SYSTEMS) {
        this.systems.delete(this.systems.keys().next().value!);
        countEvictions("online_state_systems");
      }
      s = { events: 0, novelty: 1, levels: [0, 0, 0, 0, 0], words: new Map() };
      this.systems.set(system, s);
    }
    let newWords = 0;
    let rareWords = 0;
    if (words !== undefined) {
      for (const w of words) {
        const n = s.words.get(w) ?? 0;
        if (n === 0) newWords++;
        else if (n === 1) rareWords++;
      }
    }
    const view: SystemView = {
      events: s.events,
      novelty: s.novelty,
      levelCount: s.levels[levelGroup] ?? 0,
      newWords,
      rareWords,
    };
    s.events++;
    s.novelty += NOVELTY_ALPHA * ((words !== undefined ? 1 : 0) - s.novelty);
    if (levelGroup >= 0 && levelGroup < s.levels.length) s.levels[levelGroup]++;
    if (words !== undefined) {
      for (const w of new Set(words)) {
        const n = s.words.get(w);
        if (n === undefined && s.words.size >= MAX_WORDS) {
          const drop = Math.ceil(MAX_WORDS / 10);
          let i = 0;
          for (const k of s.words.keys()) {
            if (i++ >= drop) break;
            s.words.delete(k);
          }
          countEvictions("online_state_words", drop);
        }
        s.words.set(w, (n ?? 0) + 1);
      }
    }
    return view;
  }

  #observeKey(map: Map<string, KeyStats>, name: string, key: string, t: number, seq: number): KeyView {
    const o = this.options;
    const bucket = Math.floor(t / o.bucketMs);
    let s = map.get(key);
    if (s === undefined) {
      if (map.size >= o.maxKeys) countEvictions(name, evict(map));
      s = {
        count: 0,
        firstMs: t,
        lastMs: t,
        lastSeq: seq,
        shareFast: 0,
        shareSlow: 0,
        bucket,
        bucketCount: 0,
        rateMean: 0,
        rateVar: 0,
        buckets: 0,
      };
      map.set(key, s);
    } else {
      const gap = seq - s.lastSeq;
      s.shareFast *= Math.pow(1 - o.shareFastAlpha, gap);
      s.shareSlow *= Math.pow(1 - o.shareSlowAlpha, gap);
      if (bucket > s.bucket) {
        foldBucket(s, s.bucketCount, o.rateAlpha);
        const empty = Math.min(bucket - s.bucket - 1, MAX_GAP_FOLD);
        for (let i = 0; i < empty; i++) foldBucket(s, 0, o.rateAlpha);
        s.bucket = bucket;
        s.bucketCount = 0;
      }
    }
    const view: KeyView = {
      count: s.count,
      ageMs: s.count === 0 ? 0 : t - s.firstMs,
      shareFast: s.shareFast,
      shareSlow: s.shareSlow,
      rateZ: (s.bucketCount + 1 - s.rateMean) / Math.sqrt(s.rateVar + s.rateMean + 1),
      buckets: s.buckets,
    };
    s.count++;
    s.lastMs = t;
    s.lastSeq = seq;
    s.bucketCount++;
    s.shareFast += o.shareFastAlpha;
    s.shareSlow += o.shareSlowAlpha;
    return view;
  }

  /** Number of distinct templates known. */
  get templateCount(): number {
    return this.templates.size;
  }

  /** The persisted form. */
  toJSON(): OnlineStateSnapshot {
    return {
      version: 2,
      options: { ...this.options },
      seq: this.seq,
      lastMs: this.lastMs,
      templates: [...this.templates],
      components: [...this.components],
      systems: [...this.systems].map((
        [k, v],
      ) => [k, { events: v.events, novelty: v.novelty, levels: [...v.levels], words: [...v.words] }]),
    };
  }

  /**
   * Restores a state written by {@link toJSON}.
   * @throws {TypeError} when the snapshot is not a version-1 or -2 online state.
   */
  static fromJSON(snapshot: unknown): OnlineState {
    const s = snapshot as OnlineStateSnapshot;
    if (
      s === null || typeof s !== "object" || (s.version !== 1 && s.version !== 2) ||
      !Array.isArray(s.templates) || !Array.isArray(s.components)
    ) {
      throw new TypeError("Cannot restore OnlineState as the snapshot is not a version-1 or -2 online state");
    }
    const state = new OnlineState(s.options);
    state.seq = Number(s.seq) || 0;
    state.lastMs = Number(s.lastMs) || 0;
    for (const [k, v] of s.templates) state.templates.set(String(k), { ...v });
    for (const [k, v] of s.components) state.components.set(String(k), { ...v });
    for (const [k, v] of Array.isArray(s.systems) ? s.systems : []) {
      state.systems.set(String(k), {
        events: Number(v?.events) || 0,
        novelty: Number.isFinite(v?.novelty) ? Number(v.novelty) : 1,
        levels: Array.from({ length: 5 }, (_, i) => Number(v?.levels?.[i]) || 0),
        words: new Map((Array.isArray(v?.words) ? v.words : []).map(([w, n]) => [String(w), Number(n) || 0])),
      });
    }
    return state;
  }
}

/** Folds one finished bucket's count into the EWMA mean and variance (West's incremental form). */
function foldBucket(s: KeyStats, count: number, alpha: number): void {
  const diff = count - s.rateMean;
  const incr = alpha * diff;
  s.rateMean += incr;
  s.rateVar = (1 - alpha) * (s.rateVar + diff * incr);
  if (s.buckets < 1000) s.buckets++;
}

/**
 * Drops the least recently seen tenth of a map (a tenth at once, so the sort is paid once per tenth of the
 * cap, not once per new key).
 * @returns how many entries were dropped.
 */
function evict(map: Map<string, KeyStats>): number {
  const bySeq = [...map].sort((a, b) => a[1].lastSeq - b[1].lastSeq);
  const drop = Math.ceil(bySeq.length / 10);
  for (let i = 0; i < drop; i++) map.delete(bySeq[i][0]);
  return drop;
}
