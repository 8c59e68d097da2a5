/**
 * The cold sink as an engine actor, and the only place its S3 writes start: each record goes into the sink's
 * object buffers ({@link ObjectBuffers}); whatever they report due — a window its partition left, `maxEvents` /
 * `maxBytes` reached, the `timeoutMs` deadline (a {@link COLD_FLUSH_DUE} message the actor sends itself), the
 * actor stopping — is written with {@link ColdSink.write} inside the handler, and the acknowledgements go to
 * `onAck` (the Kafka source's `ack`), the same callback shape as the hot sink's. Up to `concurrency` writes are
 * pending at once (the sink runs them one after another): the handler starts a write and goes on buffering,
 * so the classifier's fan-out — which also feeds the hot sink — does not stop for an object's encoding and
 * S3 round trips. A write that fails reaches the supervisor like any handler error (at the next batch); while
 * S3 is down the writes wait in the sink's retries, the handler waits on them, the mailbox fills and the
 * source pauses.
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
  /**
   * Writes pending at once. Default 2: the handler returns while one write runs, so records keep flowing to
   * the hot sink and into the buffers; at the limit it waits for one. 1 = every write inside the handler.
   */
  concurrency?: number;
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
  const concurrency = options.concurrency ?? 2;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(
      `Cannot create the cold sink actor as concurrency must be a positive integer: current value is ${concurrency}`,
    );
  }
  return {
    name: options.name ?? "cold_sink",
    mailbox: options.mailbox,
    batchSize: options.batchSize ?? 1024,
    create: (ctx) => {
      // Also publish on a timer: while a tier is down, the handler is blocked in a retry loop, and that is
      // exactly when its health must show.
      let timer: ReturnType<typeof setInterval> | undefined;
      let due: Cancellable | undefined;
      // Writes pending; the sink runs them in order, so two parts of one window never race.
      const writing = new Set<Promise<void>>();
      // Set by a failed write (its callbacks run later, hence a holder TypeScript does not narrow).
      const failed: { error?: unknown; set: boolean } = { set: false };
      const write = async (records: DeliveryRecord[]) => {
        if (failed.set) throw failed.error;
        if (records.length === 0) return;
        const pending: Promise<void> = sink.write(records)
          .then((acks) => onAck(acks))
          .catch((error) => {
            if (!failed.set) Object.assign(failed, { error, set: true });
          })
          .finally(() => writing.delete(pending));
        writing.add(pending);
        while (writing.size >= concurrency) await Promise.race(writing);
        // A write fails only when the sink is aborted: surface it to the supervisor like the write itself.
        if (failed.set) throw failed.error;
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
          // Stopping waits for every pending write, so their acknowledgements reach the source before its
          // last commit.
          await Promise.all(writing);
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
  options: { batchSize?: number; concurrency?: number } = {},
): SinkNode<ColdSinkMessage> {
  const props = coldSinkProps(sink, onAck, options);
  return { kind: "sink", batchSize: props.batchSize, create: (ctx) => props.create(ctx) };
}
