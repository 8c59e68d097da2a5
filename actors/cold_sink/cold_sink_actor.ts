/**
 * The cold sink as an engine actor: records are pushed into the sink's per-object buffers; acknowledgements
 * arrive through the sink's `onAck` when objects are durable. A full buffer makes `push` wait (backpressure);
 * stopping the actor flushes the buffers.
 *
 * @module
 */
import type { Props } from "../../engine/actor.ts";
import type { MailboxOptions } from "../../engine/bounded_mailbox.ts";
import type { SinkNode } from "../../engine/pipeline.ts";
import type { ActorMetrics } from "../../engine/actor_metrics.ts";
import type { DeliveryRecord } from "../delivery_record.ts";
import type { ColdSink } from "./sink.ts";

/** Options of {@link coldSinkProps}. */
export interface ColdSinkActorOptions {
  /** Actor name. Default `"cold_sink"`. */
  name?: string;
  /** Mailbox settings. Default: the engine's. */
  mailbox?: MailboxOptions;
  /** Most records per handler call. Default `1024`. */
  batchSize?: number;
}

/** Copies the sink's counters and health into the actor's metrics (shown by the engine snapshot). */
function publish(sink: ColdSink, metrics: ActorMetrics): void {
  const m = sink.metrics;
  metrics.gauge("delivered", m.delivered);
  metrics.gauge("objects_written", m.objectsWritten);
  metrics.gauge("bytes_written", m.bytesWritten);
  metrics.gauge("retries", m.retries);
  metrics.gauge("rows_moved", m.rowsMoved); // rows a replay re-classified out of a sibling object
  metrics.gauge("buffered", m.buffered);
  metrics.gauge("healthy", m.healthy ? 1 : 0);
}

/**
 * Props of an actor that writes to `sink` (create the sink with `onAck: (a) => source.ack(a)`).
 *
 * @example
 * ```ts ignore
 * const cold = system.spawn(coldSinkProps(new ColdSink({ ...coldSinkOptionsFromConfig(config), onAck: (a) => source.ack(a) })));
 * ```
 */
export function coldSinkProps(sink: ColdSink, options: ColdSinkActorOptions = {}): Props<DeliveryRecord> {
  return {
    name: options.name ?? "cold_sink",
    mailbox: options.mailbox,
    batchSize: options.batchSize ?? 1024,
    create: (ctx) => {
      // Also publish on a timer: while a tier is down, the handler is blocked in a retry loop, and that is
      // exactly when its health must show.
      let timer: ReturnType<typeof setInterval> | undefined;
      return {
        preStart() {
          timer = setInterval(() => publish(sink, ctx.metrics), 1000);
        },
        async receiveBatch(records: DeliveryRecord[]) {
          for (const r of records) await sink.push(r);
          publish(sink, ctx.metrics);
        },
        async postStop() {
          clearInterval(timer);
          await sink.flush();
          publish(sink, ctx.metrics);
        },
      };
    },
  };
}

/**
 * The same actor as an engine pipeline sink node (its `postStop` flushes the buffers when the pipeline stops).
 *
 * @example
 * ```ts ignore
 * nodes: { cold: coldSinkNode(coldSink), ... }
 * ```
 */
export function coldSinkNode(sink: ColdSink, options: { batchSize?: number } = {}): SinkNode<DeliveryRecord> {
  const props = coldSinkProps(sink, options);
  return { kind: "sink", batchSize: props.batchSize, create: (ctx) => props.create(ctx) };
}
