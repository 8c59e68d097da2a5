/**
 * The one retry loop of every adapter (Kafka source, hot and cold sink, dead-letter outbox, webhook), shaped like
 * std's `retry`: calls `fn` until it resolves, waiting {@link backoffDelay} between tries on the
 * {@link abortableSleep}, so an engine stopping (its signal aborting) ends a wait at once instead of after it.
 *
 * A try that fails ends the loop when the error is not retriable (rethrown as it is), when `maxAttempts` tries
 * failed or `maxDurationMs` passed ({@link RetryError}, with the last error as `cause`), or when `signal` aborts
 * (its `reason`). Sinks that must never drop a record pass `maxAttempts: Infinity` and rely on the signal alone.
 *
 * @module
 */
import { abortableSleep } from "./abortable_sleep.ts";
import { backoffDelay } from "./backoff_delay.ts";

/** Options of {@link retry}. */
export interface RetryOptions {
  /** Tries in all, the first included (a positive integer or `Infinity`). Default 5. */
  maxAttempts?: number;
  /** No new try starts this long after the first one began, ms (> 0 or `Infinity`). Default `Infinity`. */
  maxDurationMs?: number;
  /** Backoff after the first failure, before jitter, ms. Default 100. */
  initialBackoffMs?: number;
  /** Largest backoff before jitter, ms. Default 10 000. */
  maxBackoffMs?: number;
  /** Backoff growth per failure. Default 2. */
  multiplier?: number;
  /** Random share of each backoff in [0, 1] (see {@link backoffDelay}). Default 1 (full jitter). */
  jitter?: number;
  /** Uniform random source in [0, 1) for the jitter. Default `Math.random`. */
  random?: () => number;
  /** Whether an error is worth another try; a non-retriable error is rethrown at once. Default: all are. */
  isRetriable?: (error: unknown) => boolean;
  /** Called after each failed try that will be tried again, before the wait (counters, health, log lines). */
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  /** Ends the loop (before a try or during a wait), rejecting with `signal.reason`. */
  signal?: AbortSignal;
}

/** Raised when the tries or the time allowed ran out; `cause` is the last try's error. */
export class RetryError extends Error {
  override name = "RetryError";
  /** Tries made. */
  readonly attempts: number;

  /**
   * @param cause the last try's error
   * @param attempts tries made
   */
  constructor(cause: unknown, attempts: number) {
    super(`gave up after ${attempts} attempt(s): ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
    });
    this.attempts = attempts;
  }
}

/** The retry settings of an adapter's configuration, in the sinks' shared vocabulary (Vector's). */
export interface RequestRetryConfig {
  /** Backoff after the first failure, before jitter, ms. */
  retryInitialBackoffMs: number;
  /** Largest backoff before jitter, ms. */
  retryMaxBackoffMs: number;
}

/**
 * The backoff of every retry of one adapter: its configured bounds, its random source, and the signal that
 * ends them all when the adapter is aborted. Callers add their own attempt bounds and hooks.
 *
 * @example
 * ```ts
 * import { requestRetryOptions, retry } from "./retry.ts";
 * const abort = new AbortController();
 * const options = requestRetryOptions({ retryInitialBackoffMs: 1, retryMaxBackoffMs: 10 }, Math.random, abort.signal);
 * await retry(() => Promise.resolve(), { ...options, maxAttempts: 3 });
 * ```
 */
export function requestRetryOptions(
  config: RequestRetryConfig,
  random: () => number,
  signal: AbortSignal,
): RetryOptions {
  return {
    initialBackoffMs: config.retryInitialBackoffMs,
    maxBackoffMs: config.retryMaxBackoffMs,
    random,
    signal,
  };
}

function check(ok: boolean, what: string, value: unknown): void {
  if (!ok) throw new RangeError(`Cannot retry as ${what}: current value is ${value}`);
}

/**
 * Calls `fn` until it resolves; see the module doc for when it gives up.
 *
 * @param fn one try; receives the 0-based attempt number
 * @param options bounds, backoff and the stop signal
 * @returns what the successful try resolved with
 * @throws {RetryError} when `maxAttempts` or `maxDurationMs` ran out (the last error is its `cause`)
 * @throws the try's own error when `isRetriable` says no
 * @throws `signal.reason` when the signal aborted first
 * @throws {RangeError} on invalid options
 *
 * @example
 * ```ts
 * import { retry } from "./retry.ts";
 * let calls = 0;
 * const value = await retry(() => ++calls < 3 ? Promise.reject(new Error("busy")) : Promise.resolve(calls), {
 *   initialBackoffMs: 1,
 * });
 * console.log(value); // 3
 * ```
 */
export async function retry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const {
    maxAttempts = 5,
    maxDurationMs = Infinity,
    initialBackoffMs = 100,
    maxBackoffMs = 10_000,
    multiplier = 2,
    jitter = 1,
    random = Math.random,
    isRetriable = () => true,
    onRetry,
    signal,
  } = options;
  check(
    maxAttempts === Infinity || (Number.isInteger(maxAttempts) && maxAttempts > 0),
    "maxAttempts must be a positive integer or Infinity",
    maxAttempts,
  );
  check(maxDurationMs > 0, "maxDurationMs must be positive", maxDurationMs);
  check(
    initialBackoffMs >= 0 && Number.isFinite(initialBackoffMs),
    "initialBackoffMs must be a non-negative number",
    initialBackoffMs,
  );
  check(maxBackoffMs >= initialBackoffMs, "maxBackoffMs must be ≥ initialBackoffMs", maxBackoffMs);
  check(multiplier >= 1, "multiplier must be ≥ 1", multiplier);
  check(jitter >= 0 && jitter <= 1, "jitter must be in [0, 1]", jitter);
  const started = Date.now();
  for (let attempt = 0;; attempt++) {
    signal?.throwIfAborted();
    try {
      return await fn(attempt);
    } catch (error) {
      signal?.throwIfAborted();
      if (!isRetriable(error)) throw error;
      const left = started + maxDurationMs - Date.now();
      if (attempt + 1 >= maxAttempts || left <= 0) throw new RetryError(error, attempt + 1);
      const delayMs = Math.min(
        left,
        backoffDelay(attempt, {
          initialMs: initialBackoffMs,
          maxMs: maxBackoffMs,
          multiplier,
          jitter,
          random,
        }),
      );
      onRetry?.(error, attempt, delayMs);
      await abortableSleep(delayMs, signal);
    }
  }
}
