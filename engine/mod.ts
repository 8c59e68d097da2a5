/**
 * vigil's engine: supervised actors over bounded mailboxes, with backpressure, batch receive, supervision,
 * dead letters, a worker-pool actor, declarative pipelines, graceful shutdown and metrics. Generic: it knows
 * nothing of Kafka, OpenSearch or S3.
 *
 * ## Usage
 *
 * Define a batch actor (a factory: it is called again on every restart, so state resets):
 *
 * ```ts ignore
 * import { type ActorContext, ActorSystem, oneForOne, sendAll, type Sender } from "../engine/mod.ts";
 *
 * function upperCaser(out: Sender<string>, ctx: ActorContext<string>) {
 *   let seen = 0; // actor state: survives `resume`, reset by `restart`
 *   return {
 *     preStart() { ctx.log.info("starting"); },
 *     // Up to `batchSize` queued messages at once, oldest first. Return a promise only when you must wait:
 *     // the actor takes nothing else until it settles, so order is preserved.
 *     receiveBatch(lines: string[]) {
 *       seen += lines.length;
 *       ctx.metrics.gauge("seen", seen);
 *       return sendAll(out, lines.map((l) => l.toUpperCase())); // waits only when `out` is full
 *     },
 *     postStop() { ctx.log.info("stopped", { seen }); }, // flush here: runs after the mailbox drained
 *   };
 * }
 * ```
 *
 * Spawn it with a mailbox configuration and send to it, awaiting backpressure:
 *
 * ```ts ignore
 * const system = new ActorSystem();
 * const printer = system.spawn<string>({ name: "printer", create: () => ({ receive: (s) => console.log(s) }) });
 * const upper = system.spawn<string>({
 *   name: "upper",
 *   create: (ctx) => upperCaser(printer, ctx),
 *   mailbox: { capacity: 4096, whenFull: "block" }, // or "drop_newest" / "drop_oldest" (counted)
 *   batchSize: 256,
 *   supervisor: oneForOne({ maxRestarts: 10, withinMs: 60_000 }),
 *   maxAttempts: 3, // a message failing 3 times under restart goes to dead letters as poison
 * });
 * for (const line of ["a", "b"]) {
 *   if (!upper.trySend(line)) await upper.send(line); // sync fast path; await only when full
 * }
 * system.deadLetters.subscribe((letter) => console.error(letter.reason, letter.actor, letter.error));
 * ```
 *
 * Wire a pipeline (source → stage → fan-out to sinks; each edge sets the target's mailbox) and shut it down
 * gracefully on SIGINT/SIGTERM (opt-in: nothing is installed at import time):
 *
 * ```ts ignore
 * import { installShutdownSignals, Pipeline, type Source } from "../engine/mod.ts";
 *
 * const lines: Source<string> = {
 *   async run(out, signal) { while (!signal.aborted) await out.send(await nextLine()); },
 *   async complete() { await commitOffsets(); }, // final acks, after every sink flushed
 * };
 * const pipeline = Pipeline.start(system, {
 *   defaultMailbox: config.engine.mailbox, // for edges that set none
 *   nodes: {
 *     lines: { kind: "source", create: () => lines },
 *     upper: { kind: "stage", create: (out, ctx) => upperCaser(out, ctx), batchSize: 256 },
 *     hot: { kind: "sink", create: () => ({ receiveBatch: (b: string[]) => bulkIndex(b) }) },
 *     cold: { kind: "sink", create: () => ({ receiveBatch: (b: string[]) => appendParquet(b) }) },
 *   },
 *   edges: [
 *     { from: "lines", to: "upper", mailbox: { capacity: 4096 } },
 *     { from: "upper", to: ["hot", "cold"], mailbox: { capacity: 8192, whenFull: "block" } },
 *   ],
 * });
 * pipeline.whenFailed.then((actor) => console.error(`${actor} was stopped by its supervisor`));
 * const uninstall = installShutdownSignals(async () => {
 *   const report = await pipeline.stop({ deadlineMs: 30_000 }); // drain in topological order
 *   if (!report.graceful) console.error("left behind", report.leftovers);
 * });
 * ```
 *
 * Metrics: `system.snapshot()` (typed, per actor: state, mailbox depth/capacity, in/out/dropped/failed,
 * restarts, processing-time quantiles) and `await prometheusText(system.snapshot())` for `/metrics` (or
 * `registerEngineMetrics(registry, () => system.snapshot())` on a shared prom-client registry). Decision:
 * `npm:prom-client` runs on Deno 2.9, so it formats the exposition; the hot path never touches it (actors count
 * into plain fields, a scrape converts one snapshot).
 *
 * Ownership: `sendAll(out, array)` / `ref.trySendMany(array)` may queue the array itself (zero-copy), and the
 * array `receiveBatch` gets is the actor's to keep or forward — so never modify an array after sending it.
 *
 * No unbounded queue: mailboxes hold ≤ `capacity`; senders parked under `block` are bounded by
 * `maxWaitingSenders` (default `max(capacity, 16)`; one more rejects with `MailboxFullError` — await your
 * sends); re-deliveries after a failure are bounded by `batchSize`; dead letters keep a bounded ring; the
 * worker pool bounds batches in flight.
 *
 * Work in Web Workers: `workerPool(ctx, { url, workers, onResults, ... })` returns an actor whose batches run
 * in N workers (see `worker_pool.ts`); the worker module calls `serveWorker(handler)` (`serve_worker.ts`).
 *
 * @module
 */
