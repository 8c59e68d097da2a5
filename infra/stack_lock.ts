/**
 * A machine-wide (per stack home) exclusive lock around starting and stopping the stack, so two commands
 * run at the same moment (two `deno task test` runs, `start` and `test`) never launch the same service
 * twice or stop it while the other is starting it. Uses `flock` on `.vigil/stack.lock`; the kernel releases
 * it if the holder dies.
 *
 * @module
 */
import { STACK_HOME } from "./stack_paths.ts";

/**
 * Runs `fn` while holding the stack lock (waiting for it if another process holds it). Not re-entrant:
 * `fn` must not call `withStackLock` again.
 *
 * @param fn the work to do under the lock
 * @returns what `fn` returns
 */
export async function withStackLock<T>(fn: () => Promise<T>): Promise<T> {
  await Deno.mkdir(STACK_HOME, { recursive: true });
  const file = await Deno.open(`${STACK_HOME}/stack.lock`, { create: true, write: true });
  try {
    await file.lock(true);
    return await fn();
  } finally {
    // Closing the file releases the lock.
    file.close();
  }
}
