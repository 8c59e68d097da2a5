/**
 * The worker side of {@link workerPool}: call `serveWorker(handler)` at the top level of the worker module.
 * Batches are handled one at a time, in arrival order (an inference session is rarely re-entrant). Keep heavy
 * libraries (onnxruntime-web) imported here, inside the worker: never in the main thread.
 *
 * Protocol (structured clone): worker → main `{ kind: "ready" }` once loaded; main → worker
 * `{ kind: "batch", id, payload }`; worker → main `{ kind: "result", id, payload }` or
 * `{ kind: "error", id, error: { name, message } }`.
 *
 * @module
 */

/** A message from the pool to a worker. */
export interface BatchRequest {
  kind: "batch";
  id: number;
  payload: unknown;
}

/** A message from a worker to the pool. */
export type BatchReply =
  | { kind: "ready" }
  | { kind: "result"; id: number; payload: unknown }
  | { kind: "error"; id: number; error: { name: string; message: string } };

/** What a handler may return: the reply payload, optionally with transferables (e.g. typed-array buffers). */
export type HandlerResult = unknown | { payload: unknown; transfer: Transferable[] };

/** The worker's scope, as far as this protocol needs it. */
interface WorkerScope {
  onmessage: ((e: MessageEvent) => void) | null;
  postMessage(msg: unknown, transfer?: Transferable[]): void;
}

/**
 * Serves batches in a Web Worker.
 *
 * @param handler turns one request payload into the reply payload (what the pool's `decode` reads). To
 *   transfer buffers instead of copying, return `withTransfer(payload, [buffers])`.
 *
 * @example
 * ```ts ignore
 * // double_worker.ts, started by workerPool({ url: new URL("./double_worker.ts", import.meta.url), ... })
 * import { serveWorker } from "../engine/serve_worker.ts";
 * serveWorker((batch) => (batch as number[]).map((n) => n * 2));
 * ```
 */
export function serveWorker(handler: (payload: unknown) => HandlerResult | Promise<HandlerResult>): void {
  const scope = globalThis as unknown as WorkerScope;
  let chain: Promise<void> = Promise.resolve();
  scope.onmessage = (e: MessageEvent) => {
    const req = e.data as BatchRequest;
    if (req?.kind !== "batch" || typeof req.id !== "number") return;
    chain = chain.then(async () => {
      try {
        const result = await handler(req.payload);
        if (result instanceof TransferReply) {
          scope.postMessage({ kind: "result", id: req.id, payload: result.payload }, result.transfer);
        } else scope.postMessage({ kind: "result", id: req.id, payload: result });
      } catch (err) {
        const error = err instanceof Error
          ? { name: err.name, message: err.message }
          : { name: "Error", message: String(err) };
        scope.postMessage({ kind: "error", id: req.id, error });
      }
    });
  };
  // Loading the module (and compiling it) can take seconds on a cold cache: batch timeouts start from here.
  scope.postMessage({ kind: "ready" });
}

/** A reply payload with buffers to transfer. */
export class TransferReply {
  constructor(readonly payload: unknown, readonly transfer: Transferable[]) {}
}

/**
 * Marks a reply payload whose buffers are transferred (zero-copy) instead of cloned.
 *
 * @example
 * ```ts ignore
 * serveWorker((p) => { const scores = new Float32Array(256); return withTransfer(scores, [scores.buffer]); });
 * ```
 */
export function withTransfer(payload: unknown, transfer: Transferable[]): TransferReply {
  return new TransferReply(payload, transfer);
}
