/**
 * The one feature implementation, used by `deno task train` to build the training set and by the engine and
 * `deno task classify` at inference: a {@link MinedEvent} plus the {@link OnlineState} before it → a fixed-length
 * Float32 vector (layout in `feature_spec.ts`) and the facts the reasons are written from.
 *
 * Per-template work (token hashing) is cached by template id, so the steady-state cost per event is the
 * online-state update, the lexicon scan of the content and a few arithmetic operations. The caches hold at most
 * `cacheCapacity` templates (and components) each; a full cache is emptied at once (a miss costs one hashing
 * of the template), each entry dropped counted in `vigil_evictions_total` (`feature_template_cache`,
 * `feature_component_cache`).
 *
 * @module
 */
import type { Level, MinedEvent } from "../event/log_event.ts";
import { FAILURE_CLASS, LEXICON_GROUPS, matchLexicon } from "./error_lexicon.ts";
import {
  COMPONENT_BUCKETS,
  FEATURE_DIM,
  featureIndex,
  LEVEL_GROUPS,
  SCALAR_OFFSET,
  STATE_OPTIONS,
  TOKEN_BUCKETS,
} from "./feature_spec.ts";
import { OnlineState } from "./online_state.ts";
import { countEvictions } from "../../engine/eviction_tally.ts";

/** Options of {@link FeatureExtractor}. */
export interface FeatureExtractorOptions {
  /** Most templates (and, separately, components) whose hashed words are cached. Default 50,000. */
  cacheCapacity?: number;
}

/** What the reasons and the severity rule need to know about an event, beside its vector. */
export interface FeatureFacts {
  templateId: string;
  level: Level;
  /** The template's constant words, lower-case, in order ({@link templateWords}; shared, do not modify). */
  words: readonly string[];
  /** Occurrences of the template before this event. */
  count: number;
  templateRateZ: number;
  componentRateZ: number;
  /** Fast/slow event-share ratio of the template (≥ 1 means it is more frequent lately). */
  burstRatio: number;
  /** Matched words per lexicon group (undefined = no match), in `LEXICON_GROUPS` order. */
  lexicon: (string | undefined)[];
  /** A failure-class lexicon group matched and no mitigation word did. */
  semantics: boolean;
  /** {@link semantics}, and one of the matched groups is severe (failure, fatal, corrupt, lost, resource). */
  severeSemantics: boolean;
}

const LEVEL_GROUP: Record<Level, number> = {
  trace: 0,
  debug: 0,
  info: 1,
  notice: 1,
  warn: 2,
  error: 3,
  critical: 4,
  fatal: 4,
};
const WORD = /[A-Za-z][A-Za-z0-9_]+/g;

/** The level group (`LEVEL_GROUPS` of the feature spec) of a level. */
export function levelGroupName(level: Level): string {
  return LEVEL_GROUPS[LEVEL_GROUP[level] ?? 1];
}

/** A template's constant words (parameters `<*>` dropped; words of ≥ 2 characters starting with a letter), lower-case. */
export function templateWords(template: string): string[] {
  return (template.replaceAll("<*>", " ").match(WORD) ?? []).map((w) => w.toLowerCase());
}

const SEVERE = LEXICON_GROUPS.map((g) => g.severe);
const MITIGATION = LEXICON_GROUPS.findIndex((g) => g.name === "mitigation");
const NUMERIC = /^(?:0x[0-9a-f]+|[0-9][0-9a-f.:,_-]*)$/i;
const I = (n: string) => featureIndex(n) - SCALAR_OFFSET;
const F = {
  level: I("level_low"),
  first: I("novel_first"),
  recent: I("novel_recent"),
  logCount: I("novel_log_count"),
  age: I("novel_age"),
  rarity: I("rarity"),
  compFirst: I("component_first"),
  burst: I("burst_share"),
  shareFast: I("share_fast"),
  tplZ: I("template_rate_z"),
  compZ: I("component_rate_z"),
  warm: I("rate_warm"),
  lex: I(`lex_${LEXICON_GROUPS[0].name}`),
  lexCount: I("lex_count"),
  sem: I("semantics"),
  numeric: I("numeric_share"),
  len: I("content_len"),
  parseError: I("parse_error"),
  repaired: I("repaired"),
  semBurst: I("sem_x_burst"),
  semLevel: I("sem_x_level_error"),
  levelRecent: I("level_error_x_recent"),
  severeBurst: I("level_severe_x_burst"),
  vocabNew: I("vocab_new_share"),
  vocabNewCount: I("vocab_new_count"),
  vocabRare: I("vocab_rare_share"),
  sysNovelty: I("system_novelty"),
  sysSettled: I("system_settled"),
  levelRarity: I("level_rarity"),
};

