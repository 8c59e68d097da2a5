/**
 * Where messages end up when they cannot be processed: poison messages, messages queued in an actor that
 * stopped, items a sink rejected for good. Nothing is dropped silently: every dead letter is counted, kept in a
 * bounded ring of recent ones, and passed to subscribers (e.g. a DLQ writer).
 *
 * @module
 */
import { RingBuffer } from "./_ring_buffer.ts";

/**
 * Why a message became a dead letter: `poison` (failed `maxAttempts` times under restart), `failed` (failed
 * under resume/stop/escalate, or a worker batch failed twice), `stopped` (queued when its actor stopped),
 * `abandoned` (in a handler that a hard stop did not wait for: it may or may not have been processed),
 * `undeliverable` (results a worker pool could not hand on), `rejected` (given up by an actor, e.g. a sink's
 * permanent 4xx), or an actor's own reason.
 */
export type DeadLetterReason =
  | "poison"
  | "failed"
  | "stopped"
  | "abandoned"
  | "rejected"
  | "undeliverable"
  | (string & Record<never, never>);

/** A message that could not be processed. */
export interface DeadLetter {
  /** Path of the actor that gave up on it. */
  actor: string;
  /** The message itself. */
  message: unknown;
  reason: DeadLetterReason;
  /** The last error, if any. */
  error?: unknown;
  /** Attempts made before giving up. */
  attempts: number;
  /** Epoch ms (system clock). */
  at: number;
}

/** Receives dead letters as they happen. Must not throw (errors are caught and logged). */
export type DeadLetterListener = (letter: DeadLetter) => void;

/**
 * The dead-letter office of an actor system.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DeadLetters } from "./dead_letters.ts";
 * const dl = new DeadLetters(10);
 * const reasons: string[] = [];
 * const off = dl.subscribe((l) => reasons.push(l.reason));
 * dl.publish({ actor: "/parser", message: "x", reason: "poison", attempts: 3, at: 0 });
 * off();
 * assert.deepEqual([dl.total, dl.recent().length, reasons], [1, 1, ["poison"]]);
 * ```
 */
export class DeadLetters {
  #recent: RingBuffer<DeadLetter>;
  #listeners = new Set<DeadLetterListener>();
  #total = 0;
  #onListenerError: (e: unknown) => void;

  /**
   * @param keepRecent how many recent dead letters to keep for inspection (default 1000)
   * @param onListenerError called when a listener throws
   */
  constructor(keepRecent = 1000, onListenerError: (e: unknown) => void = () => {}) {
    if (!Number.isSafeInteger(keepRecent) || keepRecent < 1) {
      throw new RangeError(
        `Cannot create DeadLetters as keepRecent must be a positive integer: current value is ${keepRecent}`,
      );
    }
    this.#recent = new RingBuffer(keepRecent);
    this.#onListenerError = onListenerError;
  }

  /** Dead letters so far. */
  get total(): number {
    return this.#total;
  }

  /** Records a dead letter and tells the subscribers. */
  publish(letter: DeadLetter): void {
    this.#total++;
    if (this.#recent.full) this.#recent.shift();
    this.#recent.push(letter);
    for (const l of this.#listeners) {
      try {
        l(letter);
      } catch (e) {
        this.#onListenerError(e);
      }
    }
  }

  /** Subscribes; returns the unsubscribe function. */
  subscribe(listener: DeadLetterListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The most recent dead letters, oldest first (a copy). */
  recent(): DeadLetter[] {
    const out = this.#recent.drain();
    for (const l of out) this.#recent.push(l);
    return out;
  }
}
