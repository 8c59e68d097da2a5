/**
 * Sends many messages with the sync fast path, awaiting only when the target is full.
 *
 * @module
 */
import type { Sender } from "./actor_ref.ts";

const RESOLVED: Promise<void> = Promise.resolve();

/**
 * Sends `msgs` to `out` in order. Returns a shared resolved promise (no allocation) when everything fit at once.
 * The array may be queued as it is (zero-copy): do not modify it after the call.
 *
 * @throws {MailboxClosedError} (rejection) when the target closed; earlier messages were delivered
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ActorSystem, sendAll, silentLogger } from "./mod.ts";
 * const system = new ActorSystem({ logger: silentLogger });
 * const seen: number[] = [];
 * const ref = system.spawn<number>({ name: "n", create: () => ({ receive: (n) => void seen.push(n) }) });
 * await sendAll(ref, [1, 2, 3]);
 * await system.shutdown();
 * assert.deepEqual(seen, [1, 2, 3]);
 * ```
 */
export function sendAll<T>(out: Sender<T>, msgs: T[]): Promise<void> {
  const i = trySendFrom(out, msgs, 0);
  return i === msgs.length ? RESOLVED : slowPath(out, msgs, i);
}

function trySendFrom<T>(out: Sender<T>, msgs: T[], from: number): number {
  if (out.trySendMany !== undefined) return out.trySendMany(msgs, from);
  let i = from;
  while (i < msgs.length && out.trySend(msgs[i])) i++;
  return i;
}

async function slowPath<T>(out: Sender<T>, msgs: T[], from: number): Promise<void> {
  let i = from;
  while (i < msgs.length) {
    await out.send(msgs[i]);
    i = trySendFrom(out, msgs, i + 1);
  }
}
