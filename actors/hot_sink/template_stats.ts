/**
 * The template registry's statistics gathered between two flushes (pure: no I/O, no timer).
 *
 * Each stored event adds one to its template's count and widens its seen range; the hot sink writes what
 * gathered as one upsert per template every `templateFlushMs`, instead of one per template in every bulk
 * request. Per batch, the registry's documents were rewritten thousands of times a minute (each scripted
 * update a get, a script run and a reindex of the same small document — most of the registry index was
 * deleted versions); a flush every few seconds writes each template once per interval.
 *
 * The registry's counts were already at-least-once (a redelivered event counts again); gathered in memory,
 * they can also miss what a crashed engine had not flushed yet — at most one interval's worth. Events and
 * incidents are not affected: their acknowledgements never waited on the registry.
 *
 * @module
 */
import type { DeliveryRecord } from "../delivery_record.ts";
import { DEFAULT_EVENT_TIME_WINDOW, type EventTimeWindow, routingIso } from "../routing_time.ts";

/** One template's statistics since the last flush. */
export interface TemplateStat {
  templateId: string;
  template: string;
  /** Events stored with this template. */
  count: number;
  /** Earliest and latest routing time of those events (ISO 8601; see `../routing_time.ts`). */
  firstSeen: string;
  lastSeen: string;
  /** The content of the first of those events (kept by the registry only when it creates the document). */
  example: string;
}

/** Statistics per template, gathered until taken; see the module doc. */
export class TemplateStats {
  #byId = new Map<string, TemplateStat>();

  /** Templates gathered since the last {@link TemplateStats.take}. */
  get size(): number {
    return this.#byId.size;
  }

  /**
   * Counts the stored records' templates (records without a template id are skipped).
   *
   * @param records the records just stored
   * @param window the event-time window that routes them (their seen range is in routing time, so a hostile
   *   `ts` cannot push a template's `lastSeen` to year 9999)
   * @param skip records not stored (rejected), by index
   */
  add(
    records: readonly DeliveryRecord[],
    window: EventTimeWindow = DEFAULT_EVENT_TIME_WINDOW,
    skip: (index: number) => boolean = () => false,
  ): void {
    for (let i = 0; i < records.length; i++) {
      const e = records[i].event;
      if (typeof e.templateId !== "string" || e.templateId.length === 0 || skip(i)) continue;
      const ts = routingIso(e, window);
      this.#merge({
        templateId: e.templateId,
        template: e.template,
        count: 1,
        firstSeen: ts,
        lastSeen: ts,
        example: e.content,
      });
    }
  }

  /** Everything gathered, emptied. */
  take(): TemplateStat[] {
    const out = [...this.#byId.values()];
    this.#byId = new Map();
    return out;
  }

  /** Gives back statistics a flush could not store, merged with what gathered meanwhile. */
  restore(stats: readonly TemplateStat[]): void {
    for (const s of stats) this.#merge({ ...s }, false);
  }

  /** @param newer whether `s` is newer than what is gathered (its template text then wins) */
  #merge(s: TemplateStat, newer = true): void {
    const seen = this.#byId.get(s.templateId);
    if (seen === undefined) {
      this.#byId.set(s.templateId, s);
      return;
    }
    seen.count += s.count;
    // The newest text wins (a template generalises as it sees more lines), as in the registry's own script.
    if (newer) seen.template = s.template;
    if (s.firstSeen < seen.firstSeen) seen.firstSeen = s.firstSeen;
    if (s.lastSeen > seen.lastSeen) seen.lastSeen = s.lastSeen;
  }
}