/** 32-bit FNV-1a of a string (token hashing: fast, stable, in every process). */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

interface TemplateCache {
  words: string[];
  idx: Int32Array;
  val: Float32Array;
  numericShare: number;
}

const clip = (x: number, lo: number, hi: number) => (x < lo ? lo : x > hi ? hi : x);

/** Computes feature vectors from events, keeping the online state (see module doc). */
export class FeatureExtractor {
  readonly state: OnlineState;
  readonly #templates = new Map<string, TemplateCache>();
  readonly #components = new Map<string, { idx: number; sign: number }>();
  readonly #cacheCapacity: number;

  /**
   * @param state the online state to read and update (default: a fresh one with the spec's options).
   * @throws {RangeError} when the state's options differ from the feature spec, or cacheCapacity is not a
   * positive integer.
   */
  constructor(state: OnlineState = new OnlineState(STATE_OPTIONS), options: FeatureExtractorOptions = {}) {
    const { cacheCapacity = 50_000 } = options;
    if (!Number.isInteger(cacheCapacity) || cacheCapacity < 1) {
      throw new RangeError(
        `Cannot create FeatureExtractor as cacheCapacity must be a positive integer: current value is ${cacheCapacity}`,
      );
    }
    this.#cacheCapacity = cacheCapacity;
    for (const [k, v] of Object.entries(STATE_OPTIONS)) {
      if (state.options[k as keyof typeof STATE_OPTIONS] !== v) {
        throw new RangeError(
          `Cannot create FeatureExtractor as the online state's ${k} differs from the feature spec: current value is ${
            state.options[k as keyof typeof STATE_OPTIONS]
          }, expected ${v}`,
        );
      }
    }
    this.state = state;
  }

