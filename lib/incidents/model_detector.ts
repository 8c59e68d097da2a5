/**
 * The model detector: the ONNX line scorer (onnxruntime-web in the classifier's Web Workers) flags a *rare*
 * line it scores high. Rare means its template has occurred at most `maxOccurrences` times in its system:
 * the model reads a line's wording, level and novelty, and a template seen many times is the rate detector's
 * business — so an ordinary line of a frequent template is never flagged for its wording alone.
 *
 * It speaks only for lines the rules cannot read: no failure wording and a level below error (those are the
 * new-pattern and severity detectors' — a second incident for the same line would only be noise). What is
 * left is a never-seen message in words no list names ("task … blocked for more than 120 seconds"), which the
 * model judges from how unfamiliar its words are to the system, the system's settledness and the level.
 * Unfamiliar means something only once the system's vocabulary has been watched for a while, so it also
 * waits `minSystemAgeMs` of the system's event time (a fresh synthetic stream settles within a minute, and
 * its first templates are still arriving then).
 *
 * @module
 */
import { BoundedLru, MAX_SYSTEMS } from "./bounded_lru.ts";
import { LEVELS } from "../event/log_event.ts";
import { type DetectorInput, type DetectorSignal, templateScope } from "./detector_signal.ts";

const ERROR_RANK = LEVELS.indexOf("error");

/** Options of {@link ModelDetector}. */
export interface ModelDetectorOptions {
  /** Score from which a rare line is flagged, in (0, 1]. Default 0.9. */
  threshold?: number;
  /** Largest number of earlier occurrences of a template for its line to count as rare. Default 0 (its first). */
  maxOccurrences?: number;
  /** Event time a system must have been watched before the model speaks for it, ms. Default 600 000 (10 min). */
  minSystemAgeMs?: number;
  /** Most templates counted. Default 200 000. */
  maxKeys?: number;
}

/** Serialised state (version 2 adds `since`, each system's first event time; version 1 is read without it). */
export interface ModelDetectorSnapshot {
  version: 1 | 2;
  counts: [string, number][];
  since?: [string, number][];
}

/** Flags rare lines the model scores high (see module doc). */
export class ModelDetector {
  readonly options: Readonly<Required<ModelDetectorOptions>>;
  readonly #counts: BoundedLru<string, number>;
  /** System → event time of its first event, ms. */
  readonly #since = new BoundedLru<string, number>(MAX_SYSTEMS, "model_since");

  readonly #formerIds: (templateId: string) => readonly string[];

  /**
   * @param formerIds the ids a template had before it generalised (`TemplateRegistry.formerIds`): a renamed
   * template keeps its count, so a familiar line is not "never seen" because the miner widened its template.
   * @throws {RangeError} when the threshold is out of range.
   */
  constructor(
    options: ModelDetectorOptions = {},
    formerIds: (templateId: string) => readonly string[] = () => [],
  ) {
    this.#formerIds = formerIds;
    const o = {
      threshold: options.threshold ?? 0.9,
      maxOccurrences: options.maxOccurrences ?? 0,
      minSystemAgeMs: options.minSystemAgeMs ?? 600_000,
      maxKeys: options.maxKeys ?? 200_000,
    };
    if (!(o.threshold > 0 && o.threshold <= 1)) {
      throw new RangeError(
        `Cannot create ModelDetector as threshold must be in (0, 1]: current value is ${o.threshold}`,
      );
    }
    this.options = Object.freeze(o);
    this.#counts = new BoundedLru(o.maxKeys, "model_counts");
  }

  /** Keys forgotten to stay within `maxKeys` (its bounded state), since creation. */
  get evicted(): number {
    return this.#counts.evicted + this.#since.evicted;
  }

  /**
   * Learns one event; returns a signal when it is a rare line the model scores high.
   * @param armed whether its system's templates have settled (see `NewPatternDetector.armed`): while a system
   * is still discovering templates every line is rare, and rarity is no evidence.
   */
  observe(input: DetectorInput, armed = true): DetectorSignal | undefined {
    const key = `${input.event.system}\u0000${input.event.templateId}`;
    const seen = this.#counts.get(key) ??
      this.#adoptFormer(`${input.event.system}\u0000`, input.event.templateId);
    this.#counts.set(key, seen + 1);
    let since = this.#since.get(input.event.system);
    if (since === undefined) this.#since.set(input.event.system, since = input.tsMs);
    if (input.tsMs - since < this.options.minSystemAgeMs) return undefined;
    if (!armed || seen > this.options.maxOccurrences || input.modelScore < this.options.threshold) {
      return undefined;
    }
    if (input.semantics || LEVELS.indexOf(input.level) >= ERROR_RANK) return undefined;
    return {
      detector: "model",
      severity: "ANOMALY",
      scope: templateScope(input.event.templateId),
      host: "*",
      evidence: input.modelScore,
      reasons: [
        `model score ${input.modelScore.toFixed(2)} on a ${
          seen === 0 ? "never-seen" : "rare"
        } line in words the rules do not read`,
      ],
    };
  }

  /** The count of a renamed template: its former ids' counts summed (and forgotten under those ids). */
  #adoptFormer(prefix: string, templateId: string): number {
    let count = 0;
    for (const former of this.#formerIds(templateId)) {
      const n = this.#counts.get(prefix + former);
      if (n === undefined) continue;
      this.#counts.delete(prefix + former);
      count += n;
    }
    return count;
  }

  /** The persisted form. */
  toJSON(): ModelDetectorSnapshot {
    return { version: 2, counts: [...this.#counts.entries()], since: [...this.#since.entries()] };
  }

  /** Restores {@link toJSON}'s output (unknown shapes are ignored). */
  restore(snapshot: ModelDetectorSnapshot): void {
    if ((snapshot?.version !== 1 && snapshot?.version !== 2) || !Array.isArray(snapshot.counts)) return;
    for (const [k, n] of snapshot.counts) this.#counts.set(String(k), Number(n) || 0);
    for (const [k, t] of Array.isArray(snapshot.since) ? snapshot.since : []) {
      if (Number.isFinite(t)) this.#since.set(String(k), Number(t));
    }
  }
}
