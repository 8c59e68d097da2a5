/**
 * The rate detector: counts events per time bucket (event time) for every component that logs steadily, and
 * for every template worded as a failure (unless its application logs it at info or below), against a
 * baseline learned online, and signals a **spike** — a
 * bucket far above what the key usually does.
 *
 * Baseline per key: EWMA mean and variance of bucket counts (empty buckets included, so a rare key has a low
 * mean), and a decayed *peak* (the largest ordinary bucket of the last hours, half-life `peakHalfLifeMs`). A
 * bucket is a spike when, once the key is warm (`warmBuckets` buckets since first seen), all of these hold:
 * - at least `minCount` events;
 * - at least `factor` × the mean (volume, not noise);
 * - a negative-binomial-like surprise: `(count − mean) / √(mean + variance + 1) ≥ minZ`;
 * - above the decayed peak (twice it for a key under one event per bucket): a key that logs in clumps (a
 *   servicing session, a nightly job) has clumps in its history, so its next clump is not a spike;
 * - at least `minCount` events of the key before this bucket: a template whose whole history is this clump is
 *   new, which is the new-pattern detector's business.
 * The test runs on every event, so a spike is noticed while its bucket is still filling. Spike buckets are
 * folded into the baseline capped at the spike threshold, and never raise the peak: a long episode is not
 * learned as normal within minutes, and one spike does not hide the next.
 *
 * Once a key spikes, the events of that key are attributed to the spike until a bucket closes below
 * 2 × the mean (and below `minCount / 2`). Drops to zero are the silence detector's job.
 *
 * @module
 */
import { BoundedLru } from "./bounded_lru.ts";
import { componentScope, type DetectorInput, type DetectorSignal, templateScope } from "./detector_signal.ts";

/** Options of {@link RateDetector}. */
export interface RateDetectorOptions {
  /** Bucket length, ms (event time). Default 2 000. */
  bucketMs?: number;
  /** EWMA weight of one bucket. Default 0.02. */
  alpha?: number;
  /** Buckets since a key was first seen before it can spike. Default 150. */
  warmBuckets?: number;
  /** Fewest events in a spike bucket. Default 10. */
  minCount?: number;
  /** A spike bucket holds at least this many times the mean. Default 3. */
  factor?: number;
  /** Smallest surprise (see module doc). Default 6. */
  minZ?: number;
  /**
   * Smallest baseline (mean events per bucket) for a *component* to spike: a component that logs now and then
   * logs in clumps, and its clumps are not news. Templates with failure wording have no such floor. Default 1.
   */
  minComponentMean?: number;
  /** Half-life of the remembered peak, ms of event time. Default 6 h. */
  peakHalfLifeMs?: number;
  /** Most keys tracked. Default 100 000. */
  maxKeys?: number;
}

/** Per-key state. */
interface KeyRate {
  firstBucket: number;
  bucket: number;
  count: number;
  mean: number;
  variance: number;
  peak: number;
  peakBucket: number;
  /** The current episode's threshold, or 0 when not spiking. */
  spikeAt: number;
  /** Whether the current bucket was a spike (not folded into the peak). */
  spiking: boolean;
  /** Events before the current bucket (capped): a key whose whole history is this bucket has no baseline. */
  history: number;
}

/** Serialised state (version 1). */
export interface RateDetectorSnapshot {
  version: 1;
  keys: [string, KeyRate][];
}

const ERROR_LEVELS: ReadonlySet<string> = new Set(["error", "critical", "fatal"]);
const ROUTINE_LEVELS: ReadonlySet<string> = new Set(["trace", "debug", "info", "notice"]);
/** Most empty buckets folded at once (beyond, the baseline has decayed to nothing anyway). */
const MAX_EMPTY_FOLD = 600;

/** Detects rate spikes (see module doc). */
export class RateDetector {
  readonly options: Readonly<Required<RateDetectorOptions>>;
  readonly #keys: BoundedLru<string, KeyRate>;
  readonly #peakDecayPerBucket: number;

