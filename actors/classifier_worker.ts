/**
 * The classifier pool's Web Worker: scores feature batches with the ONNX model on onnxruntime-web (WASM, one
 * thread). onnxruntime-web is imported here only — it replaces `globalThis.Worker` in the thread that loads it.
 *
 * Request payload: {@link ScoreRequest}; reply: a `Float32Array` of scores (transferred). The model is loaded and
 * verified on the first request (and kept for the worker's life), from the path the request names.
 *
 * @module
 */
import * as ort from "onnxruntime-web";
import { serveWorker, withTransfer } from "../engine/serve_worker.ts";
import { loadModelBundle } from "../lib/classification/model_bundle.ts";
import { OnnxScorer, type OrtModule } from "../lib/classification/onnx_scorer.ts";

/** What the pool sends: a model path and a row-major feature batch. */
export interface ScoreRequest {
  model: string;
  features: Float32Array;
  rows: number;
}

let scorer: Promise<OnnxScorer> | undefined;
let loaded = "";

serveWorker(async (payload) => {
  const req = payload as ScoreRequest;
  if (req === null || typeof req !== "object" || !(req.features instanceof Float32Array)) {
    throw new TypeError("Cannot score a batch as the payload is not a ScoreRequest");
  }
  if (scorer === undefined || loaded !== req.model) {
    loaded = req.model;
    scorer = loadModelBundle(req.model).then((b) =>
      OnnxScorer.create(ort as unknown as OrtModule, b.onnx, b.meta)
    );
    scorer.catch(() => scorer = undefined);
  }
  const scores = await (await scorer).score(req.features, req.rows);
  return withTransfer(scores, [scores.buffer]);
});
