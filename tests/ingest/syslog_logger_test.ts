/**
 * Real-client test of the syslog receivers: util-linux `logger` (a client no one here wrote) sends over UDP,
 * TCP with newline framing and TCP with octet counting, in RFC 5424 (with structured data) and RFC 3164; an engine
 * process consumes the topic and every message is counted in the hot tier (OpenSearch, a test namespace) — exact
 * counts, each message exactly once, fields as mapped.
 */
import assert from "node:assert/strict";
import { parseConfig } from "../../lib/config/vigil_config.ts";
import { startIngestService } from "../../lib/ingest/ingest_service.ts";
import { dropTiers, engineEnv, EngineProcess } from "../../testing/engine_process.ts";
import { dropTopic, freshTopic } from "../../testing/kafka_test_topics.ts";
import { settledHotTier } from "../../testing/settled_hot_tier.ts";
import { namespaceSettings, testNamespace } from "../../testing/test_namespace.ts";

async function logger(args: string[]): Promise<void> {
  const out = await new Deno.Command("logger", { args, stdout: "piped", stderr: "piped" }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
}

Deno.test({
  name:
    "logger over UDP, TCP (newline) and TCP (octet counting), RFC 5424 and 3164: exact counts in the hot tier",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const kafka = await freshTopic(2, "ingest-syslog");
    const config = parseConfig(
      { kafka: kafka.kafka, ...namespaceSettings(testNamespace("ingest-syslog")) },
      Deno.env.toObject(),
    );
    const service = await startIngestService(config, {
      topic: config.kafka.topic,
      httpPort: 0,
      syslogTcpPort: 0,
      syslogUdpPort: 0,
    });
    const engine = new EngineProcess(engineEnv(config));
    const files: string[] = [];
    try {
      const tcp = String(service.syslogTcpPort);
      const udp = String(service.syslogUdpPort);
      const base = ["--server", "127.0.0.1", "-t", "vigiltest"];
      const runs: { prefix: string; n: number; args: string[] }[] = [
        { prefix: "udp5424", n: 200, args: ["--udp", "--port", udp, "--rfc5424"] },
        { prefix: "udp3164", n: 100, args: ["--udp", "--port", udp, "--rfc3164", "-p", "auth.warning"] },
        {
          prefix: "tcp5424",
          n: 1500,
          args: ["--tcp", "--port", tcp, "--rfc5424", "--sd-id", "zoo@32473", "--sd-param", 'tiger="hungry"'],
        },
        { prefix: "tcp3164", n: 500, args: ["--tcp", "--port", tcp, "--rfc3164", "-p", "local3.err"] },
        {
          prefix: "octet",
          n: 1500,
          args: ["--tcp", "--port", tcp, "--octet-count", "--rfc5424", "--msgid", "M1"],
        },
      ];
      let sent = 0;
      for (const run of runs) {
        const udp = run.args.includes("--udp");
        // UDP may legitimately lose datagrams in the kernel when the machine is busy (the receiver cannot count
        // those): its runs go in slices of 50, each sent once the previous one was accepted, so the exact count
        // tests the receiver, not the host's load.
        const slice = udp ? 50 : run.n;
        for (let from = 0; from < run.n; from += slice) {
          const file = await Deno.makeTempFile({ suffix: ".log" });
          files.push(file);
          const lines = Array.from(
            { length: Math.min(slice, run.n - from) },
            (_, i) => `${run.prefix} message ${from + i}`,
          );
          await Deno.writeTextFile(file, lines.join("\n") + "\n");
          await logger([...base, ...run.args, "-f", file]);
          sent += lines.length;
          const deadline = Date.now() + 30_000;
          while (udp && service.metrics.counts.accepted < sent && Date.now() < deadline) {
            await new Promise((r) => setTimeout(r, 20));
          }
        }
      }
      const total = runs.reduce((s, r) => s + r.n, 0);
      await engine.ready();
      const hot = await settledHotTier(config, engine, total);
      assert.equal(hot.documents, total, "documents");
      assert.equal(hot.distinctContents, total, "each message once");
      const events = hot.events!;
      for (const run of runs) {
        const mine = events.filter((e) => e.content.startsWith(`${run.prefix} message `));
        assert.equal(mine.length, run.n, run.prefix);
        assert.equal(new Set(mine.map((e) => e.content)).size, run.n, `${run.prefix}: each message once`);
      }
      const tiger = events.find((e) => e.content === "tcp5424 message 7")!;
      assert.equal(tiger.component, "vigiltest");
      assert.equal(tiger.fields["zoo@32473.tiger"], "hungry");
      assert.equal(tiger.system, "syslog");
      assert.equal(tiger.level, "notice"); // logger's default user.notice
      assert.deepEqual(tiger.flags, []);
      assert.equal(tiger.source, "syslog-tcp:127.0.0.1");
      const err = events.find((e) => e.content === "tcp3164 message 3")!;
      assert.equal(err.level, "error");
      assert.equal(err.fields.facility, "local3");
      assert.equal(events.find((e) => e.content === "udp3164 message 0")!.level, "warn");
      assert.equal(events.find((e) => e.content === "octet message 0")!.fields.msgId, "M1");
      assert.equal(service.metrics.counts.accepted, total);
      assert.equal(service.metrics.counts.dropped, 0);
    } finally {
      await service.close();
      await engine.kill9();
      for (const f of files) await Deno.remove(f);
      await dropTiers(config);
      await dropTopic(config);
    }
  },
});
