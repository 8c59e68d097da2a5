/**
 * The registry of mined templates: per-template counts, first/last seen, an example and a decaying rate, plus
 * the alias map that keeps the ids of generalised (merged) templates resolvable. Serialisable with
 * {@link TemplateRegistry.toJSON} / {@link TemplateRegistry.fromJSON} so a restart does not forget templates.
 * @module
 */
import { countEvictions } from "../../engine/eviction_tally.ts";

/** What the registry knows about one template. */
export interface TemplateStats {
  /** Stable id (hash of the template text). */
  templateId: string;
  /** The template, variables as `<*>`. */
  template: string;
  /** Events seen with this template (including those seen under ids that merged into it). */
  count: number;
  /** Event time of the first event, ms since the epoch. */
  firstSeenMs: number;
  /** Event time of the latest event, ms since the epoch. */
  lastSeenMs: number;
  /** The content of the first event (cut to 1024 characters). */
  example: string;
  /** Events per second, exponentially decayed with a 60 s time constant, as of `lastSeenMs`. */
  rate: number;
}

/** The persisted form of a {@link TemplateRegistry}. */
export interface TemplateRegistrySnapshot {
  version: 1;
  templates: TemplateStats[];
  /** Old id → the id it merged into (may chain; resolved on read). */
  aliases: Record<string, string>;
}

const RATE_TAU_MS = 60_000;
const MAX_EXAMPLE = 1024;
/** Most aliases kept (each generalisation adds one; ids older than that stop resolving). */
export const MAX_ALIASES = 200_000;
/** Most former ids kept per live template (the most recent): enough for state keyed by an id to follow it. */
export const MAX_FORMER_IDS = 16;

/** Per-template statistics and the alias map (see module doc). */
export class TemplateRegistry {
  readonly #templates = new Map<string, TemplateStats>();
  readonly #aliases = new Map<string, string>();
  /** Live id → ids that merged into it, newest first (the aliases inverted, cut to {@link MAX_FORMER_IDS}). */
  readonly #formers = new Map<string, string[]>();

  /** Number of live (non-aliased) templates. */
  get size(): number {
    return this.#templates.size;
  }

  /**
   * Records one event of a template.
   * @param templateId the template's id.
   * @param template the template text.
   * @param tsMs the event time, ms since the epoch.
   * @param example the event's content (kept when the template is new).
   */
  observe(templateId: string, template: string, tsMs: number, example: string): TemplateStats {
    let s = this.#templates.get(templateId);
    if (s === undefined) {
      s = {
        templateId,
        template,
        count: 0,
        firstSeenMs: tsMs,
        lastSeenMs: tsMs,
        example: example.length > MAX_EXAMPLE ? example.slice(0, MAX_EXAMPLE) : example,
        rate: 0,
      };
      this.#templates.set(templateId, s);
    }
    s.count++;
    const dt = tsMs - s.lastSeenMs;
    if (dt > 0) {
      s.rate *= Math.exp(-dt / RATE_TAU_MS);
      s.lastSeenMs = tsMs;
    } else if (tsMs < s.firstSeenMs) s.firstSeenMs = tsMs;
    s.rate += 1000 / RATE_TAU_MS;
    return s;
  }

  /**
   * Records that template `fromId` generalised into `toId` (with text `template`): its statistics move to
   * `toId` and `fromId` stays resolvable as an alias.
   */
  merge(fromId: string, toId: string, template: string): void {
    if (fromId === toId) return;
    const from = this.#templates.get(fromId);
    this.#templates.delete(fromId);
    this.#aliases.delete(fromId);
    this.#aliases.set(fromId, toId);
    this.#aliases.delete(toId);
    this.#addFormers(toId, fromId, this.#formers.get(fromId) ?? []);
    this.#formers.delete(fromId);
    // Oldest first: the ids least likely to be asked for again go when there are too many.
    if (this.#aliases.size > MAX_ALIASES) {
      this.#aliases.delete(this.#aliases.keys().next().value!);
      countEvictions("template_aliases");
    }
    const to = this.#templates.get(toId);
    if (from === undefined) return;
    if (to === undefined) {
      this.#templates.set(toId, { ...from, templateId: toId, template });
      return;
    }
    to.count += from.count;
    to.firstSeenMs = Math.min(to.firstSeenMs, from.firstSeenMs);
    if (from.lastSeenMs > to.lastSeenMs) {
      to.rate = to.rate * Math.exp(-(from.lastSeenMs - to.lastSeenMs) / RATE_TAU_MS) + from.rate;
      to.lastSeenMs = from.lastSeenMs;
      to.example = from.example;
    } else to.rate += from.rate * Math.exp(-(to.lastSeenMs - from.lastSeenMs) / RATE_TAU_MS);
  }

