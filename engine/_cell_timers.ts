/**
 * The timers of one actor on the system clock, all cancelled together when it restarts or stops. Private to
 * `engine/`.
 *
 * @module
 */
import type { Cancellable } from "./actor_context.ts";
import type { Clock, TimerHandle } from "./clock.ts";

/** A set of cancellable timers. */
export class CellTimers {
  #clock: Clock;
  #handles = new Set<TimerHandle>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Timers pending. */
  get size(): number {
    return this.#handles.size;
  }

  /** Runs `fire` once after `delayMs`. */
  once(delayMs: number, fire: () => void): Cancellable {
    const clock = this.#clock;
    const h = clock.setTimeout(() => {
      this.#handles.delete(h);
      fire();
    }, delayMs);
    this.#handles.add(h);
    return {
      cancel: () => {
        clock.clearTimeout(h);
        this.#handles.delete(h);
      },
    };
  }

  /**
   * Runs `fire` every `intervalMs` (re-armed after each run).
   *
   * @throws {RangeError} when intervalMs is not a positive number
   */
  repeatedly(intervalMs: number, fire: () => void): Cancellable {
    if (!(intervalMs > 0)) {
      throw new RangeError(
        `Cannot schedule as intervalMs must be a positive number: current value is ${intervalMs}`,
      );
    }
    let current: Cancellable | undefined;
    let cancelled = false;
    const arm = () => {
      current = this.once(intervalMs, () => {
        fire();
        if (!cancelled) arm();
      });
    };
    arm();
    return {
      cancel: () => {
        cancelled = true;
        current?.cancel();
      },
    };
  }

  /** Resolves after `delayMs`; never resolves if cancelled by {@link cancelAll} first. */
  sleep(delayMs: number): Promise<void> {
    return new Promise((resolve) => this.once(delayMs, resolve));
  }

  /** Cancels every pending timer. */
  cancelAll(): void {
    for (const h of this.#handles) this.#clock.clearTimeout(h);
    this.#handles.clear();
  }
}
