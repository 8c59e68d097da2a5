/**
 * Opt-in SIGINT/SIGTERM handling for a graceful stop. Nothing is installed at import time.
 *
 * @module
 */

/** Options of {@link installShutdownSignals}. */
export interface ShutdownSignalOptions {
  /** Signals to handle. Default `["SIGINT", "SIGTERM"]` (only SIGINT on Windows). */
  signals?: Deno.Signal[];
  /** Exit once the handler settled (code 0, or 1 if it threw). Default true. */
  exitWhenDone?: boolean;
  /** Exit code when a second signal forces an immediate exit. Default 130. */
  forceExitCode?: number;
  /** Process exit (injectable for tests). Default `Deno.exit`. */
  exit?: (code: number) => void;
}

/**
 * On the first signal, runs `onShutdown` (e.g. `pipeline.stop()`), then exits; a second signal exits at once.
 *
 * @returns a function that removes the handlers
 *
 * @example
 * ```ts ignore
 * import { installShutdownSignals } from "./shutdown_signals.ts";
 * const uninstall = installShutdownSignals(async (signal) => {
 *   console.error(`${signal}: draining`);
 *   await pipeline.stop({ deadlineMs: 30_000 });
 * });
 * ```
 */
export function installShutdownSignals(
  onShutdown: (signal: Deno.Signal) => void | Promise<void>,
  options: ShutdownSignalOptions = {},
): () => void {
  const {
    signals = Deno.build.os === "windows" ? ["SIGINT"] : ["SIGINT", "SIGTERM"],
    exitWhenDone = true,
    forceExitCode = 130,
    exit = Deno.exit,
  } = options;
  let started = false;
  const handler = (signal: Deno.Signal) => () => {
    if (started) {
      console.error(`vigil: second ${signal}, exiting now`);
      exit(forceExitCode);
      return;
    }
    started = true;
    Promise.resolve()
      .then(() => onShutdown(signal))
      .then(
        () => exitWhenDone && exit(0),
        (error) => {
          console.error("vigil: shutdown failed", error);
          if (exitWhenDone) exit(1);
        },
      );
  };
  const installed = signals.map((s) => {
    const h = handler(s);
    Deno.addSignalListener(s, h);
    return [s, h] as const;
  });
  return () => {
    for (const [s, h] of installed) Deno.removeSignalListener(s, h);
  };
}
