/**
 * The silence detector: a component on a host that logged *steadily* stops for several times its usual gap —
 * the failure no line can show, because there is no line.
 *
 * Per (system, component, host) it keeps the last event time, an EWMA of the gap between events and the
 * largest of the last {@link GAP_HISTORY} gaps. Time is the system's **active clock**: event time that runs
 * only while the system as a whole keeps logging (a gap between two of its events counts for at most
 * {@link ACTIVE_GAP_CAP_MS}). So a replayed file behaves as it did live, the end of a file is not a silence,
 * and neither is a jump in a sampled log or a whole system going quiet at night — silence means *this*
 * component stopped while the others went on.
 * Only components that mostly log ordinary lines can fall silent: a thread that speaks only while something is
 * wrong (its recent lines mostly warnings, errors or failure wording: `maxProblemShare`) going quiet is a
 * recovery, not an outage.
 *
 * Keys are kept per host and for the whole fleet (host `*`): a component that stops on every host is one
 * silence, noticed at the fleet's faster pace, and the per-host silences of that component are not reported
 * while it lasts. A key may fall silent once it has `minEvents` events over at least `minSpanMs`; it is silent when the
 * watermark is past its last event by the largest of `minSilenceMs`, `meanGapFactor` × its mean gap and
 * `maxGapFactor` × its largest recent gap — so a component that logs in clumps (its history holds long gaps)
 * is not "silent" between clumps. The silence ends with the key's next event; that gap is not learned.
 *
 * @module
 */
import { BoundedLru, MAX_SYSTEMS } from "./bounded_lru.ts";
import { componentScope, type DetectorSignal } from "./detector_signal.ts";

/** Options of {@link SilenceDetector}. */
export interface SilenceDetectorOptions {
  /** Events a key needs before it may fall silent. Default 100. */
  minEvents?: number;
  /** Event-time span a key needs before it may fall silent, ms. Default 5 min. */
  minSpanMs?: number;
  /** Shortest silence reported, ms. Default 10 s. */
  minSilenceMs?: number;
  /** Silence ≥ this × the mean gap. Default 20. */
  meanGapFactor?: number;
  /** Silence ≥ this × the largest recent gap. Default 3. */
  maxGapFactor?: number;
  /** Only keys whose mean gap is at most this are steady enough to fall silent, ms. Default 60 000. */
  maxMeanGapMs?: number;
  /** Most keys tracked. Default 20 000. */
  maxKeys?: number;
  /** Largest share (EWMA) of problem lines a key may have and still fall silent. Default 0.5. */
  maxProblemShare?: number;
}

/** Longest stretch of a system's own silence that its active clock counts, ms. */
export const ACTIVE_GAP_CAP_MS = 10_000;

/** Gaps remembered per key for the largest-recent-gap test. */
export const GAP_HISTORY = 128;

interface KeyActivity {
  system: string;
  component: string;
  host: string;
  firstMs: number;
  lastMs: number;
  /** The system's active clock at the key's first and last event. */
  firstActive: number;
  lastActive: number;
  events: number;
  meanGap: number;
  gaps: number[];
  next: number;
  /** When the current silence was noticed (0 = not silent). */
  silentSinceMs: number;
  /** EWMA share of problem lines (warnings, errors, failure wording) among the key's events. */
  problemShare: number;
  /** The system's active clock when this key last came back from a silence (0 = never). */
  resumedActive?: number;
}

/** A silence that began or ended. */
export interface SilenceChange {
  kind: "silent" | "resumed";
  signal: DetectorSignal;
  /** The key's last event time before the silence, ms. */
  lastMs: number;
}

/** Serialised state (version 1). */
export interface SilenceSnapshot {
  version: 1;
  keys: [string, KeyActivity][];
  watermarks: [string, number][];
  clocks?: [string, { active: number; lastMs: number }][];
}

