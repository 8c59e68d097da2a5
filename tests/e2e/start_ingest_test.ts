/**
 * `deno task start` with `ingest.enabled`: the ingest service runs beside the engine, and what real clients send
 * it — util-linux `logger` over TCP (RFC 5424 and octet counting) and over UDP, an OTLP/HTTP JSON request, a
 * `_bulk` request — lands in the hot tier: exact counts of `system` `syslog`, `otlp` and `bulk` events (the
 * synthetic producer that start also runs writes `system: windows`). Runs in its own test namespace, topic, ports and data dir.
 */
import assert from "node:assert/strict";
import { namespaceEnv, testNamespace } from "../../testing/test_namespace.ts";
import { dropTestNamespace, testStackEndpoints } from "../../testing/drop_test_namespace.ts";
import { parseConfig } from "../../lib/config/vigil_config.ts";
import { createKafkaAdmin } from "../../lib/kafka/kafka_client.ts";
import { until } from "../../testing/until.ts";

const REPO = new URL("../..", import.meta.url).pathname;

/** A free TCP port (the syslog UDP receiver takes the same number, as syslog servers do). */
function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

async function hotCount(hotUrl: string, pattern: string, system: string): Promise<number> {
  await (await fetch(`${hotUrl}/${pattern}/_refresh?ignore_unavailable=true`, { method: "POST" })).body
    ?.cancel();
  const res = await fetch(`${hotUrl}/${pattern}/_count?ignore_unavailable=true&q=system:${system}`);
  if (!res.ok) {
    await res.body?.cancel();
    return 0;
  }
  return ((await res.json()) as { count: number }).count;
}

async function logger(args: string[]): Promise<void> {
  const out = await new Deno.Command("logger", { args, stdout: "piped", stderr: "piped" }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
}

Deno.test({
  name:
    "deno task start with ingest.enabled: logger (TCP, octet counting, UDP) and OTLP land in the hot tier, exactly",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const ns = testNamespace("ingest");
    const topic = `test.ingest.${ns.tag}`;
    const dataDir = await Deno.makeTempDir({ prefix: "vigil-start-ingest-" });
    const httpPort = freePort();
    const syslogPort = freePort();
    const env = {
      ...Deno.env.toObject(),
      ...namespaceEnv(ns),
      VIGIL_KAFKA_TOPIC: topic,
      VIGIL_KAFKA_GROUP_ID: `group-${topic}`,
      VIGIL_WEB_PORT: String(freePort()),
      VIGIL_ENGINE_METRICS_PORT: String(freePort()),
      VIGIL_CLASSIFIER_DATA_DIR: dataDir,
      VIGIL_INGEST_ENABLED: "true",
      VIGIL_INGEST_PORT: String(httpPort),
      VIGIL_INGEST_SYSLOG_TCP_PORT: String(syslogPort),
      VIGIL_INGEST_SYSLOG_UDP_PORT: String(syslogPort),
    };
    const child = new Deno.Command(Deno.execPath(), {
      args: ["task", "start", "--no-stack", "--rate", "1"],
      cwd: REPO,
      env,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    let out = "";
    let err = "";
    (async () => {
      for await (const c of child.stdout.pipeThrough(new TextDecoderStream())) out = (out + c).slice(-20_000);
    })().catch(() => {});
    (async () => {
      for await (const c of child.stderr.pipeThrough(new TextDecoderStream())) err = (err + c).slice(-20_000);
    })().catch(() => {});
    const stack = testStackEndpoints();
    const file = await Deno.makeTempFile({ suffix: ".log" });
    try {
      await until(() => /vigil: ingest at /.test(out), {
        what: () => `the ingest line (stdout:\n${out}\nstderr:\n${err})`,
        deadlineMs: 240_000,
        pollMs: 250,
      });
      assert.match(
        out,
        new RegExp(
          `vigil: ingest at http://127\\.0\\.0\\.1:${httpPort}, tcp://127\\.0\\.0\\.1:${syslogPort}, udp://`,
        ),
      );
      const lines = (prefix: string, n: number) =>
        Deno.writeTextFile(file, Array.from({ length: n }, (_, i) => `${prefix} ${i}`).join("\n") + "\n");
      const base = ["--server", "127.0.0.1", "--port", String(syslogPort), "-t", "e2e"];
      await lines("tcp", 700);
      await logger([...base, "--tcp", "--rfc5424", "-f", file]);
      await lines("octet", 300);
      await logger([...base, "--tcp", "--octet-count", "--rfc5424", "-f", file]);
      await lines("udp", 100);
      await logger([...base, "--udp", "--rfc3164", "-f", file]);
      const res = await fetch(`http://127.0.0.1:${httpPort}/v1/logs`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          resourceLogs: [{
            resource: { attributes: [{ key: "service.name", value: { stringValue: "e2e-svc" } }] },
            scopeLogs: [{
              logRecords: Array.from({ length: 250 }, (_, i) => ({ body: { stringValue: `otlp ${i}` } })),
            }],
          }],
        }),
      });
      assert.equal(res.status, 200);
      await res.body?.cancel();
      const bulk = await fetch(`http://127.0.0.1:${httpPort}/_bulk`, {
        method: "POST",
        headers: { "content-type": "application/x-ndjson" },
        body: Array.from(
          { length: 150 },
          (_, i) => `{"create":{}}\n{"message":"bulk ${i}","log.level":"warn"}\n`,
        )
          .join(""),
      });
      assert.equal(bulk.status, 200);
      assert.equal((await bulk.json()).errors, false);
      const pattern = `${ns.indexPrefix}-events-*`;
      await until(async () =>
        await hotCount(stack.hot.url, pattern, "syslog") >= 1100 &&
        await hotCount(stack.hot.url, pattern, "otlp") >= 250 &&
        await hotCount(stack.hot.url, pattern, "bulk") >= 150, {
        what: () =>
          `1,100 syslog, 250 otlp and 150 bulk events in the hot tier (stdout:\n${out.slice(-2000)})`,
        deadlineMs: 180_000,
        pollMs: 250,
      });
      assert.equal(await hotCount(stack.hot.url, pattern, "syslog"), 1100);
      assert.equal(await hotCount(stack.hot.url, pattern, "otlp"), 250);
      assert.equal(await hotCount(stack.hot.url, pattern, "bulk"), 150);
    } finally {
      try {
        child.kill("SIGTERM");
      } catch { /* gone */ }
      const status = await Promise.race([
        child.status,
        new Promise<undefined>((r) => setTimeout(() => r(undefined), 60_000)),
      ]);
      if (!status) child.kill("SIGKILL");
      await Deno.remove(file).catch(() => {});
      await Deno.remove(dataDir, { recursive: true }).catch(() => {});
      await dropTestNamespace(ns, stack);
      const admin = createKafkaAdmin(parseConfig({}, Deno.env.toObject()));
      await admin.deleteTopics([topic]).catch(() => {});
      await admin.close();
    }
    assert.match(out, /vigil: ingest stopped; accepted 1500 events/);
  },
});
