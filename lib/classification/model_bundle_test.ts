import assert from "node:assert/strict";
import { FEATURE_SPEC_ID } from "./feature_spec.ts";
import { DEFAULT_MODEL_URL, loadModelBundle, ModelLoadError } from "./model_bundle.ts";

Deno.test("model bundle: the shipped model matches this code's feature spec", async () => {
  const b = await loadModelBundle();
  assert.equal(b.meta.featureSpec, FEATURE_SPEC_ID);
  assert.ok(b.onnx.length < 500_000, "the committed model stays small");
});

Deno.test("model bundle: a model made for another spec, a corrupt file or a missing one is refused by name", async () => {
  const dir = await Deno.makeTempDir();
  const onnx = await Deno.readFile(DEFAULT_MODEL_URL);
  const meta = JSON.parse(
    await Deno.readTextFile(DEFAULT_MODEL_URL.pathname.replace(/\.onnx$/, ".meta.json")),
  );
  await Deno.writeFile(`${dir}/m.onnx`, onnx);
  await Deno.writeTextFile(
    `${dir}/m.meta.json`,
    JSON.stringify({ ...meta, featureSpec: "vigil-features@0#0" }),
  );
  await assert.rejects(() => loadModelBundle(`${dir}/m.onnx`), (e: Error) => {
    assert.ok(e instanceof ModelLoadError);
    assert.ok(e.message.includes(`${dir}/m.onnx`) && e.message.includes(FEATURE_SPEC_ID), e.message);
    return true;
  });
  await Deno.writeTextFile(`${dir}/m.meta.json`, JSON.stringify(meta));
  await Deno.writeFile(`${dir}/m.onnx`, onnx.slice(0, onnx.length - 10));
  await assert.rejects(() => loadModelBundle(`${dir}/m.onnx`), /do not match the SHA-256/);
  await assert.rejects(() => loadModelBundle(`${dir}/none.onnx`), ModelLoadError);
  await Deno.remove(dir, { recursive: true });
});
