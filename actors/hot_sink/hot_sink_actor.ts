/**
 * The hot sink as an engine actor: each mailbox batch is one `HotSink.write`, whose acknowledgements go to
 * the listener (the Kafka source's `ack`). While the cluster is down `write` does not return, the mailbox
 * fills, and senders upstream wait: that is the backpressure that pauses the source.
 *
 * @module
 */
import type { Props } from "../../engine/actor.ts";
import type { MailboxOptions } from "../../engine/bounded_mailbox.ts";
import type { SinkNode } from "../../engine/pipeline.ts";
import type { ActorMetrics } from "../../engine/actor_metrics.ts";
import type { AckListener, DeliveryRecord } from "../delivery_record.ts";
import type { HotSink } from "./sink.ts";

/** Options of {@link hotSinkProps}. */
export interface HotSinkActorOptions {
  /** Actor name. Default `"hot_sink"`. */
  name?: string;
  /** Mailbox settings. Default: the engine's. */
  mailbox?: MailboxOptions;
  /** Most records per write. Default: the sink's `maxEvents`. */
  batchSize?: number;
  /**
   * Bulk requests in flight at once. Default 1. With 2, the engine encodes and sends the next request while the
   * cluster indexes the previous one. Acknowledgements may then arrive out of order, which the offset watermark
   * accepts; two copies of one event (a redelivery) in concurrent requests may land in either order.
   */
  concurrency?: number;
}

/** Copies the sink's counters and health into the actor's metrics (shown by the engine snapshot). */
function publish(sink: HotSink, metrics: ActorMetrics): void {
  const m = sink.metrics;
  metrics.gauge("delivered", m.delivered);
  metrics.gauge("rejected", m.rejected);
  metrics.gauge("retrying_overdue", m.retryingOverdue);
  metrics.gauge("retries", m.retries);
  metrics.gauge("bulk_requests", m.bulkRequests);
  metrics.gauge("healthy", m.healthy ? 1 : 0);
}

/**
 * Props of an actor that writes to `sink` and reports acknowledgements to `onAck`.
 *
 * @example
 * ```ts ignore
 * const hot = system.spawn(hotSinkProps(new HotSink({ ...hotSinkOptionsFromConfig(config), deadLetters }), (a) => source.ack(a)));
 * ```
 */
export function hotSinkProps(
  sink: HotSink,
  onAck: AckListener,
  options: HotSinkActorOptions = {},
): Props<DeliveryRecord> {
  const concurrency = options.concurrency ?? 1;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(
      `Cannot create the hot sink actor as concurrency must be a positive integer: current value is ${concurrency}`,
    );
  }
  return {
    name: options.name ?? "hot_sink",
    mailbox: options.mailbox,
    batchSize: options.batchSize ?? sink.config.maxEvents,
    create: (ctx) => {
      // Also publish on a timer: while a tier is down, the handler is blocked in a retry loop, and that is
      // exactly when its health must show.
      let timer: ReturnType<typeof setInterval> | undefined;
      // Writes in flight; the handler returns while fewer than `concurrency` are, so the mailbox keeps feeding.
      const writing = new Set<Promise<void>>();
      // Set by a failed write (its callbacks run later, hence a holder TypeScript does not narrow).
      const failed: { error?: unknown; set: boolean } = { set: false };
      return {
        preStart() {
          timer = setInterval(() => publish(sink, ctx.metrics), 1000);
        },
        async receiveBatch(records: DeliveryRecord[]) {
          if (failed.set) throw failed.error;
          const write: Promise<void> = sink.write(records)
            .then((acks) => {
              onAck(acks);
              publish(sink, ctx.metrics);
            })
            .catch((error) => {
              if (!failed.set) Object.assign(failed, { error, set: true });
            })
            .finally(() => writing.delete(write));
          writing.add(write);
          while (writing.size >= concurrency) await Promise.race(writing);
          // A write fails only when the sink is aborted: surface it to the supervisor like the write itself.
          if (failed.set) throw failed.error;
        },
        async postStop() {
          // Stopping waits for the writes in flight, so their acknowledgements reach the source before its
          // last commit.
          await Promise.all(writing);
          clearInterval(timer);
          publish(sink, ctx.metrics);
        },
      };
    },
  };
}

/**
 * The same actor as an engine pipeline sink node.
 *
 * @example
 * ```ts ignore
 * nodes: { hot: hotSinkNode(hotSink, (acks) => source.ack(acks)), ... }
 * ```
 */
export function hotSinkNode(
  sink: HotSink,
  onAck: AckListener,
  options: { batchSize?: number; concurrency?: number } = {},
): SinkNode<DeliveryRecord> {
  const props = hotSinkProps(sink, onAck, options);
  return { kind: "sink", batchSize: props.batchSize, create: (ctx) => props.create(ctx) };
}