  /**
   * Forgets a template (the miner evicted it): its statistics go; aliases to it stay until pushed out by
   * newer ones (at most {@link MAX_ALIASES}).
   */
  forget(templateId: string): void {
    this.#templates.delete(templateId);
    this.#formers.delete(templateId);
  }

  /**
   * The ids a live template had before it generalised (newest first, at most {@link MAX_FORMER_IDS}): what
   * state keyed by a template id at the time (a detector's "seen before") is found under.
   */
  formerIds(templateId: string): readonly string[] {
    return this.#formers.get(templateId) ?? [];
  }

  #addFormers(toId: string, fromId: string, fromFormers: readonly string[]): void {
    const list = [fromId, ...fromFormers, ...(this.#formers.get(toId) ?? [])].filter((id) => id !== toId);
    this.#formers.set(toId, list.length > MAX_FORMER_IDS ? list.slice(0, MAX_FORMER_IDS) : list);
  }

  /** The current id of a template id (follows aliases; an unknown id is returned unchanged). */
  resolve(templateId: string): string {
    let id = templateId;
    for (let hops = 0; hops < 1000; hops++) {
      const next = this.#aliases.get(id);
      if (next === undefined) return id;
      id = next;
    }
    return id;
  }

  /** Statistics of a template by its current or any former id. */
  get(templateId: string): TemplateStats | undefined {
    return this.#templates.get(this.resolve(templateId));
  }

  /** All live templates, most frequent first. */
  list(): TemplateStats[] {
    return [...this.#templates.values()].sort((a, b) => b.count - a.count);
  }

  /** The rate of a template decayed to `nowMs` (events per second). */
  rateAt(templateId: string, nowMs: number): number {
    const s = this.get(templateId);
    if (s === undefined) return 0;
    return s.rate * Math.exp(-Math.max(0, nowMs - s.lastSeenMs) / RATE_TAU_MS);
  }

  /** A JSON-safe snapshot. */
  toJSON(): TemplateRegistrySnapshot {
    return {
      version: 1,
      templates: [...this.#templates.values()].map((s) => ({ ...s })),
      aliases: Object.fromEntries(this.#aliases),
    };
  }

  /**
   * Rebuilds a registry from {@link TemplateRegistry.toJSON}'s output.
   * @throws {TypeError} when the snapshot is not a version-1 registry snapshot.
   */
  static fromJSON(snapshot: unknown): TemplateRegistry {
    const s = snapshot as TemplateRegistrySnapshot;
    if (s === null || typeof s !== "object" || s.version !== 1 || !Array.isArray(s.templates)) {
      throw new TypeError(
        "Cannot restore TemplateRegistry as the snapshot is not a version-1 registry snapshot",
      );
    }
    const r = new TemplateRegistry();
    for (const t of s.templates) {
      if (typeof t?.templateId !== "string" || typeof t.template !== "string" || !Number.isFinite(t.count)) {
        throw new TypeError(
          `Cannot restore TemplateRegistry as a template entry is malformed: ${
            JSON.stringify(t).slice(0, 200)
          }`,
        );
      }
      r.#templates.set(t.templateId, { ...t });
    }
    for (const [from, to] of Object.entries(s.aliases ?? {})) {
      if (typeof to === "string") r.#aliases.set(from, to);
    }
    // The inverse index is derived: every alias counts for the live template it resolves to.
    for (const from of r.#aliases.keys()) {
      const to = r.resolve(from);
      if (r.#templates.has(to)) r.#addFormers(to, from, []);
    }
    return r;
  }
}
