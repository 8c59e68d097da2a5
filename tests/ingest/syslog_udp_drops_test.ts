/**
 * UDP syslog counts what it had to drop: util-linux `logger --udp` (a client no one here wrote) sends bursts of
 * datagrams at a receiver allowed 20 events waiting for Kafka (`ingest.maxPendingEvents`), so most of each burst
 * arrives while 20 are in flight and is dropped — UDP has no way to slow its sender. A last burst of 5,000 may also
 * overflow the socket's receive buffer, where the kernel drops before vigil sees anything. On `/metrics`,
 * `vigil_ingest_udp_dropped_total` over its reasons (backlog, kafka, and kernel — Linux's per-socket count) equals
 * sent − accepted; the per-client counters equal accepted and vigil's drops; and an engine consumes the topic
 * into the hot tier, which holds exactly the accepted events, each once.
 */
import assert from "node:assert/strict";
import { parseConfig } from "../../lib/config/vigil_config.ts";
import { startIngestService } from "../../lib/ingest/ingest_service.ts";
import { dropTiers, engineEnv, EngineProcess } from "../../testing/engine_process.ts";
import { dropTopic, freshTopic } from "../../testing/kafka_test_topics.ts";
import { promSample } from "../../testing/prometheus_sample.ts";
import { settledHotTier } from "../../testing/settled_hot_tier.ts";
import { namespaceSettings, testNamespace } from "../../testing/test_namespace.ts";
import { until } from "../../testing/until.ts";
import { udpKernelDrops } from "../../lib/ingest/udp_kernel_drops.ts";

const BURSTS = 10;
const PER_BURST = 200;
const BIG_BURST = 5000;

Deno.test({
  name:
    "logger bursts over UDP at a receiver allowed 20 events in flight: dropped on /metrics = sent − accepted, accepted exactly in the hot tier",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const kafka = await freshTopic(2, "ingest-udp-drops");
    const config = parseConfig({
      kafka: kafka.kafka,
      ...namespaceSettings(testNamespace("ingest-udp-drops")),
      ingest: { maxPendingEvents: 20 },
    }, Deno.env.toObject());
    const service = await startIngestService(config, {
      topic: config.kafka.topic,
      httpPort: 0,
      syslogUdpPort: 0,
    });
    const engine = new EngineProcess(engineEnv(config));
    const port = service.syslogUdpPort!;
    const file = await Deno.makeTempFile({ suffix: ".log" });
    const { counts } = service.metrics;
    try {
      await engine.ready();
      const kernelDrops = () => udpKernelDrops(port) ?? 0;
      let sent = 0;
      // Bursts of PER_BURST, then one of BIG_BURST: more than the socket's default receive buffer holds while the
      // receiver is busy, so the kernel may drop some too — counted on /metrics as reason "kernel".
      for (let b = 0; b <= BURSTS; b++) {
        const size = b < BURSTS ? PER_BURST : BIG_BURST;
        await Deno.writeTextFile(
          file,
          Array.from({ length: size }, (_, i) => `udp burst ${b} datagram ${i}`).join("\n") + "\n",
        );
        const out = await new Deno.Command("logger", {
          args: [
            "--server",
            "127.0.0.1",
            "--port",
            String(port),
            "--udp",
            "--rfc5424",
            "-t",
            "udpdrops",
            "-f",
            file,
          ],
          stdout: "null",
          stderr: "piped",
        }).output();
        assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
        sent += size;
        // Every datagram of the burst was taken, dropped by vigil, or dropped by the kernel before vigil saw it.
        await until(() => counts.accepted + counts.dropped + kernelDrops() === sent, {
          what: () =>
            `the burst of ${sent} accounted for (accepted ${counts.accepted}, dropped ${counts.dropped})`,
          deadlineMs: 60_000,
          pollMs: 20,
        });
      }
      const kernel = kernelDrops();
      const accepted = counts.accepted;
      assert.ok(
        accepted > 0 && counts.dropped > 0,
        `some taken, some dropped (${accepted}, ${counts.dropped})`,
      );
      const text = await service.metrics.registry.metrics();
      const dropped = promSample(text, 'vigil_ingest_udp_dropped_total{reason="backlog"}') +
        promSample(text, 'vigil_ingest_udp_dropped_total{reason="kafka"}');
      assert.equal(
        dropped,
        sent - accepted - kernel,
        "dropped by vigil = sent − accepted − dropped by the kernel",
      );
      assert.equal(promSample(text, 'vigil_ingest_udp_dropped_total{reason="kernel"}'), kernel);
      assert.equal(
        dropped + promSample(text, 'vigil_ingest_udp_dropped_total{reason="kernel"}'),
        sent - accepted,
        "every drop counted on /metrics: vigil's and the kernel's = sent − accepted",
      );
      assert.equal(
        promSample(text, 'vigil_ingest_events_total{receiver="syslog_udp",outcome="dropped"}'),
        dropped,
      );
      assert.equal(
        promSample(text, 'vigil_ingest_events_total{receiver="syslog_udp",outcome="accepted"}'),
        accepted,
      );
      assert.equal(
        promSample(
          text,
          'vigil_ingest_client_events_total{receiver="syslog_udp",client="127.0.0.1",outcome="accepted"}',
        ),
        accepted,
        "the per-client counter of accepted events",
      );
      assert.equal(
        promSample(
          text,
          'vigil_ingest_client_events_total{receiver="syslog_udp",client="127.0.0.1",outcome="dropped"}',
        ),
        dropped,
        "the per-client counter of dropped events",
      );
      console.log(
        `udp drops: sent ${sent}, accepted ${accepted}, dropped by vigil ${dropped}, dropped by the kernel ${kernel}`,
      );
      await service.close();
      const hot = await settledHotTier(config, engine, accepted);
      assert.equal(hot.documents, accepted, "documents = accepted");
      assert.equal(hot.distinctContents, accepted, "each once");
      assert.ok(hot.events!.every((e) => e.component === "udpdrops" && e.content.startsWith("udp burst ")));
    } finally {
      await service.close();
      await engine.kill9();
      await Deno.remove(file);
      await dropTiers(config);
      await dropTopic(config);
    }
  },
});