export type { Actor, Props } from "./actor.ts";
export type {
  ActorContext,
  ActorFactory,
  Cancellable,
  DeadLetterRole,
  FailRole,
  LoggerRole,
  MetricsRole,
  ScheduleRole,
  SelfRole,
  SpawnRole,
  StopRole,
} from "./actor_context.ts";
export type { ActorRef, Sender } from "./actor_ref.ts";
export { ActorMetrics } from "./actor_metrics.ts";
export { ActorStoppedError } from "./actor_stopped_error.ts";
export {
  ActorSystem,
  type ActorSystemOptions,
  type Leftover,
  type ShutdownReport,
  withDeadline,
} from "./actor_system.ts";
export {
  BoundedMailbox,
  type MailboxOptions,
  resolveMailboxOptions,
  type WhenFull,
} from "./bounded_mailbox.ts";
export { type Clock, systemClock, type TimerHandle } from "./clock.ts";
export {
  type DeadLetter,
  type DeadLetterListener,
  type DeadLetterReason,
  DeadLetters,
} from "./dead_letters.ts";
export { type Decider, type Directive, restartAlways } from "./directive.ts";
export type { ActorSnapshot, ActorState, EngineSnapshot } from "./engine_snapshot.ts";
export { FakeClock, flushMicrotasks } from "./fake_clock.ts";
export { FanOut } from "./fan_out.ts";
export { DEFAULT_BUCKETS_MS, Histogram, type HistogramSnapshot } from "./histogram.ts";
export { jsonLogger, type Logger, type LogLevel, silentLogger, withFields } from "./logger.ts";
export { MailboxClosedError } from "./mailbox_closed_error.ts";
export { MailboxFullError } from "./mailbox_full_error.ts";
export { oneForOne, type OneForOneOptions } from "./one_for_one.ts";
export {
  type ActorNodeOptions,
  type EdgeSpec,
  Pipeline,
  type PipelineSpec,
  type SinkNode,
  type Source,
  type SourceNode,
  type StageNode,
  topologicalOrder,
} from "./pipeline.ts";
export { RestartStatistics } from "./restart_statistics.ts";
export { type BackoffOptions, restartWithBackoff } from "./restart_with_backoff.ts";
export { sendAll } from "./send_all.ts";
export type { SupervisorDecision, SupervisorStrategy } from "./supervisor_strategy.ts";
export { countEvictions, evictionCount, evictionCounts } from "./eviction_tally.ts";
export { PROMETHEUS_CONTENT_TYPE, prometheusText, registerEngineMetrics } from "./prometheus_metrics.ts";
export { installShutdownSignals, type ShutdownSignalOptions } from "./shutdown_signals.ts";
export {
  type BatchReply,
  type BatchRequest,
  serveWorker,
  TransferReply,
  withTransfer,
} from "./serve_worker.ts";
export {
  workerPool,
  type WorkerPoolActor,
  type WorkerPoolOptions,
  type WorkerPoolStats,
} from "./worker_pool.ts";
