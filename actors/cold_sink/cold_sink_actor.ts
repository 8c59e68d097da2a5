/**
 * The cold sink as an engine actor, and the only place its S3 writes start: each record goes into the sink's
 * object buffers ({@link ObjectBuffers}); whatever they report due — a window its partition left, `maxEvents` /
 * `maxBytes` reached, the `timeoutMs` deadline (a {@link COLD_FLUSH_DUE} message the actor sends itself), the
 * actor stopping — is written with {@link ColdSink.write} inside the handler, and the acknowledgements go to
 * `onAck` (the Kafka source's `ack`), the same callback shape as the hot sink's. A write that fails reaches
 * the supervisor like any handler error; while S3 is down the handler waits in the sink's retries, the
 * mailbox fills and the source pauses.
 *
 * @module
 */
import type { Cancellable } from "../../engine/actor_context.ts";
import type { Props } from "../../engine/actor.ts";
import type { MailboxOptions } from "../../engine/bounded_mailbox.ts";
import type { SinkNode } from "../../engine/pipeline.ts";
import type { ActorMetrics } from "../../engine/actor_metrics.ts";
import type { AckListener, DeliveryRecord } from "../delivery_record.ts";
import type { ColdSink } from "./sink.ts";
import type { ObjectBuffers } from "./object_buffers.ts";

/** The message the cold sink actor sends itself when the `timeoutMs` write of its buffers is due. */
export const COLD_FLUSH_DUE: { readonly coldFlushDue: true } = Object.freeze({ coldFlushDue: true });

/** What the cold sink actor receives: records from the pipeline, and its own flush message. */
export type ColdSinkMessage = DeliveryRecord | typeof COLD_FLUSH_DUE;

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
 * Props of an actor that writes to `sink` and reports acknowledgements to `onAck`.
 *
 * @example
 * ```ts ignore
 * const cold = system.spawn(coldSinkProps(new ColdSink(coldSinkOptionsFromConfig(config)), (a) => source.ack(a)));
 * ```
 */
export function coldSinkProps(
  sink: ColdSink,
  onAck: AckListener,
  options: ColdSinkActorOptions = {},
): Props<ColdSinkMessage> {
  const buffers: ObjectBuffers = sink.buffers;
  return {
    name: options.name ?? "cold_sink",
    mailbox: options.mailbox,
    batchSize: options.batchSize ?? 1024,
    create: (ctx) => {
      // Also publish on a timer: while a tier is down, the handler is blocked in a retry loop, and that is
      // exactly when its health must show.
      let timer: ReturnType<typeof setInterval> | undefined;
      let due: Cancellable | undefined;
      const write = async (records: DeliveryRecord[]) => {
        if (records.length > 0) onAck(await sink.write(records));
      };
      const writeAll = () => {
        due?.cancel();
        due = undefined;
        return write(buffers.take());
      };
      // The timeout write is checked on every batch too: the flush message is dropped when the mailbox is
      // full, and a full mailbox means batches keep coming.
      const flushIfDue = async () => {
        const at = buffers.flushDueAt;
        if (at === undefined) return;
        const wait = at - Date.now();
        if (wait <= 0) await writeAll();
        else due ??= ctx.scheduleOnce(wait, COLD_FLUSH_DUE);
      };
      return {
        async preStart() {
          timer = setInterval(() => publish(sink, ctx.metrics), 1000);
          await flushIfDue(); // after a restart: the buffers outlive the actor, its timers do not
        },
        async receiveBatch(messages: ColdSinkMessage[]) {
          for (const m of messages) {
            if (m === COLD_FLUSH_DUE) {
              due = undefined;
              continue;
            }
            await write(buffers.add(m as DeliveryRecord));
            if (buffers.full) await writeAll();
          }
          await flushIfDue();
          publish(sink, ctx.metrics);
        },
        async postStop() {
          clearInterval(timer);
          await writeAll();
          publish(sink, ctx.metrics);
        },
      };
    },
  };
}

/**
 * The same actor as an engine pipeline sink node (its `postStop` writes the buffers when the pipeline stops).
 *
 * @example
 * ```ts ignore
 * nodes: { cold: coldSinkNode(coldSink, (acks) => source.ack(acks)), ... }
 * ```
 */
export function coldSinkNode(
  sink: ColdSink,
  onAck: AckListener,
  options: { batchSize?: number } = {},
): SinkNode<ColdSinkMessage> {
  const props = coldSinkProps(sink, onAck, options);
  return { kind: "sink", batchSize: props.batchSize, create: (ctx) => props.create(ctx) };
}
