/**
 * Real-shipper test of the `_bulk`-compatible endpoint and of `ingest.fieldMapping`: syslog-ng 3.38 (Debian's
 * `syslog-ng-core` + `syslog-ng-mod-http` + `syslog-ng-scl`; the test is ignored with a message when missing)
 * reads a file and sends it with its `elasticsearch-http()` destination, whose default documents use syslog-ng's
 * own upper-case names (`MESSAGE`, `HOST`, `PROGRAM`, `PRIORITY`) — mapped by configuration, not code. An engine
 * process consumes the topic and every line is counted in the hot tier (OpenSearch, a test namespace): exact counts,
 * each once. syslog-ng runs in the foreground with its own configuration,
 * persist file, pid file and control socket, and is stopped by its pid.
 */
import assert from "node:assert/strict";
import { parseConfig } from "../../lib/config/vigil_config.ts";
import { startIngestService } from "../../lib/ingest/ingest_service.ts";
import { dropTiers, engineEnv, EngineProcess } from "../../testing/engine_process.ts";
import { dropTopic, freshTopic } from "../../testing/kafka_test_topics.ts";
import { settledHotTier } from "../../testing/settled_hot_tier.ts";
import { namespaceSettings, testNamespace } from "../../testing/test_namespace.ts";
import { startSyslogNg } from "../../testing/syslog_ng_process.ts";

const installed = ["/usr/sbin/syslog-ng", "/usr/share/syslog-ng/include/scl/elasticsearch/elastic-http.conf"]
  .every(
    (p) => {
      try {
        return Deno.statSync(p).isFile;
      } catch {
        return false;
      }
    },
  );
if (!installed) {
  // Debian cannot have rsyslog and syslog-ng installed at once: with rsyslog, rsyslog_forward_test.ts runs instead.
  console.warn(
    "syslog_ng_bulk_test: apt-get install syslog-ng-core syslog-ng-mod-http syslog-ng-scl to run it (replaces rsyslog)",
  );
}

Deno.test({
  name:
    "syslog-ng's elasticsearch-http() destination sends a file to _bulk, mapped by ingest.fieldMapping: exact in the hot tier",
  ignore: !installed,
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const kafka = await freshTopic(2, "ingest-syslogng");
    const config = parseConfig({
      kafka: kafka.kafka,
      ...namespaceSettings(testNamespace("ingest-syslogng")),
      ingest: {
        fieldMapping: { message: ["MESSAGE"], host: ["HOST"], component: ["PROGRAM"], level: ["PRIORITY"] },
      },
    }, Deno.env.toObject());
    const service = await startIngestService(config, { topic: config.kafka.topic, httpPort: 0 });
    const engine = new EngineProcess(engineEnv(config));
    const dir = await Deno.makeTempDir({ prefix: "vigil-syslogng-" });
    const n = 3000;
    await Deno.writeTextFile(
      `${dir}/input.log`,
      Array.from({ length: n }, (_, i) => `<${i % 2 ? 11 : 14}>Dec  3 18:00:00 web7 shop[42]: order ${i}`)
        .join("\n") +
        "\n",
    );
    const syslogNg = await startSyslogNg(
      dir,
      `@version: 3.38
@include "scl.conf"
options { stats_freq(0); };
source s_file { file("${dir}/input.log" follow-freq(1) keep-hostname(yes)); };
destination d_vigil {
  elasticsearch-http(url("${service.addresses.http}/_bulk") index("syslogng") type("") batch-lines(200) workers(2));
};
log { source(s_file); destination(d_vigil); };
`,
    );
    try {
      await engine.ready();
      const hot = await settledHotTier(config, engine, n).catch((err) => {
        throw new Error(`${err.message}\nsyslog-ng stderr:\n${syslogNg.stderr()}`);
      });
      assert.equal(hot.documents, n, "documents");
      assert.equal(hot.distinctContents, n, "each line once");
      const events = hot.events!;
      const e = events.find((x) => x.content === "order 1")!;
      assert.equal(e.host, "web7");
      assert.equal(e.component, "shop");
      assert.equal(e.level, "error"); // <11> = user.err
      assert.equal(e.system, "bulk");
      assert.equal(e.fields._index, "syslogng");
      assert.equal(e.fields.PID, "42");
      assert.ok(!e.flags.includes("ts_from_ingest") && !e.flags.includes("level_inferred"), e.flags.join());
      assert.equal(events.filter((x) => x.level === "error").length, n / 2);
      assert.equal(events.filter((x) => x.level === "info").length, n / 2);
      assert.equal(service.metrics.counts.accepted, n);
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
