/**
 * Operator state on alerts: which are acknowledged and which templates are muted until when. Kept in memory
 * (bounded); `FileAlertStateStore` (file_alert_state_store.ts) persists it so a restart keeps it. Labels, which
 * teach the classifier, go to the classifier's feedback sink instead.
 *
 * @module
 */

/** Operator state on alerts. */
export interface AlertStateStore {
  acknowledge(eventId: string, by?: string): void;
  isAcknowledged(eventId: string): boolean;
  /** Mutes a template until `until`; its alerts are left out of the live feed meanwhile. */
  mute(templateId: string, until: Date): void;
  unmute(templateId: string): void;
  isMuted(templateId: string, at?: Date): boolean;
  /** Active mutes, soonest expiry first. */
  mutes(at?: Date): { templateId: string; until: string }[];
}

/** The whole state, as persisted: acknowledged event ids (oldest first) and mutes (template id, until ms). */
export interface AlertStateSnapshot {
  acknowledged: string[];
  mutes: [templateId: string, untilMs: number][];
}

/** Options of {@link MemoryAlertStateStore}. */
export interface MemoryAlertStateStoreOptions {
  /** Most acknowledgements remembered (oldest forgotten first). Default 10000. */
  maxAcknowledged?: number;
  /** Clock. Default `() => new Date()`. */
  now?: () => Date;
  /** State to start from (e.g. read back from a file). */
  initial?: AlertStateSnapshot;
}

/** An {@link AlertStateStore} in memory, bounded. */
export class MemoryAlertStateStore implements AlertStateStore {
  readonly #acked = new Set<string>();
  readonly #mutes = new Map<string, number>();
  readonly #max: number;
  readonly #now: () => Date;

  /** @throws {RangeError} when maxAcknowledged is not a positive integer */
  constructor(
    { maxAcknowledged = 10_000, now = () => new Date(), initial }: MemoryAlertStateStoreOptions = {},
  ) {
    if (!Number.isInteger(maxAcknowledged) || maxAcknowledged < 1) {
      throw new RangeError(
        `Cannot create an alert state store as maxAcknowledged must be a positive integer: current value is ${maxAcknowledged}`,
      );
    }
    this.#max = maxAcknowledged;
    this.#now = now;
    for (const id of initial?.acknowledged ?? []) this.acknowledge(id);
    for (const [templateId, until] of initial?.mutes ?? []) this.#mutes.set(templateId, until);
  }

  /** The state to persist (expired mutes left out). */
  snapshot(at: Date = this.#now()): AlertStateSnapshot {
    return {
      acknowledged: [...this.#acked],
      mutes: [...this.#mutes.entries()].filter(([id]) => this.isMuted(id, at)),
    };
  }

  acknowledge(eventId: string): void {
    this.#acked.delete(eventId);
    this.#acked.add(eventId);
    if (this.#acked.size > this.#max) this.#acked.delete(this.#acked.values().next().value!);
  }

  isAcknowledged(eventId: string): boolean {
    return this.#acked.has(eventId);
  }

  mute(templateId: string, until: Date): void {
    this.#mutes.set(templateId, until.getTime());
  }

  unmute(templateId: string): void {
    this.#mutes.delete(templateId);
  }

  isMuted(templateId: string, at: Date = this.#now()): boolean {
    const until = this.#mutes.get(templateId);
    if (until === undefined) return false;
    if (until <= at.getTime()) {
      this.#mutes.delete(templateId);
      return false;
    }
    return true;
  }

  mutes(at: Date = this.#now()): { templateId: string; until: string }[] {
    return [...this.#mutes.entries()]
      .filter(([id]) => this.isMuted(id, at))
      .sort((a, b) => a[1] - b[1])
      .map(([templateId, until]) => ({ templateId, until: new Date(until).toISOString() }));
  }
}
