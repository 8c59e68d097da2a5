/**
 * What operators said, kept so that a label generalises beyond the miner's template id:
 *
 * - **by signature**: a label is stored under the template's *constant words* within its component and level
 *   (not the miner's id, which changes when the miner generalises a template), so the same message keeps its
 *   label across re-mining, restarts and engines;
 * - **by similarity**: a new template is compared (cosine over word sets) with the labelled templates of the
 *   same component and level — near-identical ones (≥ {@link NEAR_SIMILARITY}) follow their label, similar ones
 *   (≥ {@link SIMILAR_SIMILARITY}) are nudged towards it;
 * - **by context**: per component and level, how many labelled events operators called anomalous versus the mean
 *   model score of those events — a calibration of the model for that context ("operators dismissed all 700
 *   KERNEL/info events").
 *
 * @module
 */
import type { Classification } from "../event/log_event.ts";

/** The event facts feedback is keyed by. */
export interface FeedbackContext {
  /** The template's constant words, lower-case, in order (`templateWords`). */
  words: readonly string[];
  component: string;
  /** Level group (`low` / `info` / `warn` / `error` / `fatal`). */
  level: string;
}

/** Labels counted for one template signature. */
export interface TemplateLabels {
  normal: number;
  anomaly: number;
  critical: number;
  latest: Classification;
}

/** A labelled template signature. */
export interface LabelledTemplate extends TemplateLabels {
  words: string[];
  component: string;
  level: string;
}

/** Labels and mean model score of one context (component + level, a level, or everything). */
export interface ContextStats {
  /** Labelled events. */
  n: number;
  /** Of which anomalous. */
  positives: number;
  /** Sum of their ONNX scores. */
  scoreSum: number;
}

/** Similarity from which a labelled template counts as the same message (its label applies as is). */
export const NEAR_SIMILARITY = 0.8;
/** Similarity from which a labelled template moves the score towards its label. */
export const SIMILAR_SIMILARITY = 0.5;
const MAX_TEMPLATES = 100_000;

/** A template's key: component, level and constant words (or the miner id when the words are unknown). */
export function signatureKey(ctx: FeedbackContext | undefined, templateId: string): string {
  if (ctx === undefined || ctx.words.length === 0) return `id\u0000${templateId}`;
  return `${ctx.component}\u0000${ctx.level}\u0000${ctx.words.join(" ")}`;
}

/** Cosine similarity of two word sets (each word counted once). */
export function wordSetCosine(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const w of small) if (large.has(w)) shared++;
  return shared / Math.sqrt(a.size * b.size);
}

/** A labelled template found for an event, with its similarity. */
export interface Neighbour {
  key: string;
  template: LabelledTemplate;
  similarity: number;
}

/** Labelled templates, indexed for exact and similarity look-ups (see module doc). */
export class TemplateMemory {
  readonly templates = new Map<string, LabelledTemplate>();
  /** `component\0level` → word → keys of labelled templates containing it. */
  readonly #index = new Map<string, Map<string, Set<string>>>();
  readonly #max: number;

  /**
   * @param maxTemplates most labelled templates kept; beyond, the oldest is forgotten. Default 100 000.
   * @throws {RangeError} when not a positive integer.
   */
  constructor(maxTemplates = MAX_TEMPLATES) {
    if (!Number.isInteger(maxTemplates) || maxTemplates < 1) {
      throw new RangeError(
        `Cannot create TemplateMemory as maxTemplates must be a positive integer: current value is ${maxTemplates}`,
      );
    }
    this.#max = maxTemplates;
  }

  /** Counts one label for a template. */
  record(key: string, ctx: FeedbackContext | undefined, c: Classification): LabelledTemplate {
    let t = this.templates.get(key);
    if (t === undefined) {
      if (this.templates.size >= this.#max) this.#forget(this.templates.keys().next().value!);
      t = {
        normal: 0,
        anomaly: 0,
        critical: 0,
        latest: c,
        words: [...new Set(ctx?.words ?? [])],
        component: ctx?.component ?? "",
        level: ctx?.level ?? "",
      };
      this.templates.set(key, t);
      this.#indexed(key, t, true);
    }
    if (c === "NORMAL") t.normal++;
    else if (c === "ANOMALY") t.anomaly++;
    else t.critical++;
    t.latest = c;
    return t;
  }

  /** Restores a template (from a snapshot). */
  restore(key: string, t: LabelledTemplate): void {
    const copy = { ...t, words: [...t.words] };
    this.templates.set(key, copy);
    this.#indexed(key, copy, true);
  }

  /**
   * Labelled templates of the same component and level sharing words with `ctx`, with similarity ≥ `min`,
   * most similar first.
   */
  neighbours(ctx: FeedbackContext, min = SIMILAR_SIMILARITY): Neighbour[] {
    const index = this.#index.get(`${ctx.component}\u0000${ctx.level}`);
    if (index === undefined || ctx.words.length === 0) return [];
    const words = new Set(ctx.words);
    const seen = new Set<string>();
    const out: Neighbour[] = [];
    for (const w of words) {
      for (const key of index.get(w) ?? []) {
        if (seen.has(key)) continue;
        seen.add(key);
        const template = this.templates.get(key)!;
        const similarity = wordSetCosine(words, new Set(template.words));
        if (similarity >= min) out.push({ key, template, similarity });
      }
    }
    return out.sort((a, b) => b.similarity - a.similarity);
  }

  #forget(key: string): void {
    const t = this.templates.get(key);
    if (t === undefined) return;
    this.templates.delete(key);
    this.#indexed(key, t, false);
  }

  #indexed(key: string, t: LabelledTemplate, add: boolean): void {
    if (t.words.length === 0) return;
    const ck = `${t.component}\u0000${t.level}`;
    let index = this.#index.get(ck);
    if (index === undefined) {
      if (!add) return;
      index = new Map();
      this.#index.set(ck, index);
    }
    for (const w of t.words) {
      let keys = index.get(w);
      if (keys === undefined) {
        if (!add) continue;
        keys = new Set();
        index.set(w, keys);
      }
      if (add) keys.add(key);
      else keys.delete(key);
    }
  }
}

/** The label operators gave a template most often (ties: the latest). */
export function majority(t: TemplateLabels): Classification {
  const best = Math.max(t.normal, t.anomaly, t.critical);
  const tied = [t.normal === best, t.anomaly === best, t.critical === best].filter(Boolean).length;
  if (tied > 1) return t.latest;
  return t.normal === best ? "NORMAL" : t.anomaly === best ? "ANOMALY" : "CRITICAL_ANOMALY";
}

/** Votes of a template. */
export const votesOf = (t: TemplateLabels) => t.normal + t.anomaly + t.critical;