  /** @throws {RangeError} on out-of-range options. */
  constructor(options: RateDetectorOptions = {}) {
    const o = {
      bucketMs: options.bucketMs ?? 2_000,
      alpha: options.alpha ?? 0.02,
      warmBuckets: options.warmBuckets ?? 150,
      minCount: options.minCount ?? 10,
      factor: options.factor ?? 3,
      minZ: options.minZ ?? 6,
      peakHalfLifeMs: options.peakHalfLifeMs ?? 6 * 3_600_000,
      minComponentMean: options.minComponentMean ?? 1,
      maxKeys: options.maxKeys ?? 100_000,
    };
    if (!(o.bucketMs > 0)) {
      throw new RangeError(
        `Cannot create RateDetector as bucketMs must be positive: current value is ${o.bucketMs}`,
      );
    }
    if (!(o.alpha > 0 && o.alpha < 1)) {
      throw new RangeError(
        `Cannot create RateDetector as alpha must be in (0, 1): current value is ${o.alpha}`,
      );
    }
    this.options = Object.freeze(o);
    this.#keys = new BoundedLru(o.maxKeys, "rate_keys");
    this.#peakDecayPerBucket = Math.pow(0.5, o.bucketMs / o.peakHalfLifeMs);
  }

  /** Keys forgotten to stay within `maxKeys` (its bounded state), since creation. */
  get evicted(): number {
    return this.#keys.evicted;
  }

  /** Learns one event; returns the spike signals it belongs to (component and/or template). */
  observe(input: DetectorInput): DetectorSignal[] {
    const e = input.event;
    const bucket = Math.floor(input.tsMs / this.options.bucketMs);
    const out: DetectorSignal[] = [];
    const c = this.#observeKey(
      `c\u0000${e.system}\u0000${e.component}`,
      bucket,
      this.options.minComponentMean,
    );
    if (c !== undefined) {
      out.push(
        this.#signal(componentScope(e.system, e.component), c, `${e.component || "the system"}'s volume`),
      );
    }
    // A template worded as a failure that its application logs at info or below is, by the application's own
    // word, routine: its volume is watched through its component. Inferred levels do not speak for it.
    const routine = ROUTINE_LEVELS.has(input.level) && !input.event.flags.includes("level_inferred");
    if (input.semantics && !routine) {
      const t = this.#observeKey(`t\u0000${e.system}\u0000${e.templateId}`, bucket, 0);
      if (t !== undefined) {
        out.push(this.#signal(templateScope(e.templateId), t, "this template's rate", input));
      }
    }
    return out;
  }

  /**
   * The current rate of a template relative to its baseline (count ÷ mean), 0 when unknown: what feedback
   * rules read to let a dismissed template speak again when its volume departs far from normal.
   */
  templateFactor(system: string, templateId: string): number {
    const k = this.#keys.get(`t\u0000${system}\u0000${templateId}`);
    return k === undefined ? 0 : k.count / Math.max(k.mean, 0.5);
  }

  #observeKey(key: string, bucket: number, minMean: number): KeyRate | undefined {
    const o = this.options;
    let k = this.#keys.get(key);
    if (k === undefined) {
      k = {
        firstBucket: bucket,
        bucket,
        count: 0,
        mean: 0,
        variance: 0,
        peak: 0,
        peakBucket: bucket,
        spikeAt: 0,
        spiking: false,
        history: 0,
      };
    } else if (bucket > k.bucket) this.#advance(k, bucket);
    this.#keys.set(key, k);
    k.count++;
    if (k.spikeAt > 0) return k; // the episode goes on until a bucket closes low
    const warm = bucket - k.firstBucket >= o.warmBuckets && (k.history ?? 0) >= o.minCount;
    if (!warm || k.count < o.minCount || k.mean < minMean) return undefined;
    const floor = Math.max(o.minCount, o.factor * Math.max(k.mean, 0.5));
    const z = (k.count - k.mean) / Math.sqrt(k.mean + k.variance + 1);
    // A key that is mostly quiet (under one event per bucket) logs in clumps: its spike must double its
    // largest recent clump, not just pass it.
    const peak = k.peak * Math.pow(this.#peakDecayPerBucket, bucket - k.peakBucket) * (k.mean < 1 ? 2 : 1);
    if (k.count < floor || z < o.minZ || k.count <= peak) return undefined;
    k.spikeAt = Math.max(floor, peak + 1);
    k.spiking = true;
    return k;
  }

