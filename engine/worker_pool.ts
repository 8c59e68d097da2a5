/**
 * An actor whose batches run in N Web Workers, with a bounded in-flight window and results emitted in input
 * order (so per-key order survives the parallelism).
 *
 * - Window: at most `maxInFlight` batches are dispatched and not yet emitted; `receiveBatch` returns at once
 *   while there is room and waits otherwise — that wait is the backpressure to the mailbox and upstream.
 * - A worker that dies (uncaught error), hangs (no reply within `batchTimeoutMs`; a worker that closed itself
 *   looks like this) or is killed (`killWorker`) is terminated and replaced, and every batch it held is
 *   dispatched again. Only the batch it was scoring when it crashed or hung is charged with a failure; a batch
 *   charged twice, or whose handler throws twice (error replies), is dead-lettered. Batches merely queued in a
 *   dying worker, and every batch of a killed one, are never charged: however often workers die, they are
 *   emitted exactly once. (Charging every queued batch made a second kill within a fresh worker's warm-up —
 *   ~1.5 s loading the model — dead-letter batches that had never been scored: issue 21.)
 * - No batch is emitted twice: replies are matched by id in a live worker, and a replaced worker's late replies
 *   are ignored. No batch is stranded: nothing is ever dispatched to a dead worker (see the invariant at the
 *   in-flight state below).
 * - A module that crashes 3 times before saying it is ready is broken: the pool stops replacing it and the
 *   actor fails (its supervisor decides), rather than looping; batches with no live worker left are
 *   dead-lettered.
 * - Generic: the worker module URL and the payload encoding are parameters; the worker calls `serveWorker`.
 *
 * @module
 */
import type { Actor } from "./actor.ts";
import type { DeadLetterRole, FailRole, LoggerRole, MetricsRole } from "./actor_context.ts";
import { type Clock, systemClock, type TimerHandle } from "./clock.ts";
import type { BatchReply, BatchRequest } from "./serve_worker.ts";

/**
 * What the pool needs of a worker: the part of `Worker` it uses. A parameter so tests can drive a fake worker
 * step by step (`engine/fake_pool_worker.ts`).
 */
export interface PoolWorker {
  onmessage: ((e: MessageEvent) => void) | null;
  onerror: ((e: ErrorEvent) => void) | null;
  onmessageerror: ((e: MessageEvent) => void) | null;
  postMessage(message: unknown, transfer: Transferable[]): void;
  terminate(): void;
}

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
  /** Starts worker `index` (its first one, or a replacement). Default: `new Worker(url, options)`. */
  createWorker?: (url: string | URL, options: WorkerOptions, index: number) => PoolWorker;
  /** The time source of batch timeouts. Default: the system clock. */
  clock?: Clock;
}

interface Job<In> {
  id: number;
  seq: number;
  batch: In[];
  /**
   * Failures this batch brought on itself: an error reply for it, or its worker crashing or hanging while
   * scoring it. A worker's death is not held against the batches merely queued in it, nor is a kill.
   */
  faults: number;
  slot?: Slot<In>;
  timer?: TimerHandle;
}

