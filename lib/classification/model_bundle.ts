/**
 * Loads the classifier's model bundle — `classifier.onnx` and its `classifier.meta.json` — and refuses one that
 * does not fit this code: a feature spec other than {@link FEATURE_SPEC_ID}, a different input width, or an ONNX
 * file whose bytes do not match the recorded SHA-256 (truncated or corrupt).
 *
 * @module
 */
import { FEATURE_DIM, FEATURE_SPEC_ID } from "./feature_spec.ts";

/** What `deno task train` records beside the ONNX file (the fields the runtime reads). */
export interface ModelMeta {
  modelVersion: string;
  featureSpec: string;
  featureDim: number;
  onnxSha256: string;
  input: string;
  output: string;
  /** Logistic-regression coefficients by feature name (for reasons); optional for other model kinds. */
  coefficients?: Record<string, number>;
  intercept?: number;
}

/** A loaded, verified bundle. */
export interface ModelBundle {
  onnx: Uint8Array;
  meta: ModelMeta;
  /** Where it was loaded from (for messages). */
  path: string;
}

/** The model file does not fit this code (wrong spec, corrupt, unreadable). */
export class ModelLoadError extends Error {
  /** @param message what is wrong, naming the file and what was expected */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ModelLoadError";
  }
}

/** The default model: `models/classifier.onnx` in this repository. */
export const DEFAULT_MODEL_URL = new URL("../../models/classifier.onnx", import.meta.url);

/**
 * Loads and verifies a bundle.
 * @param onnxPath the `.onnx` file (path or URL); its metadata is `<same name>.meta.json`.
 * @throws {ModelLoadError} when a file is missing or unreadable, the spec or width differs, or the hash differs.
 */
export async function loadModelBundle(onnxPath: string | URL = DEFAULT_MODEL_URL): Promise<ModelBundle> {
  const path = onnxPath instanceof URL ? onnxPath.pathname : onnxPath;
  const metaPath = path.replace(/\.onnx$/, "") + ".meta.json";
  let onnx: Uint8Array;
  let meta: ModelMeta;
  try {
    onnx = await Deno.readFile(path);
  } catch (cause) {
    throw new ModelLoadError(`Cannot load classifier model ${path}: ${(cause as Error).message}`, { cause });
  }
  try {
    meta = JSON.parse(await Deno.readTextFile(metaPath));
  } catch (cause) {
    throw new ModelLoadError(
      `Cannot load classifier model ${path} as its metadata ${metaPath} is missing or not JSON (expected feature spec ${FEATURE_SPEC_ID}): ${
        (cause as Error).message
      }`,
      { cause },
    );
  }
  return verifyModelBundle({ onnx, meta, path }, metaPath);
}

/**
 * Verifies a bundle already in memory (workers receive bytes, not paths).
 * @throws {ModelLoadError} on a spec, width or hash mismatch.
 */
export async function verifyModelBundle(bundle: ModelBundle, metaPath = bundle.path): Promise<ModelBundle> {
  const { meta, path, onnx } = bundle;
  if (meta === null || typeof meta !== "object" || meta.featureSpec !== FEATURE_SPEC_ID) {
    throw new ModelLoadError(
      `Cannot load classifier model ${path} as it was trained on feature spec ${
        String(meta?.featureSpec)
      } (from ${metaPath}) but this code computes feature spec ${FEATURE_SPEC_ID}: retrain with \`deno task train\``,
    );
  }
  if (meta.featureDim !== FEATURE_DIM) {
    throw new ModelLoadError(
      `Cannot load classifier model ${path} as it expects ${meta.featureDim} features, not ${FEATURE_DIM} (feature spec ${FEATURE_SPEC_ID})`,
    );
  }
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", onnx as Uint8Array<ArrayBuffer>));
  const hex = [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
  if (hex !== meta.onnxSha256) {
    throw new ModelLoadError(
      `Cannot load classifier model ${path} as its bytes do not match the SHA-256 recorded in ${metaPath} (corrupt or replaced file; expected feature spec ${FEATURE_SPEC_ID})`,
    );
  }
  return bundle;
}
