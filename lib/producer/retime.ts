/**
 * `--retime now`: shifts a replayed file's event time so it plays as if it were happening now, at its own pace
 * × `--replay-speed`. The first event with a time of its own lands at the wall-clock time it is produced; every
 * later one at `start + (its time − the first's time) / speed` — which is when the replay pacer sends it, so
 * event time and arrival time agree. The original time stays in the event as `fields.originalTs`.
 *
 * Events without a time of their own (`ts_from_ingest`) are already "now" and are left alone.
 *
 * @module
 */
import type { LogEvent } from "../event/log_event.ts";

/** The `fields` key holding an event's original time (ISO) after retiming. */
export const ORIGINAL_TS_FIELD = "originalTs";

/** Re-times events of one pass over the input; see the module doc. */
export class Retimer {
  readonly #speed: number;
  readonly #now: () => number;
  #firstMs?: number;
  #startMs?: number;

  /**
   * @param speed the replay speed-up factor (positive, finite)
   * @param now the wall clock, ms since the epoch (tests pass a fixed one)
   * @throws {RangeError} for a speed that is not a positive finite number
   */
  constructor(speed = 1, now: () => number = Date.now) {
    if (!(speed > 0 && Number.isFinite(speed))) {
      throw new RangeError(
        `Cannot retime as the replay speed must be a positive number: current value is ${speed}`,
      );
    }
    this.#speed = speed;
    this.#now = now;
  }

  /**
   * Moves `event.ts` to its place in the re-timed replay and keeps the original in `fields.originalTs`.
   *
   * @param event the event (changed in place)
   * @param eventMs its original time in ms, NaN when it has none of its own (then it is left alone)
   * @returns the event's new time in ms (NaN when left alone)
   */
  retime(event: LogEvent, eventMs: number): number {
    if (!Number.isFinite(eventMs)) return NaN;
    this.#firstMs ??= eventMs;
    this.#startMs ??= this.#now();
    const ms = this.#startMs + (eventMs - this.#firstMs) / this.#speed;
    event.fields = { ...event.fields, [ORIGINAL_TS_FIELD]: event.ts };
    event.ts = new Date(Math.round(ms)).toISOString();
    return ms;
  }

  /** Starts over: the next event with a time lands at the wall clock again (the next `--loop` pass). */
  rebase(): void {
    this.#firstMs = undefined;
    this.#startMs = undefined;
  }
}
