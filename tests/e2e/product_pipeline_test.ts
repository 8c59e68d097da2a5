/**
 * The product's own data path (actors/vigil_pipeline.ts: KafkaSource → parser → classifier pool → hot + cold)
 * against the real local stack, with Loghub's Windows_2k: every line arrives mined and classified in both
 * tiers exactly once, offsets are committed only up to what is durable, and the engine's labels are the ones
 * `deno task classify` gives for the same file (one code path, no look-ahead).
 */
import assert from "node:assert/strict";
import { startVigilEngine } from "../../actors/vigil_pipeline.ts";
import { silentLogger } from "../../engine/logger.ts";
import { parseConfig } from "../../lib/config/vigil_config.ts";
import { parseCsv } from "../../lib/parsing/csv.ts";
import { runProducer } from "../../lib/producer/produce_run.ts";
import { committedOffsets, dropTopic, freshTopic } from "../../testing/kafka_test_topics.ts";
import { namespaceSettings, testNamespace } from "../../testing/test_namespace.ts";
import {
  coldCount,
  dropTiers,
  hotCount,
  hotEvents,
  untilBothTiersHold,
} from "../../testing/engine_process.ts";
import { until } from "../../testing/until.ts";

const WINDOWS_2K = new URL("../../../shared/loghub/Windows/Windows_2k.log", import.meta.url).pathname;
const N = 2000;

async function classifyCli(dataDir: string): Promise<Map<number, string>> {
  const out = `${dataDir}/cli.csv`;
  const { code, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "cli/classify.ts", "--input", WINDOWS_2K, "--format", "windows", "--output", out],
    cwd: new URL("../../", import.meta.url).pathname,
    env: { VIGIL_CLASSIFIER_DATA_DIR: `${dataDir}/cli-state` },
    stdout: "null",
    stderr: "piped",
  }).output();
  assert.equal(code, 0, new TextDecoder().decode(stderr));
  const rows = parseCsv(await Deno.readTextFile(out)).slice(1).filter((r) => r.length >= 2);
  return new Map(rows.map((r) => [Number(r[0]), r[1]]));
}

Deno.test({
  name:
    "product pipeline: Windows_2k → 2000 mined, classified documents and Parquet rows; labels = classify CLI",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    // One partition: the engine then sees the lines in file order, as the CLI does.
    const kafka = await freshTopic(1, "product");
    const ns = testNamespace("product");
    const dataDir = await Deno.makeTempDir({ prefix: "vigil-product-" });
    const config = parseConfig({
      kafka: kafka.kafka,
      hot: { indexPrefix: ns.indexPrefix },
      s3: namespaceSettings(ns).s3,
      cold: { timeoutMs: 1000 },
      delivery: { commitIntervalMs: 500 },
      classifier: { dataDir },
    }, Deno.env.toObject());
    const engine = await startVigilEngine({ config, logger: silentLogger });
    try {
      const produced = await runProducer(config, {
        input: WINDOWS_2K,
        format: "windows",
        topic: config.kafka.topic,
        host: "win-product",
      });
      assert.equal(produced.acked, N);
      await untilBothTiersHold(config, N, 120_000);
      await until(async () => (await committedOffsets(config))[0] === String(N), {
        what: "offset 2000 committed",
        deadlineMs: 30_000,
        pollMs: 250,
      });
      const report = await engine.stop(20_000);
      assert.ok(report.graceful, JSON.stringify(report.leftovers));

      const hot = await hotCount(config);
      assert.equal(hot.total, N);
      assert.equal(hot.ids.size, N);
      const cold = await coldCount(config);
      assert.equal(cold.total, N);
      assert.equal(cold.ids.size, N);

      const events = await hotEvents(config);
      assert.deepEqual(events.map((e) => e.lineNo), Array.from({ length: N }, (_, i) => i + 1));
      for (const e of events) {
        assert.match(e.templateId, /^T[0-9a-f]{16}$/);
        assert.ok(e.template.length > 0);
        assert.ok(["NORMAL", "ANOMALY", "CRITICAL_ANOMALY"].includes(e.classification));
        assert.ok(e.score >= 0 && e.score <= 1);
        assert.ok(e.modelVersion.length > 0);
        if (e.classification !== "NORMAL") assert.ok(e.reasons.length > 0, `no reason for line ${e.lineNo}`);
      }
      // Windows_2k is ordinary servicing traffic: a few incidents at most, none that wakes anyone (issue 11:
      // a system with no failures gets ≤ 5 incidents and ≤ 1 critical per 2k lines).
      const incidents = new Set(events.flatMap((e) => e.incidentId === undefined ? [] : [e.incidentId]));
      assert.ok(incidents.size <= 5, `${incidents.size} incidents`);
      assert.equal(events.filter((e) => e.classification === "CRITICAL_ANOMALY").length, 0);

      const cli = await classifyCli(dataDir);
      assert.equal(cli.size, N);
      const differing = events.filter((e) => cli.get(e.lineNo) !== e.classification).map((e) => e.lineNo);
      assert.deepEqual(differing, [], "lines the engine labelled differently from the classify CLI");
    } finally {
      await engine.stop(5_000).catch(() => {});
      await dropTiers(config);
      await dropTopic(config);
      await Deno.remove(dataDir, { recursive: true });
    }
  },
});
