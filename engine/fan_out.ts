/**
 * A sender that delivers every message to several targets (e.g. the hot and the cold sink), with backpressure
 * from the slowest. Each target gets every message exactly once and in order.
 *
 * @module
 */
import type { Sender } from "./actor_ref.ts";

const RESOLVED: Promise<void> = Promise.resolve();

interface Carry<T> {
  msg: T;
  /** Index of the first target that does not have it yet. */
  next: number;
}

/**
 * Delivers each message to all targets, in target order.
 *
 * When a later target is full after earlier ones took a message, the message is carried (one at most) and
 * completed before any further message: `trySend` then returns false until it can complete, and `send` waits
 * for it. Meant for one producer (a stage's outlet); concurrent un-awaited sends are serialized.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { FanOut } from "./fan_out.ts";
 * const a: number[] = [], b: number[] = [];
 * const sink = (xs: number[]) => ({
 *   send: (x: number) => (xs.push(x), Promise.resolve()),
 *   trySend: (x: number) => (xs.push(x), true),
 * });
 * const both = new FanOut([sink(a), sink(b)]);
 * await both.send(1);
 * assert.deepEqual([a, b], [[1], [1]]);
 * ```
 */
export class FanOut<T> implements Sender<T> {
  readonly targets: readonly Sender<T>[];
  #carry: Carry<T> | undefined;
  #slow: Promise<void> | undefined;

  /**
   * @param targets at least one sender
   * @throws {RangeError} when targets is empty
   */
  constructor(targets: readonly Sender<T>[]) {
    if (targets.length === 0) {
      throw new RangeError("Cannot create FanOut as targets must not be empty: current value is []");
    }
    this.targets = targets;
  }

  trySend(msg: T): boolean {
    return this.#slow === undefined && this.#tryDeliver(msg);
  }

  trySendMany(msgs: T[], from = 0): number {
    // Per message: each target must own its copy, so there is no zero-copy hand-over here.
    let i = from;
    while (i < msgs.length && this.trySend(msgs[i])) i++;
    return i;
  }

  send(msg: T): Promise<void> {
    if (this.#slow === undefined && this.#tryDeliver(msg)) return RESOLVED;
    const go = () => this.#sendSlowly(msg);
    const p = (this.#slow ?? RESOLVED).then(go, go);
    this.#slow = p;
    const clear = () => {
      if (this.#slow === p) this.#slow = undefined;
    };
    p.then(clear, clear);
    return p;
  }

  #tryDeliver(msg: T): boolean {
    if (this.#carry !== undefined && !this.#flushCarry()) return false;
    const ts = this.targets;
    if (!ts[0].trySend(msg)) return false;
    for (let i = 1; i < ts.length; i++) {
      if (!ts[i].trySend(msg)) {
        this.#carry = { msg, next: i };
        return true; // delivered as far as possible; the rest is completed before the next message
      }
    }
    return true;
  }

  async #sendSlowly(msg: T): Promise<void> {
    await this.#completeCarry();
    if (this.#tryDeliver(msg)) return this.#completeCarry();
    await this.targets[0].send(msg);
    this.#carry = { msg, next: 1 };
    await this.#completeCarry();
  }

  async #completeCarry(): Promise<void> {
    while (this.#carry !== undefined && !this.#flushCarry()) {
      const c = this.#carry;
      await this.targets[c.next].send(c.msg);
      c.next++;
    }
  }

  /** Pushes the carried message to the remaining targets without waiting; true when done. */
  #flushCarry(): boolean {
    const c = this.#carry!;
    const ts = this.targets;
    for (; c.next < ts.length; c.next++) {
      if (!ts[c.next].trySend(c.msg)) return false;
    }
    this.#carry = undefined;
    return true;
  }
}
