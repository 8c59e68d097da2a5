/**
 * End-to-end delivery against the real local stack: Loghub Windows_2k produced to Kafka, consumed by delivery
 * engine processes (testing/delivery_engine.ts), counted in OpenSearch and in the Parquet objects on S3.
 */
import assert from "node:assert/strict";
import { parseConfig, type VigilConfig } from "../../lib/config/vigil_config.ts";
import { runProducer } from "../../lib/producer/produce_run.ts";
import { committedOffsets, dropTopic, freshTopic } from "../../testing/kafka_test_topics.ts";
import { namespaceSettings, testNamespace } from "../../testing/test_namespace.ts";
import {
  coldCount,
  dropTiers,
  engineEnv,
  EngineProcess,
  hotCount,
  untilBothTiersHold,
} from "../../testing/engine_process.ts";
import { until } from "../../testing/until.ts";
import { TcpProxy } from "../../testing/tcp_proxy.ts";

const WINDOWS_2K = new URL("../../../shared/loghub/Windows/Windows_2k.log", import.meta.url).pathname;
const N = 2000;
const opts = { sanitizeOps: false, sanitizeResources: false };

async function setup(name: string, keyFields?: string[]): Promise<VigilConfig> {
  const kafka = await freshTopic(4, name);
  return parseConfig({
    kafka: { ...kafka.kafka, keyFields: keyFields ?? kafka.kafka.keyFields },
    ...namespaceSettings(testNamespace("e2e")),
  }, Deno.env.toObject());
}

function produce(config: VigilConfig, rate?: number) {
  return runProducer(config, {
    input: WINDOWS_2K,
    format: "windows",
    topic: config.kafka.topic,
    host: "win-e2e",
    rate,
  });
}

async function assertExactlyN(config: VigilConfig): Promise<void> {
  await untilBothTiersHold(config, N);
  // Would late duplicates show up? Not once every offset is committed: each event was then stored by both tiers,
  // and nothing uncommitted is left to be redelivered and written again.
  await until(
    async () => (await committedOffsets(config)).reduce((n, o) => n + Math.max(0, Number(o)), 0) >= N,
    { what: "every offset committed", deadlineMs: 90_000, pollMs: 250 },
  );
  const hot = await hotCount(config);
  assert.equal(hot.total, N, "documents");
  assert.equal(hot.ids.size, N, "unique document ids");
  const cold = await coldCount(config);
  assert.equal(cold.total, N, "Parquet rows");
  assert.equal(cold.ids.size, N, "unique (partition, offset) rows");
}

async function cleanup(config: VigilConfig, engines: EngineProcess[]): Promise<void> {
  for (const e of engines) await e.kill9();
  await dropTiers(config);
  await dropTopic(config);
}

Deno.test({
  ...opts,
  name: "e2e: Windows_2k → exactly 2000 documents (unique ids) and 2000 Parquet rows; offsets committed",
  fn: async () => {
    const config = await setup("e2e");
    const engines: EngineProcess[] = [];
    try {
      const summary = await produce(config);
      assert.equal(summary.acked, N, summary.error ?? "some events were not acknowledged by Kafka");
      const engine = new EngineProcess(engineEnv(config));
      engines.push(engine);
      await engine.ready();
      await assertExactlyN(config);
      await until(() => engine.status?.inFlight === 0, {
        what: "all events acknowledged by both tiers",
        deadlineMs: 30_000,
        pollMs: 250,
      });
      const stopped = await engine.stop();
      assert.equal(stopped.code, 0, engine.stderr);
      const committed = await committedOffsets(config);
      // Each partition's committed offset is its next offset to read: together they account for every event.
      assert.equal(
        committed.reduce((n, o) => n + Math.max(0, Number(o)), 0),
        N,
        `committed offsets ${committed}`,
      );
    } finally {
      await cleanup(config, engines);
    }
  },
});

Deno.test({
  ...opts,
  name: "e2e: kill -9 mid-stream, restart → still exactly 2000 documents and rows",
  fn: async () => {
    const config = await setup("crash");
    const engines: EngineProcess[] = [];
    try {
      const first = new EngineProcess(engineEnv(config));
      engines.push(first);
      await first.ready();
      // Produce only once the group has assigned the partitions: otherwise a slow join leaves the whole input
      // waiting as a backlog, the engine swallows it in one go and the kill no longer lands mid-stream.
      await until(() => first.status?.assigned === 4, {
        what: "partition assignment",
        deadlineMs: 30_000,
        pollMs: 250,
      });
      let produced = false;
      const producing = produce(config, 200).finally(() => produced = true); // ~10 s of input
      await until(() => (first.status?.hot ?? 0) > 300, {
        what: "some events delivered",
        deadlineMs: 60_000,
        pollMs: 250,
      });
      await first.kill9();
      const consumedBeforeCrash = first.status?.consumed ?? 0;
      assert.ok(!produced, "the engine was killed while the producer was still sending");
      assert.ok(consumedBeforeCrash < N, `killed mid-stream (${consumedBeforeCrash} consumed)`);
      assert.equal((await producing).acked, N);
      const second = new EngineProcess(engineEnv(config));
      engines.push(second);
      await second.ready();
      await assertExactlyN(config);
    } finally {
      await cleanup(config, engines);
    }
  },
});

