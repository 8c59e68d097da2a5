/**
 * vigil on a TLS + SASL stack: a Kafka broker of its own (the stack's jars, free ports) listening with
 * SASL_SSL (SCRAM users written at format time) and an OpenSearch node of its own running the real security
 * plugin (HTTPS, basic auth), both with certificates signed by a CA this test makes. `deno task start`, and
 * `deno task produce` + `deno task engine`, deliver Loghub's Windows_2k exactly (2,000 hot documents read back
 * over HTTPS, 2,000 Parquet rows, each once); passwords come from `*_FILE` variables and never show in the
 * output. A wrong Kafka password, an untrusted Kafka CA, a wrong hot-tier password and an untrusted hot-tier
 * CA each end in one line naming the setting, within bounded time. The cold tier is the local stack's S3.
 */
import assert from "node:assert/strict";
import { ThrowawayKafka } from "../../testing/throwaway_kafka.ts";
import { makeTestCa } from "../../testing/test_ca.ts";
import { parseConfig, type VigilConfig } from "../../lib/config/vigil_config.ts";
import { coldCount, engineEnv } from "../../testing/engine_process.ts";
import { deleteObjectsUnder, testStackEndpoints } from "../../testing/drop_test_namespace.ts";
import { ThrowawayOpenSearch } from "../../testing/throwaway_opensearch.ts";
import { createHotService } from "../../actors/hot_sink/service.ts";
import { hotSinkOptionsFromConfig, resolveHotSinkConfig } from "../../actors/hot_sink/config.ts";
import { namespaceSettings, testNamespace } from "../../testing/test_namespace.ts";
import { until } from "../../testing/until.ts";

const REPO = new URL("../..", import.meta.url).pathname;
const WINDOWS_2K = new URL("../../../shared/loghub/Windows/Windows_2k.log", import.meta.url).pathname;
const N = 2000;

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

