/**
 * An actor whose batches run in N Web Workers, with a bounded in-flight window and results emitted in input
 * order (so per-key order survives the parallelism).
 *
 * - Window: at most `maxInFlight` batches are dispatched and not yet emitted; `receiveBatch` returns at once
 *   while there is room and waits otherwise — that wait is the backpressure to the mailbox and upstream.
 * - A worker that dies (uncaught error) or hangs (no reply within `batchTimeoutMs`; a worker that closed itself
 *   looks like this) is terminated and replaced; each of its in-flight batches is retried once, then
 *   dead-lettered. A batch whose handler throws (an error reply) is retried once the same way.
 * - No batch is emitted twice: replies are matched by id, and a replaced worker's late replies are ignored.
 * - A module that dies 3 times before saying it is ready is broken: the pool stops replacing it and the actor
 *   fails (its supervisor decides), rather than looping.
 * - Generic: the worker module URL and the payload encoding are parameters; the worker calls `serveWorker`.
 *
 * @module
 */
import type { Actor } from "./actor.ts";
import type { DeadLetterRole, FailRole, LoggerRole, MetricsRole } from "./actor_context.ts";
import type { BatchReply, BatchRequest } from "./serve_worker.ts";

/** Options of {@link workerPool}. */
export interface WorkerPoolOptions<In, Out> {
  /** The worker module; it must call `serveWorker(handler)`. */
  url: string | URL;
  /** Number of workers, a positive integer. Default 2. */
  workers?: number;
  /**
   * Batches dispatched but not yet emitted, across the pool; ≥ 1. Default `4 × workers`: enough queued per
   * worker to hide the message round trip, few enough to keep memory and latency small.
   */
  maxInFlight?: number;
  /** A batch without reply for this long means its worker is dead or hung, ms. Default 60 000. */
  batchTimeoutMs?: number;
  /** Builds the request payload of a batch (and buffers to transfer). Default: the batch itself. */
  encode?: (batch: In[]) => { payload: unknown; transfer?: Transferable[] };
  /** Reads a reply payload into results. Default: the payload as `Out[]`. */
  decode?: (payload: unknown, batch: In[]) => Out[];
  /**
   * Receives each batch's results, in input order; may return a promise to apply backpressure (e.g.
   * `sendAll(out, results)`). If it throws, the results are dead-lettered with the error.
   */
  onResults: (results: Out[], batch: In[]) => void | Promise<void>;
  /** Extra Worker options (`type: "module"` is always set). */
  workerOptions?: Omit<WorkerOptions, "type">;
}

interface Job<In> {
  id: number;
  seq: number;
  batch: In[];
  attempts: number;
  slot?: Slot<In>;
  timer?: ReturnType<typeof setTimeout>;
}

interface Slot<In> {
  index: number;
  worker: Worker;
  jobs: Map<number, Job<In>>;
  /** The worker said it is loaded; batch timeouts run only from then on. */
  ready: boolean;
}

/** Statistics of a pool (also published as custom metrics of the actor). */
export interface WorkerPoolStats {
  /** Workers replaced after dying or hanging. */
  replacements: number;
  /** Batches retried. */
  retries: number;
  /** Batches dispatched and not yet emitted. */
  inFlight: number;
}

/** The pool actor, with its statistics and a fault-injection hook for tests. */
export interface WorkerPoolActor<In> extends Actor<In> {
  readonly stats: WorkerPoolStats;
  /** Terminates worker `index` as if it crashed (tests, chaos drills). */
  killWorker(index: number): void;
}

/**
 * Creates the worker-pool actor (call it from `Props.create`).
 *
 * @param ctx the actor's context (dead letters, logger, metrics, fail)
 * @throws {RangeError} on invalid numeric options
 *
 * @example
 * ```ts ignore
 * import { sendAll, workerPool } from "../engine/mod.ts";
 * const classifier = system.spawn<MinedEvent>({
 *   name: "classifier",
 *   batchSize: 256,
 *   mailbox: { capacity: 4096 },
 *   create: (ctx) =>
 *     workerPool<MinedEvent, ClassifiedEvent>(ctx, {
 *       url: new URL("../actors/classifier_worker.ts", import.meta.url),
 *       workers: 2,
 *       onResults: (results) => sendAll(sinks, results),
 *     }),
 * });
 * ```
 */