Deno.test({
  ...opts,
  name: "e2e: two engines in one group share 4 partitions; kill one, the other takes over → exactly 2000",
  fn: async () => {
    // Windows_2k has few host|component keys; key by line number so all 4 partitions get events.
    const config = await setup("group", ["lineNo"]);
    const engines: EngineProcess[] = [];
    try {
      const a = new EngineProcess(engineEnv(config));
      const b = new EngineProcess(engineEnv(config));
      engines.push(a, b);
      await Promise.all([a.ready(), b.ready()]);
      // Both members hold partitions before any input exists, so both have something to deliver.
      await until(
        () => (a.status?.assigned ?? 0) > 0 && (a.status?.assigned ?? 0) + (b.status?.assigned ?? 0) === 4,
        { what: "the 4 partitions split between the two engines", deadlineMs: 30_000, pollMs: 250 },
      );
      const producing = produce(config, 400); // ~5 s
      await until(() => (a.status?.hot ?? 0) > 100 && (b.status?.hot ?? 0) > 100, {
        what: "both engines deliver",
        deadlineMs: 60_000,
        pollMs: 250,
      });
      await a.kill9();
      assert.equal((await producing).acked, N);
      await assertExactlyN(config);
      await until(() => b.status?.partitions.length === 4, {
        what: "the survivor to hold all 4 partitions",
        deadlineMs: 30_000,
        pollMs: 250,
      });
    } finally {
      await cleanup(config, engines);
    }
  },
});

for (const tier of ["hot", "cold"] as const) {
  Deno.test({
    ...opts,
    name: `e2e: the ${
      tier === "hot" ? "OpenSearch" : "S3"
    } tier unreachable for 30 s → source pauses, exactly 2000 after catch-up`,
    fn: async () => {
      const config = await setup(`outage-${tier}`);
      const target = new URL(tier === "hot" ? config.hot.url : config.s3.endpoint);
      // Cut the network path to the real service (a partition), not the shared service itself.
      const proxy = TcpProxy.start({ hostname: target.hostname, port: Number(target.port) });
      const via = `http://127.0.0.1:${proxy.port}`;
      const engines: EngineProcess[] = [];
      try {
        const engine = new EngineProcess(engineEnv(config, {
          ...(tier === "hot" ? { VIGIL_HOT_URL: via } : { VIGIL_S3_ENDPOINT: via }),
          VIGIL_HOT_RETRY_MAX_DURATION_MS: "2000",
          VIGIL_COLD_RETRY_MAX_DURATION_MS: "2000",
          VIGIL_DELIVERY_MAX_IN_FLIGHT: "500",
        }));
        engines.push(engine);
        await engine.ready();
        await until(() => engine.status?.assigned === 4, {
          what: "partition assignment",
          deadlineMs: 30_000,
          pollMs: 250,
        });
        const producing = produce(config, 200); // ~10 s of input
        await until(() => (engine.status?.[tier] ?? 0) > 100, {
          what: "first events delivered",
          deadlineMs: 60_000,
          pollMs: 250,
        });
        proxy.down();
        const downAt = Date.now();
        await until(() => engine.status?.[tier === "hot" ? "hotHealthy" : "coldHealthy"] === false, {
          what: "unhealthy",
          deadlineMs: 20_000,
          pollMs: 250,
        });
        await until(() => engine.status?.paused === true, {
          what: "source paused",
          deadlineMs: 20_000,
          pollMs: 250,
        });
        const consumedWhileDown = engine.status!.consumed;
        await new Promise((r) => setTimeout(r, Math.max(0, 30_000 - (Date.now() - downAt))));
        assert.ok(
          engine.status!.consumed - consumedWhileDown <= 500,
          "the source stayed paused (maxInFlight)",
        );
        proxy.up();
        assert.equal((await producing).acked, N);
        await assertExactlyN(config);
      } finally {
        proxy.down();
        await cleanup(config, engines);
      }
    },
  });
}
