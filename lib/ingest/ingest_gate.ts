/**
 * Admission and acknowledgement for every receiver: the "nothing accepted is lost" rule in one place.
 *
 * - {@link IngestGate.admit} says whether a batch of events may be taken now: not when the events already
 *   waiting for Kafka would exceed `maxPendingEvents` (429, Kafka is slow), nor while Kafka is failing (503) —
 *   except one probe batch at a time, so the first success after an outage opens the gate again.
 * - {@link IngestGate.deliver} hands events to the producer's {@link EventPublisher} and resolves `acked` only
 *   once Kafka acknowledged all of them; `failed` when their produce request failed and `timeout` when Kafka
 *   did not answer within `ackTimeoutMs` — the receiver then tells its client to retry (HTTP 503) or keeps the
 *   frame and sends again (TCP), never answers success for events Kafka does not hold.
 *
 * @module
 */
import type { LogEvent } from "../event/log_event.ts";
import type { EventPublisher } from "../producer/event_publisher.ts";

/** Options of {@link IngestGate}. */
export interface IngestGateOptions {
  /** Events accepted and not yet acknowledged, at most. */
  maxPendingEvents: number;
  /** How long to wait for Kafka's acknowledgement, ms. */
  ackTimeoutMs: number;
}

/** Whether a batch may be taken now, and if not, which refusal to answer. */
export type Admission =
  | { ok: true }
  | { ok: false; status: 429 | 503; reason: string };

/** What became of delivered events. */
export type Delivery = "acked" | "failed" | "timeout";

/** Admission and acknowledgement (see module doc). */
export class IngestGate {
  readonly #publisher: EventPublisher;
  readonly #options: IngestGateOptions;
  #pending = 0;
  #kafkaUp = true;
  #probing = false;

  /**
   * @param publisher the producer's publisher (its sends are bounded by its own `sendTimeoutMs`)
   * @param options limits
   */
  constructor(publisher: EventPublisher, options: IngestGateOptions) {
    this.#publisher = publisher;
    this.#options = options;
  }

  /** Events accepted and not yet acknowledged (or failed). */
  get pending(): number {
    return this.#pending;
  }

  /** How long {@link deliver} waits for Kafka by default, ms. */
  get ackTimeoutMs(): number {
    return this.#options.ackTimeoutMs;
  }

  /** False after a failed produce request, until one succeeds. */
  get kafkaUp(): boolean {
    return this.#kafkaUp;
  }

  /**
   * Whether `count` events may be taken now. A batch larger than the whole limit is admitted when nothing is
   * pending (the limit bounds the backlog, it does not forbid big requests; the body limit bounds those).
   */
  admit(count: number): Admission {
    if (!this.#kafkaUp && this.#probing) {
      return { ok: false, status: 503, reason: "Kafka is not acknowledging events; retry later" };
    }
    if (this.#pending > 0 && this.#pending + count > this.#options.maxPendingEvents) {
      return {
        ok: false,
        status: 429,
        reason:
          `${this.#pending} events are waiting for Kafka (limit ${this.#options.maxPendingEvents}); retry later`,
      };
    }
    return { ok: true };
  }

  /**
   * Publishes events and waits for Kafka's acknowledgement of all of them (see module doc).
   *
   * @param waitMs how long to wait before answering `timeout`. Default `ackTimeoutMs`. A receiver that can keep
   *   waiting (TCP, UDP) passes `Infinity`: the publisher's own send timeout still ends the wait with `failed`, and
   *   resending only after that settles avoids the duplicates that resending a still-pending request would make.
   * @param onSettled called once per produce request holding some of the events, with their indexes in `events`,
   *   when it settles — also after a `timeout` was answered — and before the returned promise sees that
   *   settlement: how a caller learns which events Kafka holds when only some of their requests succeeded.
   */
  async deliver(
    events: readonly LogEvent[],
    waitMs = this.#options.ackTimeoutMs,
    onSettled?: (indexes: readonly number[], acked: boolean) => void,
  ): Promise<Delivery> {
    if (events.length === 0) return "acked";
    const probe = !this.#kafkaUp;
    if (probe) this.#probing = true;
    this.#pending += events.length;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const sent = this.#publisher.publishEach(events).then((each) => {
      const batches = new Map<Promise<void>, number[]>();
      each.forEach((p, i) => batches.get(p)?.push(i) ?? batches.set(p, [i]));
      return Promise.all(
        [...batches].map(([p, indexes]) =>
          p.then(
            () => {
              onSettled?.(indexes, true);
              return true;
            },
            () => {
              onSettled?.(indexes, false);
              return false;
            },
          )
        ),
      );
    }).then(
      (results) => {
        if (results.every(Boolean)) {
          this.#kafkaUp = true;
          return "acked" as const;
        }
        this.#kafkaUp = false;
        return "failed" as const;
      },
      () => {
        this.#kafkaUp = false;
        return "failed" as const;
      },
    ).finally(() => {
      // Events stay pending until their request settles, also after a timeout answered the client.
      this.#pending -= events.length;
      if (probe) this.#probing = false;
    });
    if (waitMs === Infinity) return await sent;
    const timeout = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), waitMs);
    });
    try {
      return await Promise.race([sent, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
