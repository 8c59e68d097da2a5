/**
 * The one way the pipeline stores dead letters: bounded retries, then a visible "blocked" state instead of a
 * silent spin.
 *
 * A dead letter that cannot be stored must not be dropped (that would lose the message) and must not let its
 * offset be committed. Before, every caller (source, hot sink, engine bridge) retried for ever on its own: a
 * dead-letter topic that refused a message (too large, deleted, no rights) stalled the partition with nothing
 * but a log line. Now a write gets `attempts` tries with backoff; when they are spent the outbox is
 * {@link DeadLetterOutbox.blocked} (reason, since when, how many letters wait), the Kafka source pauses on it
 * (`metrics.pausedReason`), the engine's `/health` answers 503 with the reason, and each waiting write is tried
 * again every `probeIntervalMs` — so once an operator fixes the topic, delivery resumes by itself, in order,
 * with nothing lost.
 *
 * One outbox is shared by every caller of one engine, so any of them being blocked shows in one place.
 *
 * @module
 */
import { abortableSleep } from "../lib/timing/abortable_sleep.ts";
import { retry, RetryError } from "../lib/timing/retry.ts";
import type { DeadLetterRecord, DeadLetterWriter } from "./dead_letter_record.ts";
import { jsonLogger, type Logger } from "../engine/logger.ts";

/** Options of {@link DeadLetterOutbox}. */
export interface DeadLetterOutboxOptions {
  /** Tries of one write before the outbox reports itself blocked. Default 5. */
  attempts?: number;
  /** First backoff between tries, ms (full jitter, doubling). Default 200. */
  initialBackoffMs?: number;
  /** Largest backoff between tries, ms. Default 5000. */
  maxBackoffMs?: number;
  /** While blocked, how often a waiting write is tried again, ms. Default 30 000. */
  probeIntervalMs?: number;
  /** Warned when the outbox blocks, told when it recovers. Default: JSON lines on stderr. */
  logger?: Logger;
  /** Uniform random source for jitter. Default `Math.random`. */
  random?: () => number;
}

/** Why dead letters cannot be stored right now. */
export interface DeadLetterBlock {
  /** What the writer said, with where the letters go, e.g. the DLQ topic. */
  reason: string;
  /** When the first write ran out of tries, ISO 8601 UTC. */
  since: string;
  /** Dead letters waiting to be stored. */
  waiting: number;
}

/** Raised when a write ran out of tries (the letters are not stored: do not acknowledge their originals). */
export class DeadLetterBlockedError extends Error {
  override name = "DeadLetterBlockedError";
}

/** A {@link DeadLetterWriter} with bounded retries and a blocked state; see the module doc. */
export class DeadLetterOutbox implements DeadLetterWriter {
  readonly #writer: DeadLetterWriter;
  readonly #attempts: number;
  readonly #initialBackoffMs: number;
  readonly #maxBackoffMs: number;
  readonly #probeIntervalMs: number;
  readonly #logger: Logger;
  readonly #random: () => number;
  #block?: { reason: string; since: string };
  #waiting = 0;

  /**
   * @param writer where the letters go (the Kafka DLQ producer)
   * @param options retry bounds
   * @throws {RangeError} when a number option is not a positive integer
   */
  constructor(writer: DeadLetterWriter, options: DeadLetterOutboxOptions = {}) {
    this.#writer = writer;
    this.#attempts = options.attempts ?? 5;
    this.#initialBackoffMs = options.initialBackoffMs ?? 200;
    this.#maxBackoffMs = options.maxBackoffMs ?? 5000;
    this.#probeIntervalMs = options.probeIntervalMs ?? 30_000;
    for (
      const [name, v] of [
        ["attempts", this.#attempts],
        ["initialBackoffMs", this.#initialBackoffMs],
        ["maxBackoffMs", this.#maxBackoffMs],
        ["probeIntervalMs", this.#probeIntervalMs],
      ] as const
    ) {
      if (!Number.isInteger(v) || v <= 0) {
        throw new RangeError(
          `Cannot create DeadLetterOutbox as ${name} must be a positive integer: current value is ${v}`,
        );
      }
    }
    this.#logger = options.logger ?? jsonLogger("info", { component: "dead_letters" });
    this.#random = options.random ?? Math.random;
  }

  /** Why dead letters cannot be stored now, or undefined when they can. */
  get blocked(): DeadLetterBlock | undefined {
    return this.#block === undefined ? undefined : { ...this.#block, waiting: this.#waiting };
  }

  /**
   * Stores the letters with up to `attempts` tries.
   *
   * @throws {DeadLetterBlockedError} when every try failed (the outbox is then blocked)
   */
  async write(records: DeadLetterRecord[], signal?: AbortSignal): Promise<void> {
    try {
      await retry(() => this.#writer.write(records), {
        maxAttempts: this.#attempts,
        initialBackoffMs: this.#initialBackoffMs,
        maxBackoffMs: this.#maxBackoffMs,
        random: this.#random,
        signal,
      });
    } catch (err) {
      throw this.#blockedBy(err instanceof RetryError ? err.cause : err, signal);
    }
    this.#recovered();
  }

  /**
   * Stores the letters, however long it takes: {@link DeadLetterOutbox.write}, then — while blocked — one more
   * try every `probeIntervalMs`. Resolves once they are stored.
   *
   * @throws {DeadLetterBlockedError} only when `signal` aborts first (the letters are not stored)
   */
  async deliver(records: DeadLetterRecord[], signal?: AbortSignal): Promise<void> {
    try {
      return await this.write(records, signal);
    } catch (err) {
      if (!(err instanceof DeadLetterBlockedError) || signal?.aborted) throw err;
    }
    this.#waiting += records.length;
    try {
      await abortableSleep(this.#probeIntervalMs, signal);
      // Probes at a fixed interval (no growth, no jitter): an operator fixing the topic sees it resume promptly.
      await retry(() => this.#writer.write(records), {
        maxAttempts: Infinity,
        initialBackoffMs: this.#probeIntervalMs,
        maxBackoffMs: this.#probeIntervalMs,
        multiplier: 1,
        jitter: 0,
        onRetry: (err) => this.#blockedBy(err, signal),
        signal,
      });
      this.#recovered();
    } catch {
      throw new DeadLetterBlockedError("stopped before the dead letters were stored");
    } finally {
      this.#waiting -= records.length;
    }
  }

  #blockedBy(err: unknown, signal?: AbortSignal): DeadLetterBlockedError {
    if (signal?.aborted) return new DeadLetterBlockedError("stopped before the dead letters were stored");
    const reason = `dead letters cannot be stored after ${this.#attempts} tries: ${
      err instanceof Error ? err.message : String(err)
    }`;
    if (this.#block === undefined) {
      this.#logger.warn(`${reason}; holding their offsets and retrying every ${this.#probeIntervalMs} ms`);
      this.#block = { reason, since: new Date().toISOString() };
    } else {
      this.#block.reason = reason;
    }
    return new DeadLetterBlockedError(reason);
  }

  #recovered(): void {
    if (this.#block === undefined) return;
    this.#logger.info(`dead letters are stored again (blocked since ${this.#block.since})`);
    this.#block = undefined;
  }
}

/**
 * The outbox behind a writer: the writer itself when it is one (shared by the engine's stages), else a new
 * outbox around it with `options`.
 */
export function deadLetterOutboxOf(
  writer: DeadLetterWriter,
  options: DeadLetterOutboxOptions = {},
): DeadLetterOutbox {
  return writer instanceof DeadLetterOutbox ? writer : new DeadLetterOutbox(writer, options);
}
