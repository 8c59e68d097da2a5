/**
 * Real-shipper test of the syslog TCP receiver with syslog-ng 3.38 (Debian's `syslog-ng-core`; the test is ignored
 * with a message when it is missing — Debian installs rsyslog or syslog-ng, and with rsyslog,
 * rsyslog_forward_test.ts covers the same): syslog-ng reads two files and forwards them over TCP, one with its
 * `syslog()` destination (RFC 5424, octet counting) and one with `network()` (RFC 3164, newline framing). An
 * engine process consumes the topic and every line is counted in the hot tier (OpenSearch, a test namespace) —
 * exact counts, each once, the program name as component. syslog-ng runs in the foreground with its own
 * configuration, persist file, pid file and control socket, and is stopped by its pid.
 */
import assert from "node:assert/strict";
import { parseConfig } from "../../lib/config/vigil_config.ts";
import { startIngestService } from "../../lib/ingest/ingest_service.ts";
import { dropTiers, engineEnv, EngineProcess } from "../../testing/engine_process.ts";
import { dropTopic, freshTopic } from "../../testing/kafka_test_topics.ts";
import { settledHotTier } from "../../testing/settled_hot_tier.ts";
import { namespaceSettings, testNamespace } from "../../testing/test_namespace.ts";
import { startSyslogNg, SYSLOG_NG } from "../../testing/syslog_ng_process.ts";

const installed = await Deno.stat(SYSLOG_NG).then((s) => s.isFile, () => false);
if (!installed) {
  console.warn(
    "syslog_ng_tcp_test: syslog-ng is missing (apt-get install syslog-ng-core; it replaces rsyslog)",
  );
}

Deno.test({
  name:
    "syslog-ng forwards files over TCP (syslog(): RFC 5424 octet-counted; network(): RFC 3164 newline): exact counts in the hot tier",
  ignore: !installed,
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const kafka = await freshTopic(2, "ingest-syslogng-tcp");
    const config = parseConfig(
      { kafka: kafka.kafka, ...namespaceSettings(testNamespace("ingest-syslogng-tcp")) },
      Deno.env.toObject(),
    );
    const service = await startIngestService(config, {
      topic: config.kafka.topic,
      httpPort: 0,
      syslogTcpPort: 0,
    });
    const engine = new EngineProcess(engineEnv(config));
    const dir = await Deno.makeTempDir({ prefix: "vigil-syslogng-tcp-" });
    const n = 2500;
    const lines = (prefix: string) =>
      Array.from({ length: n }, (_, i) => `${prefix} line ${i} ERROR code=${i}`);
    await Deno.writeTextFile(`${dir}/octet.log`, lines("octet").join("\n") + "\n");
    await Deno.writeTextFile(`${dir}/newline.log`, lines("newline").join("\n") + "\n");
    const port = service.syslogTcpPort;
    const syslogNg = await startSyslogNg(
      dir,
      `@version: 3.38
options { stats_freq(0); };
source s_octet { file("${dir}/octet.log" follow-freq(1) flags(no-parse) program-override("octetapp")); };
source s_newline { file("${dir}/newline.log" follow-freq(1) flags(no-parse) program-override("newlineapp")); };
destination d_octet { syslog("127.0.0.1" port(${port}) transport("tcp") persist-name("vigil_octet")); };
destination d_newline { network("127.0.0.1" port(${port}) transport("tcp") persist-name("vigil_newline")); };
log { source(s_octet); destination(d_octet); };
log { source(s_newline); destination(d_newline); };
`,
    );
    try {
      await engine.ready();
      // A configuration syslog-ng refuses ends it at once: fail then, not at the hot tier's deadline.
      const hot = await Promise.race([settledHotTier(config, engine, 2 * n), syslogNg.exited]).catch(
        (err) => {
          throw new Error(`${err.message}\nsyslog-ng stderr:\n${syslogNg.stderr()}`);
        },
      );
      assert.equal(hot.documents, 2 * n, "documents");
      assert.equal(hot.distinctContents, 2 * n, "each line once");
      for (const prefix of ["octet", "newline"]) {
        const mine = hot.events!.filter((e) => e.content.startsWith(`${prefix} line `));
        assert.equal(mine.length, n, prefix);
        assert.ok(
          mine.every((e) => e.component === `${prefix}app`),
          `${prefix}: the program is the component`,
        );
        assert.ok(mine.every((e) => e.parseError === undefined && !e.flags.includes("ts_from_ingest")));
      }
      assert.equal(service.metrics.counts.accepted, 2 * n);
    } finally {
      await syslogNg.stop();
      await service.close();
      await engine.kill9();
      await Deno.remove(dir, { recursive: true });
      await dropTiers(config);
      await dropTopic(config);
    }
  },
});
