/**
 * A worker for {@link workerPool} tests that does nothing on its own: the test decides, step by step, when it
 * says it is ready, when it scores the batch at the head of its queue, when each reply reaches the pool, and
 * when it dies. So a batch's whole life (queued, being scored, scored with the reply in transit, replied) can be
 * interrupted at a precise point, deterministically, without threads.
 *
 * Like a worker running `serveWorker`, it handles batches one at a time in arrival order; replies are queued in
 * `outbox` until {@link FakePoolWorker.deliver} hands them to the pool — also after `terminate()`, which is how
 * a late reply from a worker the pool already declared dead is simulated.
 *
 * @module
 */
import type { PoolWorker } from "./worker_pool.ts";
import type { BatchReply, BatchRequest } from "./serve_worker.ts";

/**
 * A scripted pool worker (see module doc).
 *
 * @example
 * ```ts ignore
 * const workers: FakePoolWorker[] = [];
 * workerPool(ctx, { url: "fake:", createWorker: (_u, _o, i) => { const w = new FakePoolWorker(i); workers.push(w); return w; }, ... });
 * workers[0].ready(); workers[0].score(); workers[0].deliverAll();
 * ```
 */
export class FakePoolWorker implements PoolWorker {
  onmessage: ((e: MessageEvent) => void) | null = null;
  onerror: ((e: ErrorEvent) => void) | null = null;
  onmessageerror: ((e: MessageEvent) => void) | null = null;
  /** Batches received and not yet scored; the head is the one being scored. */
  readonly inbox: BatchRequest[] = [];
  /** Replies posted and not yet delivered to the pool. */
  readonly outbox: BatchReply[] = [];
  /** The payload of every request scored so far, by request id (to tell which batch a reply is for). */
  readonly scored = new Map<number, unknown>();
  terminated = false;
  /** Whether it has said it is ready. */
  isReady = false;

  /** @param index the pool slot it was started for */
  constructor(readonly index: number) {}

  postMessage(message: unknown): void {
    // A terminated worker's port is closed: what is posted to it is lost, as with a real Worker.
    if (!this.terminated) this.inbox.push(message as BatchRequest);
  }

  terminate(): void {
    this.terminated = true;
  }

  /** Says it is ready (delivered at once, like the first message of a loaded module). */
  ready(): void {
    if (this.isReady || this.terminated) return;
    this.isReady = true;
    this.#emit({ kind: "ready" });
  }

  /**
   * Scores the head batch: queues its reply (`map` applied to the payload) or, with `fail`, an error reply.
   * @returns false when there is nothing to score (or it is dead)
   */
  score(map: (payload: unknown) => unknown = (p) => p, fail = false): boolean {
    if (this.terminated || !this.isReady) return false;
    const req = this.inbox.shift();
    if (req === undefined) return false;
    this.scored.set(req.id, req.payload);
    this.outbox.push(
      fail
        ? { kind: "error", id: req.id, error: { name: "Error", message: "handler failed on purpose" } }
        : { kind: "result", id: req.id, payload: map(req.payload) },
    );
    return true;
  }

  /** Delivers the oldest queued reply to the pool (even when terminated: a late reply). */
  deliver(): boolean {
    const reply = this.outbox.shift();
    if (reply === undefined) return false;
    this.#emit(reply);
    return true;
  }

  /** Delivers every queued reply. */
  deliverAll(): void {
    while (this.deliver());
  }

  /** Dies of an uncaught error, as a real worker reports it (`onerror`). */
  crash(message = "worker died on purpose"): void {
    if (this.terminated) return;
    const event = new ErrorEvent("error", { message, cancelable: true });
    this.onerror?.(event);
  }

  /** The request at the head of the queue (being scored), if any. */
  get head(): BatchRequest | undefined {
    return this.inbox[0];
  }

  #emit(data: BatchReply): void {
    this.onmessage?.(new MessageEvent("message", { data }));
  }
}