  /**
   * Writes the features of `event` at `out[offset .. offset + FEATURE_DIM)` and learns the event.
   * @returns the facts the reasons are made of.
   */
  extract(event: MinedEvent, out: Float32Array, offset = 0): FeatureFacts {
    out.fill(0, offset, offset + FEATURE_DIM);
    const tc = this.#template(event.templateId, event.template);
    for (let i = 0; i < tc.idx.length; i++) out[offset + tc.idx[i]] += tc.val[i];
    const cc = this.#component(event.component);
    out[offset + TOKEN_BUCKETS + cc.idx] = cc.sign;

    const views = this.state.observe(event.templateId, event.component, Date.parse(event.ts));
    const tv = views.template;
    const s = offset + SCALAR_OFFSET;
    const levelGroup = LEVEL_GROUP[event.level] ?? 1;
    out[s + F.level + levelGroup] = 1;
    const first = tv.count === 0 ? 1 : 0;
    const recent = tv.count < 5 ? 1 : 0;
    const logCount = Math.min(1, Math.log1p(tv.count) / 10);
    out[s + F.first] = first;
    out[s + F.recent] = recent;
    out[s + F.logCount] = logCount;
    out[s + F.age] = Math.min(1, Math.log1p(tv.ageMs / 1000) / 20);
    out[s + F.rarity] = Math.min(1, -Math.log((tv.count + 1) / (this.state.seq + 1)) / 15);
    out[s + F.compFirst] = views.component.count === 0 ? 1 : 0;
    // Bias-corrected shares (as in Adam): early in a stream the slow EWMA has seen few events, and without the
    // correction every template would look like a burst until ~1/α events have passed.
    const n = this.state.seq - 1;
    const o = this.state.options;
    const fast = n > 0 ? tv.shareFast / (1 - Math.pow(1 - o.shareFastAlpha, n)) : 0;
    const slow = n > 0 ? tv.shareSlow / (1 - Math.pow(1 - o.shareSlowAlpha, n)) : 0;
    const burstRatio = (fast + 1e-3) / (slow + 1e-3);
    const burst = clip(Math.log(burstRatio) / 5, -1, 1);
    out[s + F.burst] = burst;
    out[s + F.shareFast] = Math.min(1, fast);
    out[s + F.tplZ] = clip(tv.rateZ / 10, 0, 1);
    out[s + F.compZ] = clip(views.component.rateZ / 10, 0, 1);
    out[s + F.warm] = tv.buckets >= 5 ? 1 : 0;

    const lexicon = matchLexicon(event.content || event.template);
    let failureGroups = 0;
    let severe = false;
    for (let g = 0; g < lexicon.length; g++) {
      if (lexicon[g] === undefined) continue;
      out[s + F.lex + g] = 1;
      if (FAILURE_CLASS[g]) failureGroups++;
      if (SEVERE[g]) severe = true;
    }
    const mitigated = lexicon[MITIGATION] !== undefined;
    const sem = failureGroups > 0 && !mitigated ? 1 : 0;
    out[s + F.lexCount] = Math.min(1, failureGroups / 3);
    out[s + F.sem] = sem;
    out[s + F.numeric] = tc.numericShare;
    out[s + F.len] = Math.min(1, Math.log1p(event.content.length) / 8);
    out[s + F.parseError] = event.flags.includes("parse_error") ? 1 : 0;
    out[s + F.repaired] = event.flags.some((f) => f === "truncated" || f === "invalid_utf8" || f === "binary")
      ? 1
      : 0;
    const levelError = levelGroup >= 3 ? 1 : 0;
    out[s + F.semBurst] = sem * Math.max(0, burst);
    out[s + F.semLevel] = sem * levelError;
    out[s + F.levelRecent] = levelError * recent;
    out[s + F.severeBurst] = levelError * Math.max(0, burst);
    const sys = this.state.observeSystem(event.system, first === 1 ? tc.words : undefined, levelGroup);
    const nWords = tc.words.length;
    out[s + F.vocabNew] = first === 1 && nWords > 0 ? sys.newWords / nWords : 0;
    out[s + F.vocabNewCount] = Math.min(1, sys.newWords / 8);
    out[s + F.vocabRare] = first === 1 && nWords > 0 ? sys.rareWords / nWords : 0;
    out[s + F.sysNovelty] = sys.novelty;
    out[s + F.sysSettled] = sys.events >= 500 && sys.novelty < 0.01 ? 1 : 0;
    out[s + F.levelRarity] = Math.min(1, -Math.log((sys.levelCount + 1) / (sys.events + 1)) / 10);
    return {
      templateId: event.templateId,
      level: event.level,
      words: tc.words,
      count: tv.count,
      templateRateZ: tv.rateZ,
      componentRateZ: views.component.rateZ,
      burstRatio,
      lexicon,
      semantics: sem === 1,
      severeSemantics: sem === 1 && severe,
    };
  }

  /** Entries in the per-template and per-component caches now (each at most `cacheCapacity`). */
  get cached(): { templates: number; components: number } {
    return { templates: this.#templates.size, components: this.#components.size };
  }

  #template(templateId: string, template: string): TemplateCache {
    let c = this.#templates.get(templateId);
    if (c !== undefined) return c;
    const words = templateWords(template);
    const idx = new Int32Array(words.length);
    const val = new Float32Array(words.length);
    const w = words.length > 0 ? 1 / Math.sqrt(words.length) : 0;
    for (let i = 0; i < words.length; i++) {
      const h = hash32(words[i]);
      idx[i] = h % TOKEN_BUCKETS;
      val[i] = (h & 0x80000000) === 0 ? w : -w;
    }
    const tokens = template.split(/\s+/).filter((t) => t.length > 0);
    const numeric = tokens.filter((t) => t === "<*>" || NUMERIC.test(t)).length;
    c = { words, idx, val, numericShare: tokens.length > 0 ? numeric / tokens.length : 0 };
    if (this.#templates.size >= this.#cacheCapacity) {
      countEvictions("feature_template_cache", this.#templates.size);
      this.#templates.clear();
    }
    this.#templates.set(templateId, c);
    return c;
  }

  #component(component: string): { idx: number; sign: number } {
    let c = this.#components.get(component);
    if (c === undefined) {
      const h = hash32(component.toLowerCase());
      c = { idx: h % COMPONENT_BUCKETS, sign: (h & 0x80000000) === 0 ? 1 : -1 };
      if (this.#components.size >= this.#cacheCapacity) {
        countEvictions("feature_component_cache", this.#components.size);
        this.#components.clear();
      }
      this.#components.set(component, c);
    }
    return c;
  }
}
