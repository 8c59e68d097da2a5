/**
 * Scores feature batches in one dedicated Web Worker running the classifier worker module (the same module the
 * engine's pool runs), speaking the `serveWorker` protocol. Used by `deno task classify` and tests, where one
 * worker and one batch at a time are enough; the engine uses the supervised pool (`actors/classifier_pool.ts`).
 *
 * @module
 */
import type { BatchReply } from "../../engine/serve_worker.ts";

/**
 * Scores a row-major feature batch (may take ownership of the buffer): what the offline judging loops take, so
 * a `WorkerScorer`, an in-thread `OnnxScorer` or a test stub can stand behind them.
 */
export type BatchScorer = (features: Float32Array, rows: number) => Promise<Float32Array>;

/** Default worker module: `actors/classifier_worker.ts`. */
export const CLASSIFIER_WORKER_URL = new URL("../../actors/classifier_worker.ts", import.meta.url);

/** One worker, one request at a time. */
export class WorkerScorer {
  readonly #worker: Worker;
  readonly #model: string;
  #nextId = 1;
  readonly #pending = new Map<number, { resolve: (s: Float32Array) => void; reject: (e: Error) => void }>();
  #dead: Error | undefined;

  /**
   * @param modelPath the verified model file the worker loads.
   * @param url the worker module (default {@link CLASSIFIER_WORKER_URL}).
   */
  constructor(modelPath: string, url: URL = CLASSIFIER_WORKER_URL) {
    this.#model = modelPath;
    this.#worker = new Worker(url, { type: "module" });
    this.#worker.onmessage = (e: MessageEvent) => {
      const r = e.data as BatchReply;
      if (r.kind === "ready") return;
      const p = this.#pending.get(r.id);
      if (p === undefined) return;
      this.#pending.delete(r.id);
      if (r.kind === "result") p.resolve(r.payload as Float32Array);
      else p.reject(Object.assign(new Error(r.error.message), { name: r.error.name }));
    };
    this.#worker.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      this.#dead = new Error(`classifier worker crashed: ${e.message}`);
      for (const p of this.#pending.values()) p.reject(this.#dead);
      this.#pending.clear();
    };
  }

  /**
   * Scores `rows` rows (the buffer is transferred to the worker: do not reuse it).
   * @throws {Error} when the worker crashed or the model could not be loaded.
   */
  score(features: Float32Array, rows: number): Promise<Float32Array> {
    if (this.#dead) return Promise.reject(this.#dead);
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ kind: "batch", id, payload: { model: this.#model, features, rows } }, [
        features.buffer,
      ]);
    });
  }

  /** Terminates the worker. */
  close(): void {
    this.#worker.terminate();
    for (const p of this.#pending.values()) p.reject(new Error("classifier worker closed"));
    this.#pending.clear();
  }
}
