/**
 * Paces the producer: as fast as possible, at a fixed rate (`--rate N`), or replaying the events' own
 * inter-arrival times sped up by a factor (`--replay-speed X`).
 *
 * Pacing follows a schedule (event i is due at start + i/rate, or start + (ts_i − ts_0)/X) rather than
 * sleeping a fixed gap per event, so timer granularity and send latency do not accumulate into drift; it only
 * sleeps when it is at least 2 ms ahead, so high rates do not cost one timer per event. After a stall (Kafka
 * slow) it catches up by at most one second's worth of events instead of bursting the whole backlog.
 *
 * @module
 */
import { abortableSleep } from "../timing/abortable_sleep.ts";

/** How to pace. */
export type PaceMode =
  | { kind: "none" }
  | { kind: "rate"; /** events per second */ rate: number }
  | { kind: "replay"; /** speed-up factor of the original inter-arrival times */ speed: number };

const MIN_SLEEP_MS = 2;
const MAX_LAG_MS = 1000;

/** Decides when each event may be sent and waits until then. */
export class Pacer {
  readonly mode: PaceMode;
  readonly #signal: AbortSignal | undefined;
  readonly #now: () => number;
  #startMs = NaN;
  #count = 0;
  #firstEventMs = NaN;
  #lastEventMs = NaN;

  /**
   * @param mode none, rate or replay
   * @param signal aborts a wait early (Ctrl-C)
   * @param now clock in ms (for tests). Default `performance.now`.
   * @throws {RangeError} when the rate or speed is not a positive finite number
   */
  constructor(mode: PaceMode, signal?: AbortSignal, now: () => number = () => performance.now()) {
    if (mode.kind === "rate" && !(mode.rate > 0 && Number.isFinite(mode.rate))) {
      throw new RangeError(
        `Cannot pace as rate must be a positive number of events/s: current value is ${mode.rate}`,
      );
    }
    if (mode.kind === "replay" && !(mode.speed > 0 && Number.isFinite(mode.speed))) {
      throw new RangeError(
        `Cannot pace as replay speed must be a positive number: current value is ${mode.speed}`,
      );
    }
    this.mode = mode;
    this.#signal = signal;
    this.#now = now;
  }

  /**
   * Returns how long (ms) to wait before sending the next event, and advances the schedule.
   *
   * @param eventMs the event's own time (replay mode); ignored otherwise. NaN = unknown: no extra wait.
   */
  delayFor(eventMs = NaN): number {
    if (this.mode.kind === "none") return 0;
    const now = this.#now();
    if (Number.isNaN(this.#startMs)) this.#startMs = now;
    let dueOffset: number;
    if (this.mode.kind === "rate") {
      dueOffset = (this.#count * 1000) / this.mode.rate;
    } else {
      if (Number.isNaN(this.#firstEventMs) && !Number.isNaN(eventMs)) {
        this.#firstEventMs = this.#lastEventMs = eventMs;
      }
      // Out-of-order or unknown times do not move the schedule back.
      if (!Number.isNaN(eventMs) && eventMs > this.#lastEventMs) this.#lastEventMs = eventMs;
      dueOffset = Number.isNaN(this.#firstEventMs)
        ? 0
        : (this.#lastEventMs - this.#firstEventMs) / this.mode.speed;
    }
    this.#count++;
    const due = this.#startMs + dueOffset;
    if (now - due > MAX_LAG_MS) this.#startMs += now - due - MAX_LAG_MS; // forget most of a stall
    const ahead = due - now;
    return ahead >= MIN_SLEEP_MS ? ahead : 0;
  }

  /** Waits until the next event is due (see {@link delayFor}). Returns early when the signal aborts. */
  async wait(eventMs = NaN): Promise<void> {
    const ms = this.delayFor(eventMs);
    if (ms > 0) await abortableSleep(ms, this.#signal);
  }

  /** Restarts the schedule at the next event (a new loop over the input starts its timeline afresh). */
  rebase(): void {
    this.#startMs = NaN;
    this.#count = 0;
    this.#firstEventMs = NaN;
    this.#lastEventMs = NaN;
  }
}
