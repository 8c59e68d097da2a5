/**
 * A wait that ends early when its signal aborts: retry backoffs, pacing and polling loops stop promptly on
 * `abort()`, a close deadline or Ctrl-C instead of waiting out the delay.
 *
 * @param ms how long to wait
 * @param signal ends the wait early when aborted (resolves at once if already aborted); none = a plain wait
 * @returns resolves after `ms` or on abort, whichever comes first; never rejects
 *
 * @example
 * ```ts
 * import { abortableSleep } from "./abortable_sleep.ts";
 * const abort = new AbortController();
 * setTimeout(() => abort.abort(), 10);
 * await abortableSleep(60_000, abort.signal); // returns after ~10 ms
 * ```
 */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}
