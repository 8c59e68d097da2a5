/**
 * The suppressions in force: added by operators' mute and "not a problem" actions, matched against every
 * signal before it reaches the tracker, counted when they silence one, expiring on their own, removable.
 * Bounded: beyond `capacity` the oldest expired one goes first, then the oldest; each eviction is counted
 * ({@link SuppressionBook.evicted}, exported by the classifier stage as `suppressions_evicted`, and in the
 * process-wide tally as `vigil_evictions_total{map="suppressions"}`).
 *
 * @module
 */
import { countEvictions } from "../../engine/eviction_tally.ts";
import { stableHash } from "../parsing/stable_hash.ts";
import {
  isActive,
  suppresses,
  type Suppression,
  type SuppressionProbe,
  SuppressionSchema,
} from "./suppression.ts";

/** The suppressions (see module doc). */
export class SuppressionBook {
  readonly capacity: number;
  readonly #items = new Map<string, Suppression>();
  #evicted = 0;

  /** @throws {RangeError} when capacity is not a positive integer. */
  constructor(capacity = 10_000) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(
        `Cannot create SuppressionBook as capacity must be a positive integer: current value is ${capacity}`,
      );
    }
    this.capacity = capacity;
  }

  /** Suppressions held now. */
  get size(): number {
    return this.#items.size;
  }

  /** Suppressions removed to stay within `capacity` since this book was created. */
  get evicted(): number {
    return this.#evicted;
  }

  /**
   * Adds a suppression (its id is derived from its scope, kind and creation time).
   * @returns the stored suppression.
   */
  add(s: Omit<Suppression, "id" | "silenced">): Suppression {
    const id = `sup-${
      stableHash([s.kind, s.scope, s.system, s.component, s.templateId, s.host, s.createdTs].join("\u0000"))
    }`;
    const stored: Suppression = SuppressionSchema.parse({ ...s, id, silenced: 0 });
    if (!this.#items.has(id) && this.#items.size >= this.capacity) this.#evict();
    this.#items.set(id, stored);
    return stored;
  }

  /**
   * Stores a suppression made elsewhere under its own id (another engine's, merged from the hot tier). One
   * already held keeps its own `silenced` count: counts are per engine.
   * @returns false when `s` is not a valid suppression (nothing stored).
   */
  put(s: Suppression): boolean {
    const r = SuppressionSchema.safeParse({ ...s, silenced: this.#items.get(s.id)?.silenced ?? s.silenced });
    if (!r.success) return false;
    if (!this.#items.has(r.data.id) && this.#items.size >= this.capacity) this.#evict();
    this.#items.set(r.data.id, r.data);
    return true;
  }

  /** Whether the book holds suppression `id` (in force or expired). */
  has(id: string): boolean {
    return this.#items.has(id);
  }

  /** Removes a suppression; false when unknown. */
  remove(id: string): boolean {
    return this.#items.delete(id);
  }

  /**
   * Removes the suppressions `pred` picks (e.g. "not a problem" after "real problem").
   * @returns the removed suppressions (copies).
   */
  removeWhere(pred: (s: Suppression) => boolean): Suppression[] {
    const removed: Suppression[] = [];
    for (const [id, s] of this.#items) {
      if (pred(s) && this.#items.delete(id)) removed.push({ ...s });
    }
    return removed;
  }

  /** Suppression `id` (a copy), or `undefined`. */
  get(id: string): Suppression | undefined {
    const s = this.#items.get(id);
    return s === undefined ? undefined : { ...s };
  }

  /**
   * The first active suppression that silences `probe`; `undefined` when none does. The caller counts an
   * event it silenced with {@link countSilenced} (once per event, however many of its signals matched).
   * @param rateFactor for rate signals: bucket count ÷ baseline.
   * @param currentTemplateId the id a template has now: a suppression given on a template covers it under the
   *   ids it takes when it generalises (default: ids never change).
   */
  match(
    probe: SuppressionProbe,
    nowMs: number,
    rateFactor = 0,
    currentTemplateId: (templateId: string) => string = (id) => id,
  ): Suppression | undefined {
    if (this.#items.size === 0) return undefined;
    for (const s of this.#items.values()) {
      if (!isActive(s, nowMs)) continue;
      const id = s.templateId === "" ? "" : currentTemplateId(s.templateId);
      if (suppresses(id === s.templateId ? s : { ...s, templateId: id }, probe, rateFactor)) return s;
    }
    return undefined;
  }

  /** Counts one event silenced by the suppression `id`. */
  countSilenced(id: string): void {
    const s = this.#items.get(id);
    if (s !== undefined) s.silenced++;
  }

  /** Every suppression, newest first (copies). */
  list(): Suppression[] {
    return [...this.#items.values()].reverse().map((s) => ({ ...s }));
  }

  /** The persisted form. */
  toJSON(): { version: 1; items: Suppression[] } {
    return { version: 1, items: [...this.#items.values()] };
  }

  /**
   * Restores {@link toJSON}'s output; invalid entries are skipped, and a file holding more than `capacity` keeps
   * within it as {@link add} would (counted in {@link evicted}).
   * @returns how many entries were skipped.
   */
  restore(snapshot: unknown): number {
    const items = (snapshot as { items?: unknown[] })?.items;
    if (!Array.isArray(items)) return 0;
    let skipped = 0;
    for (const raw of items) {
      const r = SuppressionSchema.safeParse(raw);
      if (!r.success) {
        skipped++;
        continue;
      }
      if (!this.#items.has(r.data.id) && this.#items.size >= this.capacity) this.#evict();
      this.#items.set(r.data.id, r.data);
    }
    return skipped;
  }

  #evict(): void {
    this.#evicted++;
    countEvictions("suppressions");
    const now = Date.now();
    for (const [id, s] of this.#items) {
      if (!isActive(s, now)) {
        this.#items.delete(id);
        return;
      }
    }
    this.#items.delete(this.#items.keys().next().value as string);
  }
}