export function workerPool<In, Out>(
  ctx: DeadLetterRole & LoggerRole & MetricsRole & FailRole,
  options: WorkerPoolOptions<In, Out>,
): WorkerPoolActor<In> {
  const {
    url,
    workers = 2,
    batchTimeoutMs = 60_000,
    encode = (batch: In[]): { payload: unknown; transfer?: Transferable[] } => ({ payload: batch }),
    decode = (payload: unknown) => payload as Out[],
    onResults,
    workerOptions = {},
  } = options;
  const maxInFlight = options.maxInFlight ?? 4 * workers;
  const check = (what: string, v: number, ok: boolean) => {
    if (!ok) throw new RangeError(`Cannot create workerPool as ${what}: current value is ${v}`);
  };
  check("workers must be a positive integer", workers, Number.isSafeInteger(workers) && workers >= 1);
  check(
    "maxInFlight must be a positive integer",
    maxInFlight,
    Number.isSafeInteger(maxInFlight) && maxInFlight >= 1,
  );
  check("batchTimeoutMs must be a positive number", batchTimeoutMs, batchTimeoutMs > 0);

  const stats: WorkerPoolStats = { replacements: 0, retries: 0, inFlight: 0 };
  const slots: Slot<In>[] = [];
  const finished = new Map<number, { results: Out[] | undefined; batch: In[] }>();
  let nextId = 1;
  let nextSeq = 0;
  let nextEmit = 0;
  let emitting = false;
  let roomWaiter: (() => void) | undefined;
  let idleWaiter: (() => void) | undefined;
  let closed = false;
  let startupFailures = 0;
  let broken: Error | undefined;

  const spawnWorker = (index: number): Slot<In> => {
    const worker = new Worker(url, { ...workerOptions, type: "module" });
    const slot: Slot<In> = { index, worker, jobs: new Map(), ready: false };
    worker.onmessage = (e: MessageEvent) => onReply(slot, e.data as BatchReply);
    worker.onerror = (e: ErrorEvent) => {
      e.preventDefault(); // otherwise the error propagates and kills the main thread
      replace(slot, new Error(`worker ${index} crashed: ${e.message}`));
    };
    worker.onmessageerror = () => replace(slot, new Error(`worker ${index} sent an unreadable message`));
    return slot;
  };

  const replace = (slot: Slot<In>, error: Error) => {
    if (slots[slot.index] !== slot) return; // already replaced
    slot.worker.terminate();
    if (!slot.ready && ++startupFailures >= 3) {
      // The module itself does not load: replacing it again would loop. Fail the actor instead.
      if (broken === undefined) {
        const cause = error;
        broken = new Error(`worker module ${url} failed to start 3 times: ${error.message}`, { cause });
        queueMicrotask(() => ctx.fail(broken));
      }
    }
    stats.replacements++;
    ctx.metrics.count("worker_replacements");
    ctx.log.warn("worker replaced", { worker: slot.index, error });
    const orphans = [...slot.jobs.values()];
    slot.jobs.clear();
    slots[slot.index] = closed || broken !== undefined ? slot : spawnWorker(slot.index);
    for (const job of orphans) failed(job, error);
  };

  const dispatch = (job: Job<In>) => {
    let slot = slots[0];
    for (const s of slots) if (s.jobs.size < slot.jobs.size) slot = s;
    job.id = nextId++;
    job.slot = slot;
    slot.jobs.set(job.id, job);
    if (slot.ready) armTimer(slot, job);
    try {
      const { payload, transfer } = encode(job.batch);
      const req: BatchRequest = { kind: "batch", id: job.id, payload };
      slot.worker.postMessage(req, transfer ?? []);
    } catch (error) {
      // Not cloneable / encode bug: retrying cannot help.
      slot.jobs.delete(job.id);
      clearTimeout(job.timer);
      job.attempts = 2;
      failed(job, error);
    }
  };

  const armTimer = (slot: Slot<In>, job: Job<In>) => {
    job.timer = setTimeout(
      () => replace(slot, new Error(`worker ${slot.index} gave no reply within ${batchTimeoutMs} ms`)),
      batchTimeoutMs,
    );
  };

  const onReply = (slot: Slot<In>, reply: BatchReply) => {
    if (reply?.kind === "ready") {
      slot.ready = true;
      startupFailures = 0;
      for (const job of slot.jobs.values()) armTimer(slot, job);
      return;
    }
    const job = slot.jobs.get(reply?.id);
    if (job === undefined) return; // a reply for a job already given up on
    slot.jobs.delete(job.id);
    clearTimeout(job.timer);
    if (reply.kind === "result") {
      let results: Out[];
      try {
        results = decode(reply.payload, job.batch);
      } catch (error) {
        job.attempts = 2;
        failed(job, error);
        return;
      }
      finish(job, results);
    } else {
      const error = new Error(reply.error?.message ?? "worker handler failed");
      error.name = reply.error?.name ?? "Error";
      failed(job, error);
    }
  };

  const failed = (job: Job<In>, error: unknown) => {
    clearTimeout(job.timer);
    if (job.attempts < 2 && !closed && broken === undefined) {
      job.attempts++;
      stats.retries++;
      ctx.metrics.count("batch_retries");
      dispatch(job);
      return;
    }
    for (const msg of job.batch) ctx.deadLetter(msg, "failed", error);
    finish(job, undefined);
  };

  const finish = (job: Job<In>, results: Out[] | undefined) => {
    finished.set(job.seq, { results, batch: job.batch });
    void emit();
  };

  const emit = async () => {
    if (emitting) return;
    emitting = true;
    try {
      for (let done = finished.get(nextEmit); done !== undefined; done = finished.get(nextEmit)) {
        finished.delete(nextEmit);
        nextEmit++;
        if (done.results !== undefined) {
          try {
            await onResults(done.results, done.batch);
          } catch (error) {
            for (const r of done.results) ctx.deadLetter(r, "undeliverable", error);
          }
        }
        stats.inFlight--;
        ctx.metrics.gauge("in_flight_batches", stats.inFlight);
        const w = roomWaiter;
        roomWaiter = undefined;
        w?.();
        if (stats.inFlight === 0) {
          const i = idleWaiter;
          idleWaiter = undefined;
          i?.();
        }
      }
    } finally {
      emitting = false;
    }
  };

  const submit = (batch: In[]) => {
    stats.inFlight++;
    ctx.metrics.gauge("in_flight_batches", stats.inFlight);
    dispatch({ id: 0, seq: nextSeq++, batch, attempts: 1 });
  };

  const drainAndClose = async () => {
    if (stats.inFlight > 0) await new Promise<void>((resolve) => idleWaiter = resolve);
    closed = true;
    for (const s of slots) {
      for (const job of s.jobs.values()) clearTimeout(job.timer);
      s.worker.terminate();
    }
  };

  for (let i = 0; i < workers; i++) slots.push(spawnWorker(i));

  return {
    stats,
    killWorker(index: number) {
      const slot = slots[index];
      if (slot !== undefined) replace(slot, new Error(`worker ${index} killed`));
    },
    receiveBatch(batch: In[]): void | Promise<void> {
      if (broken !== undefined) throw broken;
      if (stats.inFlight < maxInFlight) {
        submit(batch);
        return;
      }
      return new Promise<void>((resolve) => {
        roomWaiter = () => {
          submit(batch);
          resolve();
        };
      });
    },
    preRestart: drainAndClose,
    postStop: drainAndClose,
  };
}