interface Slot<In> {
  index: number;
  worker: PoolWorker;
  /** Dispatched and unanswered, in dispatch order: the worker scores one at a time, so the first is in progress. */
  jobs: Map<number, Job<In>>;
  /** The worker said it is loaded; batch timeouts run only from then on. */
  ready: boolean;
  /** Terminated: nothing is dispatched to it, and what it still says (late replies, `ready`) is ignored. */
  dead: boolean;
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
    createWorker = (u: string | URL, o: WorkerOptions): PoolWorker => new Worker(u, o),
    clock = systemClock,
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
  // In-flight state. INVARIANT: every batch accepted by `submit` (seq < nextSeq) is, at every moment between
  // two events, in exactly one of
  //   (a) `jobs` of exactly one live slot (not `dead`), under its current id — dispatched, awaiting a reply;
  //   (b) `finished`, under its seq — with results, or `undefined` once dead-lettered;
  //   (c) emitted: seq < nextEmit (handed to `onResults`, or its dead letters published).
  // and `stats.inFlight` counts (a) + (b) + the one `emit` is handing on. Every move between them is one
  // synchronous step: a slot is marked dead and its jobs taken out of `jobs` in the same step that re-dispatches
  // them (to a live slot) or dead-letters them (to `finished`), so no batch is ever in none of the places
  // (stranded: it would block every later seq and the offsets behind it) or in two (emitted twice). Replies are
  // matched by id in a live slot only, so a dead worker's late reply cannot finish a batch already re-dispatched.
  // A batch is dead-lettered only when it failed twice on its own account (`Job.faults`), when its decode
  // throws, or when no live worker is left (the module is broken or the pool closed): a worker killed or crashed
  // under batches that were merely queued in it re-dispatches them without counting it against them.
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
    const worker = createWorker(url, { ...workerOptions, type: "module" }, index);
    const slot: Slot<In> = { index, worker, jobs: new Map(), ready: false, dead: false };
    worker.onmessage = (e: MessageEvent) => onReply(slot, e.data as BatchReply);
    worker.onerror = (e: ErrorEvent) => {
      e.preventDefault(); // otherwise the error propagates and kills the main thread
      replace(slot, new Error(`worker ${index} crashed: ${e.message}`), "crashed");
    };
    worker.onmessageerror = () =>
      replace(slot, new Error(`worker ${index} sent an unreadable message`), "crashed");
    return slot;
  };

  const breakPool = (error: Error) => {
    if (broken !== undefined) return;
    broken = error;
    queueMicrotask(() => ctx.fail(error));
  };

  /**
   * Terminates a slot's worker, starts its replacement, and re-dispatches the batches it held. `crashed` and
   * `hung` count against the batch it was scoring (the first of its jobs, once it was ready); `killed` (a
   * drill, an operator) against none.
   */
  const replace = (slot: Slot<In>, error: Error, how: "crashed" | "hung" | "killed") => {
    if (slot.dead) return; // already replaced
    slot.dead = true;
    slot.worker.terminate();
    const orphans = [...slot.jobs.values()];
    slot.jobs.clear();
    for (const job of orphans) clock.clearTimeout(job.timer);
    if (!slot.ready && how === "crashed" && ++startupFailures >= 3) {
      // The module itself does not load: replacing it again would loop. Fail the actor instead.
      breakPool(
        new Error(`worker module ${url} failed to start 3 times: ${error.message}`, { cause: error }),
      );
    }
    stats.replacements++;
    ctx.metrics.count("worker_replacements");
    ctx.log.warn("worker replaced", { worker: slot.index, error });
    if (!closed && broken === undefined) {
      try {
        slots[slot.index] = spawnWorker(slot.index);
      } catch (spawnError) {
        // No replacement: the orphans go to the live workers left, or to dead letters — never nowhere.
        breakPool(
          new Error(`cannot start worker ${slot.index}: ${String(spawnError)}`, { cause: spawnError }),
        );
      }
    }
    orphans.forEach((job, i) => {
      if (i === 0 && slot.ready && how !== "killed") failed(job, error);
      else retry(job);
    });
  };

  const dispatch = (job: Job<In>) => {
    let slot: Slot<In> | undefined;
    for (const s of slots) if (!s.dead && (slot === undefined || s.jobs.size < slot.jobs.size)) slot = s;
    if (slot === undefined) {
      // A dead slot is never a destination: its worker would never answer and the batch would be stranded.
      deadLetter(job, broken ?? new Error("the worker pool is closed"));
      return;
    }
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
      clock.clearTimeout(job.timer);
      deadLetter(job, error);
    }
  };

  const armTimer = (slot: Slot<In>, job: Job<In>) => {
    job.timer = clock.setTimeout(
      () =>
        replace(slot, new Error(`worker ${slot.index} gave no reply within ${batchTimeoutMs} ms`), "hung"),
      batchTimeoutMs,
    );
  };

  const onReply = (slot: Slot<In>, reply: BatchReply) => {
    if (slot.dead) return; // a worker declared dead: its batches were re-dispatched, its word no longer counts
    if (reply?.kind === "ready") {
      slot.ready = true;
      startupFailures = 0;
      for (const job of slot.jobs.values()) armTimer(slot, job);
      return;
    }
    const job = slot.jobs.get(reply?.id);
    if (job === undefined) return; // not ours (a protocol error): nothing to finish
    slot.jobs.delete(job.id);
    clock.clearTimeout(job.timer);
    if (reply.kind === "result") {
      let results: Out[];
      try {
        results = decode(reply.payload, job.batch);
      } catch (error) {
        deadLetter(job, error); // main-thread code on a good reply: a retry would throw again
        return;
      }
      finish(job, results);
    } else {
      const error = new Error(reply.error?.message ?? "worker handler failed");
      error.name = reply.error?.name ?? "Error";
      failed(job, error);
    }
  };

  /** The batch failed on its own account: retried once, then dead-lettered. */
  const failed = (job: Job<In>, error: unknown) => {
    clock.clearTimeout(job.timer);
    if (++job.faults < 2) retry(job);
    else deadLetter(job, error);
  };

  /** Dispatches a batch again (to a live worker, or to dead letters when none is left). */
  const retry = (job: Job<In>) => {
    stats.retries++;
    ctx.metrics.count("batch_retries");
    dispatch(job);
  };

  const deadLetter = (job: Job<In>, error: unknown) => {
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
    dispatch({ id: 0, seq: nextSeq++, batch, faults: 0 });
  };

  const drainAndClose = async () => {
    if (stats.inFlight > 0) await new Promise<void>((resolve) => idleWaiter = resolve);
    closed = true;
    for (const s of slots) {
      for (const job of s.jobs.values()) clock.clearTimeout(job.timer);
      s.dead = true;
      s.worker.terminate();
    }
  };

  for (let i = 0; i < workers; i++) slots.push(spawnWorker(i));

  return {
    stats,
    killWorker(index: number) {
      const slot = slots[index];
      if (slot !== undefined) replace(slot, new Error(`worker ${index} killed`), "killed");
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
