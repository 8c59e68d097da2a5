/**
 * `deno task train`: rebuilds the classifier from scratch.
 *
 * 1. Builds the training set with the TypeScript feature code (`models/build_training_set.ts`).
 * 2. Creates `.vigil/venv` with the pinned `models/requirements.txt` when missing.
 * 3. Fits and exports ONNX with scikit-learn + skl2onnx (`models/train_model.py`).
 * 4. Writes `models/classifier.onnx` and `models/classifier.meta.json` (model version, feature-spec id,
 *    coefficients, data manifest, holdout metrics).
 *
 * The model card's figures come from the incident evaluation (`models/evaluate_incidents.ts`), run on its own:
 * the model is one detector's line scorer, so it is judged by the incidents it helps open, not here.
 *
 * Options: `--python PATH` (default `python3`), `--out DIR` (write `classifier.onnx` and
 * `classifier.meta.json` to DIR instead of `models/`, for experiments).
 *
 * @module
 */
import { FEATURE_DIM, FEATURE_NAMES, FEATURE_SPEC_ID } from "../lib/classification/feature_spec.ts";
import { buildTrainingSet } from "../models/build_training_set.ts";
import { TRAINING_SOURCES } from "../models/training_sources.ts";
import { handleArgs, parseCliArgs } from "../lib/cli/cli_args.ts";

const repo = new URL("../", import.meta.url);
const models = new URL("models/", repo);
const work = new URL(".vigil/train/", repo);
const venv = new URL(".vigil/venv/", repo);
const loghub = new URL("../shared/loghub/", repo);

async function run(cmd: string, args: string[]): Promise<void> {
  const out = await new Deno.Command(cmd, { args, stdout: "inherit", stderr: "inherit" }).output();
  if (!out.success) throw new Error(`${cmd} ${args.join(" ")} failed with exit code ${out.code}`);
}

async function exists(url: URL): Promise<boolean> {
  try {
    await Deno.stat(url);
    return true;
  } catch {
    return false;
  }
}

/** `deno task train --help`. */
export const TRAIN_HELP = `Usage: deno task train [--python PATH] [--out DIR]

Rebuilds the classifier from scratch: builds the training set with the TypeScript feature code, creates
.vigil/venv with the pinned models/requirements.txt when missing, fits and exports ONNX with scikit-learn +
skl2onnx, and writes classifier.onnx and classifier.meta.json. Needs python3 with venv and the Loghub samples in
../shared/loghub/. Takes minutes.

Options:
  --python PATH          the Python that creates .vigil/venv (default python3)
  --out DIR              write classifier.onnx and classifier.meta.json to DIR instead of models/ (experiments)
  -h, --help             this help

Examples:
  deno task train
  deno task train --out /tmp/model-try --python python3.12
`;

/** Parsed `train` command line. */
export interface TrainArgs {
  python: string;
  out?: string;
}

/** Parses `train` arguments. @throws {UsageError} on an unknown option or a missing value */
export function parseTrainArgs(args: readonly string[]): TrainArgs {
  const { values } = parseCliArgs({
    args: [...args],
    options: { python: { type: "string", default: "python3" }, out: { type: "string" } },
  });
  return { python: values.python ?? "python3", out: values.out };
}

async function main(args: TrainArgs): Promise<void> {
  const python = args.python;
  const out = args.out !== undefined
    ? new URL(`${args.out.replace(/\/?$/, "/")}`, `file://${Deno.cwd()}/`)
    : models;
  console.log("train: building the training set with the TypeScript feature code…");
  const set = await buildTrainingSet(loghub);
  await Deno.mkdir(work, { recursive: true });
  await Deno.writeFile(new URL("features.f32", work), new Uint8Array(set.features.buffer));
  await Deno.writeFile(new URL("labels.u8", work), set.labels);
  await Deno.writeFile(new URL("sources.u8", work), set.sources);
  const holdout = TRAINING_SOURCES.flatMap((s, i) => (s.name === "synthetic:windows:14" ? [i] : []));
  await Deno.writeTextFile(
    new URL("meta_in.json", work),
    JSON.stringify({
      dim: FEATURE_DIM,
      names: FEATURE_NAMES,
      holdout,
      kinds: TRAINING_SOURCES.map((s) => s.kind),
    }),
  );
  console.log(`train: ${set.rows} rows, ${set.labels.filter((y) => y === 1).length} positives`);

  const venvPython = new URL("bin/python", venv).pathname;
  if (!(await exists(new URL("bin/python", venv)))) {
    console.log("train: creating .vigil/venv with models/requirements.txt…");
    await run(python, ["-m", "venv", venv.pathname]);
  }
  await run(venvPython, ["-m", "pip", "install", "-q", "-r", new URL("requirements.txt", models).pathname]);

  await Deno.mkdir(out, { recursive: true });
  const onnxPath = new URL("classifier.onnx", out);
  const reportPath = new URL("report.json", work);
  await run(venvPython, [
    new URL("train_model.py", models).pathname,
    work.pathname,
    onnxPath.pathname,
    reportPath.pathname,
  ]);
  const onnx = await Deno.readFile(onnxPath);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", onnx));
  const hex = [...digest.slice(0, 6)].map((b) => b.toString(16).padStart(2, "0")).join("");
  const report = JSON.parse(await Deno.readTextFile(reportPath));
  const meta = {
    modelVersion: `vigil-gbt-${hex}`,
    featureSpec: FEATURE_SPEC_ID,
    featureDim: FEATURE_DIM,
    onnxSha256: [...digest].map((b) => b.toString(16).padStart(2, "0")).join(""),
    algorithm: report.algorithm,
    input: "features",
    output: "probabilities",
    trainedOn: set.manifest,
    holdout: report.holdout,
    intercept: report.intercept,
    coefficients: report.coefficients,
  };
  await Deno.writeTextFile(new URL("classifier.meta.json", out), JSON.stringify(meta, null, 1) + "\n");
  console.log(`train: wrote ${onnxPath.pathname} (${onnx.length} bytes), ${meta.modelVersion}`);
  if (out !== models) return;
  // Keep the generated JSON in the repository's format (`deno fmt --check` runs in CI).
  await run(Deno.execPath(), ["fmt", "--quiet", new URL("classifier.meta.json", models).pathname]);
}

if (import.meta.main) {
  const parsed = handleArgs("train", TRAIN_HELP, Deno.args, parseTrainArgs);
  if ("exit" in parsed) Deno.exit(parsed.exit);
  await main(parsed.args);
}