/** A `deno task` child whose output is kept (the last 20k characters of each stream). */
class Task {
  readonly child: Deno.ChildProcess;
  out = "";
  err = "";
  exited = false;
  constructor(args: string[], env: Record<string, string>) {
    const child = new Deno.Command(Deno.execPath(), {
      args: ["task", ...args],
      cwd: REPO,
      env,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    this.child = child;
    child.status.then(() => this.exited = true, () => this.exited = true);
    (async () => {
      for await (const c of child.stdout.pipeThrough(new TextDecoderStream())) {
        this.out = (this.out + c).slice(-20_000);
      }
    })().catch(() => {});
    (async () => {
      for await (const c of child.stderr.pipeThrough(new TextDecoderStream())) {
        this.err = (this.err + c).slice(-20_000);
      }
    })().catch(() => {});
  }

  /** The exit code, or a failure when the task is still running after `deadlineMs`. */
  async exit(deadlineMs: number): Promise<number> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const status = await Promise.race([
      this.child.status,
      new Promise<undefined>((r) => timer = setTimeout(() => r(undefined), deadlineMs)),
    ]);
    clearTimeout(timer);
    if (status === undefined) {
      await this.stop();
      assert.fail(`still running after ${deadlineMs} ms (stderr:\n${this.err})`);
    }
    // Let the output readers drain.
    await new Promise((r) => setTimeout(r, 100));
    return status.code;
  }

  /** SIGTERM, then SIGKILL when it is not gone within a minute. */
  async stop(): Promise<void> {
    try {
      this.child.kill("SIGTERM");
    } catch { /* gone */ }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const status = await Promise.race([
      this.child.status,
      new Promise<undefined>((r) => timer = setTimeout(() => r(undefined), 60_000)),
    ]);
    clearTimeout(timer);
    if (!status) this.child.kill("SIGKILL");
  }
}

/** Documents under the config's prefix, read through the hot sink's own client (HTTPS, basic auth, the CA). */
async function securedHotCount(config: VigilConfig): Promise<{ total: number; ids: Set<string> }> {
  const service = createHotService(resolveHotSinkConfig(hotSinkOptionsFromConfig(config)));
  try {
    const pattern = `/${config.hot.indexPrefix}-events-*`;
    await service.manage("POST", `${pattern}/_refresh?ignore_unavailable=true&allow_no_indices=true`);
    const res = await service.manage(
      "POST",
      `${pattern}/_search?ignore_unavailable=true&allow_no_indices=true`,
      { size: 10_000, _source: false, track_total_hits: true },
    ) as { hits?: { total?: { value?: number }; hits?: { _id: string }[] } };
    return { total: res.hits?.total?.value ?? 0, ids: new Set((res.hits?.hits ?? []).map((h) => h._id)) };
  } finally {
    await service.close();
  }
}

Deno.test({
  name:
    "TLS + SASL stack (SASL_SSL Kafka, secured OpenSearch, private CA): start and produce + engine deliver exactly; bad credentials fail in one line",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const home = await Deno.makeTempDir({ prefix: "vigil-sasl-kafka-" });
    const ca = await makeTestCa(`${home}/ca`);
    const stranger = await makeTestCa(`${home}/stranger-ca`, "a CA nobody trusts");
    const password = `pw-${crypto.randomUUID()}`;
    const passwordFile = `${home}/kafka-password`;
    await Deno.writeTextFile(passwordFile, `${password}\n`);
    const wrongPasswordFile = `${home}/wrong-password`;
    await Deno.writeTextFile(wrongPasswordFile, "not-the-password\n");
    const hotPassword = `hot-${crypto.randomUUID()}`;
    const hotPasswordFile = `${home}/hot-password`;
    await Deno.writeTextFile(hotPasswordFile, hotPassword);
    const port = freePort();
    const kafkaHome = `${home}/kafka`;
    await Deno.mkdir(kafkaHome);
    const started = await Promise.allSettled([
      ThrowawayKafka.start(() => {}, {
        home: kafkaHome,
        saslSsl: {
          port,
          keystoreFile: ca.keystoreFile,
          keystorePassword: ca.keystorePassword,
          users: [{ name: "vigil", password }],
        },
      }),
      ThrowawayOpenSearch.start(`${home}/opensearch`, {
        caFile: ca.caFile,
        certFile: ca.serverCertFile,
        keyFile: ca.serverKeyFile,
        users: [{ name: "vigil", password: hotPassword }],
      }),
    ]);
    const [kafkaStart, searchStart] = started;
    if (kafkaStart.status === "rejected" || searchStart.status === "rejected") {
      if (kafkaStart.status === "fulfilled") await kafkaStart.value.destroy();
      if (searchStart.status === "fulfilled") await searchStart.value.destroy();
      await Deno.remove(home, { recursive: true }).catch(() => {});
      throw kafkaStart.status === "rejected"
        ? kafkaStart.reason
        : (searchStart as PromiseRejectedResult).reason;
    }
    const broker = kafkaStart.value;
    const search = searchStart.value;
    const secure = {
      VIGIL_KAFKA_BROKERS: `127.0.0.1:${port}`,
      VIGIL_KAFKA_SECURITY_PROTOCOL: "sasl_ssl",
      VIGIL_KAFKA_SSL_CA_FILE: ca.caFile,
      VIGIL_KAFKA_SASL_MECHANISM: "scram-sha-512",
      VIGIL_KAFKA_SASL_USERNAME: "vigil",
      VIGIL_KAFKA_SASL_PASSWORD_FILE: passwordFile,
      VIGIL_HOT_URL: search.url,
      VIGIL_HOT_USERNAME: "vigil",
      VIGIL_HOT_PASSWORD_FILE: hotPasswordFile,
      VIGIL_HOT_TLS_CA_FILE: ca.caFile,
    };
    const configs: VigilConfig[] = [];
    const runs: Task[] = [];
    const configFor = (label: string): VigilConfig => {
      const ns = testNamespace(`sasl-${label}`);
      const topic = `test.sasl.${label}.${ns.tag}`;
      const config = parseConfig(
        { ...namespaceSettings(ns), kafka: { topic, groupId: `group-${topic}` } },
        { ...Deno.env.toObject(), ...secure },
      );
      configs.push(config);
      return config;
    };
    const childEnv = (config: VigilConfig, extra: Record<string, string> = {}) => ({
      ...Deno.env.toObject(),
      ...secure,
      ...engineEnv(config),
      VIGIL_WEB_PORT: String(freePort()),
      VIGIL_ENGINE_METRICS_PORT: String(freePort()),
      ...extra,
    });
    const expectExactlyOnce = async (config: VigilConfig, task: Task) => {
      const what = () => `stdout:\n${task.out}\nstderr:\n${task.err}`;
      // A task that ended early (refused to start) fails the wait at once rather than at its deadline.
      const holds = (count: () => Promise<number>) => async () => {
        if (task.exited) assert.fail(`the task ended before both tiers held ${N} events; ${what()}`);
        return await count() >= N;
      };
      const poll = { deadlineMs: 240_000, pollMs: 250 };
      await until(holds(async () => (await securedHotCount(config)).total), {
        what: () => `${N} documents; ${what()}`,
        ...poll,
      });
      await until(holds(async () => (await coldCount(config)).total), {
        what: () => `${N} rows; ${what()}`,
        ...poll,
      });
      const hot = await securedHotCount(config);
      assert.equal(hot.total, N);
      assert.equal(hot.ids.size, N);
      const cold = await coldCount(config);
      assert.equal(cold.total, N);
      assert.equal(cold.ids.size, N);
    };
    try {
      // 1. deno task start: producer, engine and dashboard in one process, over SASL_SSL.
      const startConfig = configFor("start");
      const start = new Task(
        ["start", "--no-stack", "--input", WINDOWS_2K, "--format", "windows"],
        childEnv(startConfig),
      );
      runs.push(start);
      await expectExactlyOnce(startConfig, start);
      await until(() => /2,000 events from .* delivered to Kafka/.test(start.out), {
        what: () => `start's delivered line (stdout:\n${start.out})`,
        deadlineMs: 60_000,
      });
      await start.stop();

      // 2. deno task produce, then deno task engine, over SASL_SSL.
      const engineConfig = configFor("engine");
      const produce = new Task(
        ["produce", "--input", WINDOWS_2K, "--format", "windows", "--quiet"],
        childEnv(engineConfig),
      );
      runs.push(produce);
      assert.equal(await produce.exit(180_000), 0, produce.err);
      const engine = new Task(["engine"], childEnv(engineConfig));
      runs.push(engine);
      await expectExactlyOnce(engineConfig, engine);
      await engine.stop();

      // 3. A wrong password: the engine refuses to start in one line naming the settings.
      const refused = new Task(
        ["engine"],
        childEnv(engineConfig, {
          VIGIL_KAFKA_SASL_PASSWORD_FILE: wrongPasswordFile,
        }),
      );
      runs.push(refused);
      assert.equal(await refused.exit(60_000), 1, refused.err);
      assert.match(
        refused.err,
        /vigil engine: cannot start: Kafka at 127\.0\.0\.1:\d+ refused the SASL login of user "vigil" \(mechanism SCRAM-SHA-512\): check kafka\.sasl\.username and kafka\.sasl\.password \(env VIGIL_KAFKA_SASL_USERNAME, VIGIL_KAFKA_SASL_PASSWORD\)/,
      );

      // 4. A CA that did not sign the broker's certificate: produce refuses in one line naming kafka.ssl.caFile.
      const untrusted = new Task(
        ["produce", "--input", WINDOWS_2K, "--format", "windows", "--quiet"],
        childEnv(engineConfig, { VIGIL_KAFKA_SSL_CA_FILE: stranger.caFile }),
      );
      runs.push(untrusted);
      assert.notEqual(await untrusted.exit(60_000), 0);
      assert.match(
        untrusted.err,
        /presented a TLS certificate that is not trusted \(.+\): set kafka\.ssl\.caFile \(env VIGIL_KAFKA_SSL_CA_FILE\) to the CA that signed it/,
      );

      // 5. A wrong hot-tier password: the engine refuses to start in one line naming the settings.
      const refusedHot = new Task(
        ["engine"],
        childEnv(engineConfig, { VIGIL_HOT_PASSWORD_FILE: wrongPasswordFile }),
      );
      runs.push(refusedHot);
      assert.equal(await refusedHot.exit(120_000), 1, refusedHot.err);
      assert.match(
        refusedHot.err,
        /vigil engine: cannot start: .*status 401.*check hot\.username and hot\.password \(env VIGIL_HOT_USERNAME, VIGIL_HOT_PASSWORD\)/,
      );

      // 6. A hot-tier CA that did not sign the node's certificate: the client's first request says which setting.
      const strangerHot = createHotService(resolveHotSinkConfig(hotSinkOptionsFromConfig(
        parseConfig({}, { ...Deno.env.toObject(), ...secure, VIGIL_HOT_TLS_CA_FILE: stranger.caFile }),
      )));
      await assert.rejects(
        () => strangerHot.manage("GET", "/"),
        /status 0: .*the hot tier's TLS certificate is not trusted: set hot\.tls\.caFile \(env VIGIL_HOT_TLS_CA_FILE\)/,
      );
      await strangerHot.close();

      for (const run of runs) {
        const output = run.out + run.err;
        assert.ok(!output.includes(password) && !output.includes(hotPassword), "no password ever shows");
      }
    } finally {
      for (const run of runs) await run.stop();
      const { s3 } = testStackEndpoints();
      for (const config of configs) {
        await deleteObjectsUnder(s3, config.s3.bucket, config.s3.prefix).catch(() => {});
      }
      await broker.destroy();
      await search.destroy();
      await Deno.remove(home, { recursive: true }).catch(() => {});
    }
  },
});
