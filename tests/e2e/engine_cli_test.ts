/**
 * `deno task engine` (cli/engine.ts) as an operator runs it: it refuses what it cannot work with in one clear
 * line and exits 1 (a corrupt model, a missing events topic), and an idle engine stops promptly on SIGTERM
 * (it once waited for ever on a live-frame send to a topic nobody had created).
 */
import assert from "node:assert/strict";
import { namespaceEnv, type TestNamespace, testNamespace } from "../../testing/test_namespace.ts";
import { dropTestNamespace } from "../../testing/drop_test_namespace.ts";
import { dropTopic, freshTopic } from "../../testing/kafka_test_topics.ts";
import { until } from "../../testing/until.ts";
import { createKafkaAdmin } from "../../lib/kafka/kafka_client.ts";

const root = new URL("../../", import.meta.url).pathname;

function engineCommand(ns: TestNamespace, env: Record<string, string>, piped: "piped" | "null" = "piped") {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "cli/engine.ts"],
    cwd: root,
    env: { ...namespaceEnv(ns), VIGIL_ENGINE_METRICS_PORT: "19465", NO_COLOR: "1", ...env },
    stdin: "null",
    stdout: piped,
    stderr: piped,
  });
}

Deno.test("deno task engine refuses a corrupt model in one line and exits 1", async () => {
  const dir = await Deno.makeTempDir({ prefix: "vigil-model-" });
  // Whatever the engine might create before it refuses goes to a test namespace, never the product's.
  const ns = testNamespace("refusal");
  const topic = await freshTopic(1, "refusal");
  try {
    const model = `${dir}/classifier.onnx`;
    await Deno.writeFile(model, crypto.getRandomValues(new Uint8Array(4096)));
    await Deno.writeTextFile(`${dir}/classifier.meta.json`, "{ not json");
    const out = await engineCommand(ns, {
      VIGIL_CLASSIFIER_MODEL_PATH: model,
      VIGIL_KAFKA_TOPIC: topic.kafka.topic,
    }).output();
    const stderr = new TextDecoder().decode(out.stderr).trim();
    assert.equal(out.code, 1, stderr);
    assert.match(stderr, /^vigil engine: cannot start: Cannot load classifier model /);
    assert.ok(stderr.includes(model), "names the file");
    assert.match(stderr, /expected feature spec vigil-features@\d+#[0-9a-f]+/);
    assert.ok(!/^\s+at /m.test(stderr), "no stack trace");
  } finally {
    await Deno.remove(dir, { recursive: true });
    await dropTopic(topic);
    await dropTestNamespace(ns);
  }
});

Deno.test("deno task engine refuses an events topic that does not exist, in one line naming it, and exits 1", async () => {
  const ns = testNamespace("notopic");
  const topic = `test.missing.${crypto.randomUUID().slice(0, 8)}`;
  try {
    const out = await engineCommand(ns, { VIGIL_KAFKA_TOPIC: topic }).output();
    const stderr = new TextDecoder().decode(out.stderr).trim();
    assert.equal(out.code, 1, stderr);
    assert.match(
      stderr,
      new RegExp(`^vigil engine: cannot start: topic ${topic.replaceAll(".", "\\.")} does not exist`),
    );
    assert.ok(!/^\s+at /m.test(stderr), "no stack trace");
  } finally {
    await dropTestNamespace(ns);
  }
});

Deno.test("deno task engine, idle on an empty topic, creates the live topic and stops on SIGTERM within seconds (exit 0)", async () => {
  const ns = testNamespace("sigterm");
  const topic = await freshTopic(1, "sigterm");
  const liveTopic = `test.live.${crypto.randomUUID().slice(0, 8)}`;
  const dataDir = await Deno.makeTempDir({ prefix: "vigil-engine-" });
  const child = engineCommand(ns, {
    VIGIL_KAFKA_TOPIC: topic.kafka.topic,
    VIGIL_KAFKA_GROUP_ID: topic.kafka.groupId,
    VIGIL_WEB_LIVE_TOPIC: liveTopic,
    VIGIL_CLASSIFIER_DATA_DIR: dataDir,
  }).spawn();
  let stdout = "";
  const reading = (async () => {
    for await (const chunk of child.stdout.pipeThrough(new TextDecoderStream())) stdout += chunk;
  })();
  const stderrText = new Response(child.stderr).text();
  const admin = createKafkaAdmin(topic);
  try {
    await until(() => stdout.includes("vigil engine: consuming"), {
      deadlineMs: 60_000,
      what: "the engine consuming",
    });
    assert.equal(await admin.partitionCount(liveTopic), 1, "the live topic exists, one partition");
    const signalled = performance.now();
    child.kill("SIGTERM");
    const status = await child.status;
    const tookMs = performance.now() - signalled;
    await reading;
    assert.equal(
      status.code,
      0,
      `exit ${status.code} ${status.signal ?? ""} after ${Math.round(tookMs)} ms: ${await stderrText}`,
    );
    assert.ok(tookMs < 15_000, `stopped ${Math.round(tookMs)} ms after SIGTERM`);
  } finally {
    try {
      child.kill("SIGKILL");
    } catch { /* already exited */ }
    await admin.deleteTopics([liveTopic]).catch(() => {});
    await admin.close();
    await dropTopic(topic);
    await dropTestNamespace(ns);
    await Deno.remove(dataDir, { recursive: true });
  }
});