  /** Closes the current bucket (and the empty ones up to `bucket`) into the baseline. */
  #advance(k: KeyRate, bucket: number): void {
    const a = this.options.alpha;
    const closed = k.spiking ? Math.min(k.count, k.spikeAt) : k.count;
    // The peak learns only ordinary buckets of a key that already had a baseline: a template's very first
    // clump (before it had a history, the new-pattern detector's business) must not hide its next burst.
    const hadBaseline = (k.history ?? 0) >= this.options.minCount;
    if (!k.spiking && hadBaseline) {
      const decayed = k.peak * Math.pow(this.#peakDecayPerBucket, k.bucket - k.peakBucket);
      if (k.count >= decayed) {
        k.peak = k.count;
        k.peakBucket = k.bucket;
      }
    }
    // An episode ends when a bucket closes below twice the baseline (and below half the smallest spike).
    if (k.spikeAt > 0 && k.count < Math.max(2 * k.mean, this.options.minCount / 2)) k.spikeAt = 0;
    k.spiking = k.spikeAt > 0;
    fold(k, closed, a);
    const empty = Math.min(bucket - k.bucket - 1, MAX_EMPTY_FOLD);
    for (let i = 0; i < empty; i++) fold(k, 0, a);
    if (empty > 0) {
      k.spikeAt = 0;
      k.spiking = false;
    }
    k.history = Math.min((k.history ?? 0) + k.count, 1_000_000);
    k.bucket = bucket;
    k.count = 0;
  }

  #signal(scope: string, k: KeyRate, what: string, input?: DetectorInput): DetectorSignal {
    const baseline = Math.max(k.mean, 0);
    const factor = k.count / Math.max(baseline, 0.5);
    // "Wake someone" needs a large spike of a template the application itself logged as an error.
    const critical = input !== undefined && input.semantics && factor >= 10 && k.count >= 50 &&
      ERROR_LEVELS.has(input.level) && !input.event.flags.includes("level_inferred");
    return {
      detector: "rate",
      severity: critical ? "CRITICAL_ANOMALY" : "ANOMALY",
      scope,
      host: "*",
      evidence: Math.min(0.99, 0.6 + 0.05 * Math.log2(Math.max(1, factor))),
      reasons: [
        `${what}: ${k.count} in ${this.options.bucketMs / 1000} s vs ${baseline.toFixed(1)} usual (×${
          factor.toFixed(1)
        })`,
      ],
      rate: { count: k.count, baseline },
    };
  }

  /** The persisted form. */
  toJSON(): RateDetectorSnapshot {
    return { version: 1, keys: [...this.#keys.entries()] };
  }

  /** Restores {@link toJSON}'s output (unknown shapes are ignored: a cold start). */
  restore(snapshot: RateDetectorSnapshot): void {
    if (snapshot?.version !== 1 || !Array.isArray(snapshot.keys)) return;
    for (const [key, v] of snapshot.keys) this.#keys.set(String(key), { ...v });
  }
}

/** Folds one closed bucket's count into the EWMA mean and variance. */
function fold(k: KeyRate, count: number, alpha: number): void {
  const diff = count - k.mean;
  const incr = alpha * diff;
  k.mean += incr;
  k.variance = (1 - alpha) * (k.variance + diff * incr);
}
