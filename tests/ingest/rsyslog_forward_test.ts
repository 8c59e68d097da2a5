/**
 * Real-shipper test of the syslog TCP receiver: rsyslog (Debian's `rsyslog` package; the test is ignored with a
 * message when `rsyslogd` is missing — `apt-get install rsyslog`) tails a file with `imfile` and forwards it with
 * `omfwd` over TCP, once with octet counting and RFC 5424 (`RSYSLOG_SyslogProtocol23Format`) and once with
 * newline framing and its forward format (RFC 3164 with an ISO time); an engine process consumes the topic and
 * every line is counted in the hot tier (OpenSearch, a test namespace) — exact counts, each once. The rsyslogd runs in the foreground with its own configuration, work directory and pid file,
 * and is stopped by its pid.
 */
import assert from "node:assert/strict";
import { parseConfig } from "../../lib/config/vigil_config.ts";
import { startIngestService } from "../../lib/ingest/ingest_service.ts";
import { dropTiers, engineEnv, EngineProcess } from "../../testing/engine_process.ts";
import { dropTopic, freshTopic } from "../../testing/kafka_test_topics.ts";
import { settledHotTier } from "../../testing/settled_hot_tier.ts";
import { namespaceSettings, testNamespace } from "../../testing/test_namespace.ts";

const rsyslogd = ["/usr/sbin/rsyslogd", "/sbin/rsyslogd"].find((p) => {
  try {
    return Deno.statSync(p).isFile;
  } catch {
    return false;
  }
});
if (!rsyslogd) {
  // Debian cannot have rsyslog and syslog-ng installed at once: with syslog-ng, syslog_ng_bulk_test.ts runs instead.
  console.warn("rsyslog_forward_test: rsyslogd is missing (apt-get install rsyslog; it replaces syslog-ng)");
}

Deno.test({
  name:
    "rsyslog tails a file and forwards it over TCP (octet-counted RFC 5424, newline RFC 3164): exact counts in the hot tier",
  ignore: !rsyslogd,
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const kafka = await freshTopic(2, "ingest-rsyslog");
    const config = parseConfig(
      { kafka: kafka.kafka, ...namespaceSettings(testNamespace("ingest-rsyslog")) },
      Deno.env.toObject(),
    );
    const service = await startIngestService(config, {
      topic: config.kafka.topic,
      httpPort: 0,
      syslogTcpPort: 0,
    });
    const engine = new EngineProcess(engineEnv(config));
    const dir = await Deno.makeTempDir({ prefix: "vigil-rsyslog-" });
    const n = 2500;
    const lines = (prefix: string) =>
      Array.from({ length: n }, (_, i) => `${prefix} line ${i} ERROR code=${i}`);
    await Deno.writeTextFile(`${dir}/octet.log`, lines("octet").join("\n") + "\n");
    await Deno.writeTextFile(`${dir}/newline.log`, lines("newline").join("\n") + "\n");
    const forward = (name: string, framing: string, template: string) => `
input(type="imfile" File="${dir}/${name}.log" Tag="${name}app:" ruleset="${name}")
ruleset(name="${name}") {
  action(type="omfwd" target="127.0.0.1" port="${service.syslogTcpPort}" protocol="tcp"
         TCP_Framing="${framing}" template="${template}"
         queue.type="LinkedList" action.resumeRetryCount="-1")
}`;
    await Deno.writeTextFile(
      `${dir}/rsyslog.conf`,
      `global(workDirectory="${dir}")
module(load="imfile" PollingInterval="1")
${forward("octet", "octet-counted", "RSYSLOG_SyslogProtocol23Format")}
${forward("newline", "traditional", "RSYSLOG_ForwardFormat")}
`,
    );
    const child = new Deno.Command(rsyslogd!, {
      args: ["-n", "-f", `${dir}/rsyslog.conf`, "-i", `${dir}/rsyslogd.pid`],
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    let stderr = "";
    (async () => {
      for await (const c of child.stderr.pipeThrough(new TextDecoderStream())) {
        stderr = (stderr + c).slice(-5000);
      }
    })().catch(() => {});
    try {
      await engine.ready();
      const hot = await settledHotTier(config, engine, 2 * n).catch((err) => {
        throw new Error(`${err.message}\nrsyslogd stderr:\n${stderr}`);
      });
      assert.equal(hot.documents, 2 * n, "documents");
      assert.equal(hot.distinctContents, 2 * n, "each line once");
      const events = hot.events!;
      for (const prefix of ["octet", "newline"]) {
        const mine = events.filter((e) => e.content.startsWith(`${prefix} line `));
        assert.equal(mine.length, n, prefix);
        assert.equal(new Set(mine.map((e) => e.content)).size, n, `${prefix}: each line once`);
        assert.ok(
          mine.every((e) => e.component === `${prefix}app`),
          `${prefix}: the imfile tag is the component`,
        );
        assert.ok(mine.every((e) => e.parseError === undefined && !e.flags.includes("ts_from_ingest")));
      }
      assert.equal(service.metrics.counts.accepted, 2 * n);
    } finally {
      child.kill("SIGTERM");
      await child.status;
      await service.close();
      await engine.kill9();
      await Deno.remove(dir, { recursive: true });
      await dropTiers(config);
      await dropTopic(config);
    }
  },
});
