/**
 * Polling with a deadline, for the chaos harness and its engine processes.
 *
 * @module
 */

/**
 * Polls `f` every `everyMs` until it returns true (a throw counts as false), `timeoutMs` passes, or `stop`
 * settles; resolves whether `f` returned true.
 */
export async function pollUntil(
  f: () => boolean | Promise<boolean>,
  timeoutMs: number,
  everyMs: number,
  stop?: Promise<unknown>,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let stopped = false;
  stop?.then(() => stopped = true, () => stopped = true);
  while (Date.now() < deadline && !stopped) {
    if (await Promise.resolve().then(f).catch(() => false)) return true;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return await Promise.resolve().then(f).catch(() => false);
}
