/**
 * A thin wrapper over an onnxruntime `InferenceSession` that scores feature batches. The runtime module is
 * passed in, so the same code runs onnxruntime-web (WASM, in the pool's Web Workers: it replaces
 * `globalThis.Worker` in the thread that loads it, so never import it in the main thread) and onnxruntime-node
 * (the reference in benchmarks).
 *
 * Spike findings (Deno 2.9.6, onnxruntime-web 1.30.0): with `nodeModulesDir: "auto"` Deno resolves the
 * package's `node` export (`dist/ort.node.min.mjs`), which finds `dist/ort-wasm-simd-threaded.wasm` beside
 * itself through `import.meta.url`; no `env.wasm.wasmPaths` is needed. `numThreads = 1` keeps one WASM thread
 * per worker. onnxruntime-node 1.30.0's prebuilt binary (`bin/napi-v6/linux/x64/onnxruntime_binding.node`)
 * ships in the npm package and loads although Deno skips its install script (which only fetches CUDA extras).
 *
 * @module
 */
import type { ModelMeta } from "./model_bundle.ts";

/** The subset of the onnxruntime API used here (common to onnxruntime-web and onnxruntime-node). */
export interface OrtModule {
  env: { wasm?: { numThreads?: number } };
  Tensor: new (type: "float32", data: Float32Array, dims: number[]) => unknown;
  InferenceSession: {
    create(model: Uint8Array, options?: Record<string, unknown>): Promise<OrtSession>;
  };
}

/** A session as far as the scorer uses it. */
export interface OrtSession {
  run(feeds: Record<string, unknown>): Promise<Record<string, { data: unknown; dims: readonly number[] }>>;
  release?(): Promise<void>;
}

/** Scores rows of features with an ONNX binary classifier (positive-class probability). */
export class OnnxScorer {
  readonly #ort: OrtModule;
  readonly #session: OrtSession;
  readonly #meta: ModelMeta;

  private constructor(ort: OrtModule, session: OrtSession, meta: ModelMeta) {
    this.#ort = ort;
    this.#session = session;
    this.#meta = meta;
  }

  /**
   * Creates a session.
   * @param ort the onnxruntime module (web or node).
   * @param onnx the model bytes (verified by `verifyModelBundle`).
   * @param meta the model's metadata (input/output names, width).
   */
  static async create(ort: OrtModule, onnx: Uint8Array, meta: ModelMeta): Promise<OnnxScorer> {
    if (ort.env.wasm) ort.env.wasm.numThreads = 1;
    const session = await ort.InferenceSession.create(onnx, { executionProviders: ["wasm", "cpu"] });
    return new OnnxScorer(ort, session, meta);
  }

  /**
   * Scores `rows` rows of `features` (row-major, `meta.featureDim` columns).
   * @returns one probability in [0, 1] per row.
   * @throws {RangeError} when the buffer is not `rows × featureDim` long.
   */
  async score(features: Float32Array, rows: number): Promise<Float32Array> {
    const dim = this.#meta.featureDim;
    if (features.length !== rows * dim) {
      throw new RangeError(
        `Cannot score features as the buffer must hold ${rows} × ${dim} values: current length is ${features.length}`,
      );
    }
    const out = new Float32Array(rows);
    if (rows === 0) return out;
    const tensor = new this.#ort.Tensor("float32", features, [rows, dim]);
    const result = await this.#session.run({ [this.#meta.input]: tensor });
    const probs = result[this.#meta.output].data as Float32Array;
    for (let i = 0; i < rows; i++) {
      const p = probs[i * 2 + 1];
      out[i] = p >= 0 && p <= 1 ? p : p > 1 ? 1 : 0; // NaN → 0
    }
    return out;
  }

  /** Releases the session. */
  async release(): Promise<void> {
    await this.#session.release?.();
  }
}
