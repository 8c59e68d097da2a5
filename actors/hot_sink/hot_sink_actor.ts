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
}

/** Copies the sink's counters and health into the actor's metrics (shown by the engine snapshot). */
function publish(sink: HotSink, metrics: ActorMetrics): void {
  const m = sink.metrics;
  metrics.gauge("delivered", m.delivered);
  metrics.gauge("rejected", m.rejected);
  metrics.gauge("errored", m.errored);
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
  return {
    name: options.name ?? "hot_sink",
    mailbox: options.mailbox,
    batchSize: options.batchSize ?? sink.config.maxEvents,
    create: (ctx) => {
      // Also publish on a timer: while a tier is down, the handler is blocked in a retry loop, and that is
      // exactly when its health must show.
      let timer: ReturnType<typeof setInterval> | undefined;
      return {
        preStart() {
          timer = setInterval(() => publish(sink, ctx.metrics), 1000);
        },
        async receiveBatch(records: DeliveryRecord[]) {
          onAck(await sink.write(records));
          publish(sink, ctx.metrics);
        },
        postStop() {
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
  options: { batchSize?: number } = {},
): SinkNode<DeliveryRecord> {
  const props = hotSinkProps(sink, onAck, options);
  return { kind: "sink", batchSize: props.batchSize, create: (ctx) => props.create(ctx) };
}