/** Detects components that go silent (see module doc). */
export class SilenceDetector {
  readonly options: Readonly<Required<SilenceDetectorOptions>>;
  readonly #keys: BoundedLru<string, KeyActivity>;
  readonly #watermarks = new BoundedLru<string, number>(MAX_SYSTEMS, "silence_watermarks");
  /** Per system: its active clock and the event time it was last advanced to. */
  readonly #clocks = new BoundedLru<string, { active: number; lastMs: number }>(
    MAX_SYSTEMS,
    "silence_clocks",
  );
  readonly #lastCheck = new BoundedLru<string, number>(MAX_SYSTEMS, "silence_last_check");

  constructor(options: SilenceDetectorOptions = {}) {
    this.options = Object.freeze({
      minEvents: options.minEvents ?? 100,
      minSpanMs: options.minSpanMs ?? 300_000,
      minSilenceMs: options.minSilenceMs ?? 10_000,
      meanGapFactor: options.meanGapFactor ?? 20,
      maxGapFactor: options.maxGapFactor ?? 3,
      maxMeanGapMs: options.maxMeanGapMs ?? 60_000,
      maxKeys: options.maxKeys ?? 20_000,
      maxProblemShare: options.maxProblemShare ?? 0.5,
    });
    this.#keys = new BoundedLru(this.options.maxKeys, "silence_keys");
  }

  /** Keys forgotten to stay within `maxKeys` (its bounded state), since creation. */
  get evicted(): number {
    return this.#keys.evicted + this.#watermarks.evicted + this.#clocks.evicted + this.#lastCheck.evicted;
  }

  /**
   * Learns one event; returns a `resumed` change for each of its keys (its host, the fleet) that was silent.
   * @param system, component, host the event's key; tsMs its event time.
   */
  observe(system: string, component: string, host: string, tsMs: number, problem = false): SilenceChange[] {
    const wm = Math.max(this.#watermarks.get(system) ?? 0, tsMs);
    this.#watermarks.set(system, wm);
    const active = this.#tickClock(system, wm);
    const out: SilenceChange[] = [];
    for (const h of host === "*" ? ["*"] : ["*", host]) {
      const change = this.#observeKey(system, component, h, tsMs, active, problem);
      if (change !== undefined) out.push(change);
    }
    return out;
  }

  #observeKey(
    system: string,
    component: string,
    host: string,
    tsMs: number,
    active: number,
    problem: boolean,
  ): SilenceChange | undefined {
    const key = `${system}\u0000${component}\u0000${host}`;
    let k = this.#keys.get(key);
    let change: SilenceChange | undefined;
    if (k === undefined) {
      k = {
        system,
        component,
        host,
        firstMs: tsMs,
        lastMs: tsMs,
        firstActive: active,
        lastActive: active,
        events: 0,
        meanGap: 0,
        gaps: [],
        next: 0,
        silentSinceMs: 0,
        problemShare: 0,
      };
    } else if (k.silentSinceMs > 0) {
      change = { kind: "resumed", signal: this.#signal(k, active - k.lastActive), lastMs: k.lastMs };
      k.silentSinceMs = 0;
      k.resumedActive = active;
    } else if (active > k.lastActive) {
      const gap = active - k.lastActive;
      k.meanGap = k.events <= 1 ? gap : k.meanGap + (gap - k.meanGap) / Math.min(k.events, 256);
      if (k.gaps.length < GAP_HISTORY) k.gaps.push(gap);
      else k.gaps[k.next] = gap;
      k.next = (k.next + 1) % GAP_HISTORY;
    }
    k.events++;
    k.problemShare = (k.problemShare ?? 0) +
      ((problem ? 1 : 0) - (k.problemShare ?? 0)) / Math.min(k.events, 100);
    if (tsMs > k.lastMs) k.lastMs = tsMs;
    k.lastActive = active;
    this.#keys.set(key, k);
    return change;
  }

  /**
   * Looks for keys of `system` that fell silent by its watermark. Cheap to call often: it scans at most once
   * per second of event time per system.
   */
  check(system: string): SilenceChange[] {
    const wm = this.#clocks.get(system)?.active ?? 0;
    if (wm - (this.#lastCheck.get(system) ?? 0) < 1000) return [];
    this.#lastCheck.set(system, wm);
    const out: SilenceChange[] = [];
    // The fleet's keys first: a component silent everywhere is one silence, not one per host.
    const silentEverywhere = new Set<string>();
    // When the fleet came back from its last silence, per component: a host still quiet since before then was
    // part of that reported silence, and counts its own silence from the fleet's return (hosts resume a few
    // seconds apart; one that stays silent past its own threshold after the others returned is news).
    const fleetResumed = new Map<string, number>();
    for (const [, k] of this.#keys.entries()) {
      if (k.system !== system || k.host !== "*") continue;
      if (k.silentSinceMs > 0) silentEverywhere.add(k.component);
      if ((k.resumedActive ?? 0) > 0) fleetResumed.set(k.component, k.resumedActive!);
    }
    for (const fleetPass of [true, false]) {
      for (const [, k] of this.#keys.entries()) {
        if (k.system !== system || (k.host === "*") !== fleetPass || k.silentSinceMs > 0) continue;
        if (k.host !== "*" && silentEverywhere.has(k.component)) continue;
        const change = this.#checkKey(k, wm, k.host === "*" ? 0 : fleetResumed.get(k.component) ?? 0);
        if (change === undefined) continue;
        if (k.host === "*") silentEverywhere.add(k.component);
        out.push(change);
      }
    }
    return out;
  }

  /**
   * Whether a steady key has been silent past its threshold at active time `wm` (marks it silent).
   * @param countFrom active time before which its silence does not count (the fleet's return), 0 for none.
   */
  #checkKey(k: KeyActivity, wm: number, countFrom: number): SilenceChange | undefined {
    const o = this.options;
    if (
      k.events < o.minEvents || k.lastActive - k.firstActive < o.minSpanMs || k.meanGap > o.maxMeanGapMs ||
      (k.problemShare ?? 0) > o.maxProblemShare
    ) {
      return undefined;
    }
    const threshold = Math.max(o.minSilenceMs, o.meanGapFactor * k.meanGap, o.maxGapFactor * maxOf(k.gaps));
    const silent = wm - k.lastActive;
    if (wm - Math.max(k.lastActive, countFrom) < threshold) return undefined;
    k.silentSinceMs = this.#watermarks.get(k.system) ?? k.lastMs;
    return { kind: "silent", signal: this.#signal(k, silent, threshold), lastMs: k.lastMs };
  }

  /** Advances a system's active clock to event time `tsMs` (gaps count up to the cap). */
  #tickClock(system: string, tsMs: number): number {
    let c = this.#clocks.get(system);
    if (c === undefined) this.#clocks.set(system, c = { active: tsMs, lastMs: tsMs });
    else if (tsMs > c.lastMs) {
      c.active += Math.min(tsMs - c.lastMs, ACTIVE_GAP_CAP_MS);
      c.lastMs = tsMs;
    }
    return c.active;
  }

  /** The latest event time seen for `system`, ms (0 when none). */
  watermark(system: string): number {
    return this.#watermarks.get(system) ?? 0;
  }

  #signal(k: KeyActivity, silentMs: number, threshold?: number): DetectorSignal {
    const silentS = Math.round(silentMs / 1000);
    const usual = k.meanGap < 1000 ? `${Math.round(k.meanGap)} ms` : `${(k.meanGap / 1000).toFixed(1)} s`;
    return {
      detector: "silence",
      severity: "CRITICAL_ANOMALY",
      scope: componentScope(k.system, k.component),
      host: k.host,
      evidence: 0.9,
      reasons: [
        `${k.component || "component"} on ${
          k.host || "its host"
        } silent for ${silentS} s (usual gap ${usual}${
          threshold === undefined ? "" : `, alert after ${Math.round(threshold / 1000)} s`
        })`,
      ],
    };
  }

  /** The persisted form. */
  toJSON(): SilenceSnapshot {
    return {
      version: 1,
      keys: [...this.#keys.entries()],
      watermarks: [...this.#watermarks.entries()],
      clocks: [...this.#clocks.entries()],
    };
  }

  /** Restores {@link toJSON}'s output (unknown shapes are ignored: a cold start). */
  restore(snapshot: SilenceSnapshot): void {
    if (snapshot?.version !== 1 || !Array.isArray(snapshot.keys)) return;
    for (const [key, v] of snapshot.keys) this.#keys.set(String(key), { ...v, gaps: [...(v.gaps ?? [])] });
    for (const [s, w] of snapshot.watermarks ?? []) this.#watermarks.set(String(s), Number(w) || 0);
    for (const [s, c] of snapshot.clocks ?? []) this.#clocks.set(String(s), { ...c });
  }
}

function maxOf(xs: readonly number[]): number {
  let m = 0;
  for (const x of xs) if (x > m) m = x;
  return m;
}
