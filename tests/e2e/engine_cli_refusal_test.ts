/**
 * `deno task engine` with a corrupt model: it refuses to start in one clear line naming the file and the
 * expected feature spec, and exits 1 (no stack trace, nothing consumed).
 */
import assert from "node:assert/strict";
import { namespaceEnv, testNamespace } from "../../testing/test_namespace.ts";
import { dropTestNamespace } from "../../testing/drop_test_namespace.ts";

Deno.test("deno task engine refuses a corrupt model in one line and exits 1", async () => {
  const dir = await Deno.makeTempDir({ prefix: "vigil-model-" });
  // Whatever the engine might create before it refuses goes to a test namespace, never the product's.
  const ns = testNamespace("refusal");
  try {
    const model = `${dir}/classifier.onnx`;
    await Deno.writeFile(model, crypto.getRandomValues(new Uint8Array(4096)));
    await Deno.writeTextFile(`${dir}/classifier.meta.json`, "{ not json");
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "cli/engine.ts"],
      cwd: new URL("../../", import.meta.url).pathname,
      env: {
        ...namespaceEnv(ns),
        VIGIL_CLASSIFIER_MODEL_PATH: model,
        VIGIL_KAFKA_TOPIC: `test.refusal.${crypto.randomUUID().slice(0, 8)}`,
        VIGIL_ENGINE_METRICS_PORT: "19465",
        NO_COLOR: "1",
      },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(out.stderr).trim();
    assert.equal(out.code, 1, stderr);
    assert.match(stderr, /^vigil engine: cannot start: Cannot load classifier model /);
    assert.ok(stderr.includes(model), "names the file");
    assert.match(stderr, /expected feature spec vigil-features@\d+#[0-9a-f]+/);
    assert.ok(!/^\s+at /m.test(stderr), "no stack trace");
  } finally {
    await Deno.remove(dir, { recursive: true });
    await dropTestNamespace(ns);
  }
});
