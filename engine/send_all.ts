/**
 * Sends many messages with the sync fast path, awaiting only when the target is full.
 *
 * @module
 */
import type { Sender } from "./actor_ref.ts";

const RESOLVED: Promise<void> = Promise.resolve();

/**
 * Sends `msgs` to `out` in order. Returns a shared resolved promise (no allocation) when everything fit at once.
 *
 * @throws {MailboxClosedError} (rejection) when the target closed; earlier messages were delivered
 *
 * @example
 * ```ts
 * import { ActorSystem, sendAll, silentLogger } from "./mod.ts";
 * const system = new ActorSystem({ logger: silentLogger });
 * const seen: number[] = [];
 * const ref = system.spawn<number>({ name: "n", create: () => ({ receive: (n) => void seen.push(n) }) });
 * await sendAll(ref, [1, 2, 3]);
 * await system.shutdown();
 * console.log(seen); // [1, 2, 3]
 * ```
 */
export function sendAll<T>(out: Sender<T>, msgs: readonly T[]): Promise<void> {
  for (let i = 0; i < msgs.length; i++) {
    if (!out.trySend(msgs[i])) return slowPath(out, msgs, i);
  }
  return RESOLVED;
}

async function slowPath<T>(out: Sender<T>, msgs: readonly T[], from: number): Promise<void> {
  await out.send(msgs[from]);
  for (let i = from + 1; i < msgs.length; i++) {
    if (!out.trySend(msgs[i])) await out.send(msgs[i]);
  }
}
