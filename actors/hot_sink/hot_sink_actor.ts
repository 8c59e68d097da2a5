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
    create: () => ({
      async receiveBatch(records: DeliveryRecord[]) {
        onAck(await sink.write(records));
      },
    }),
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
