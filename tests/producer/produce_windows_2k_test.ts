import assert from "node:assert/strict";
import { parseConfig } from "../../lib/config/vigil_config.ts";
import { LogEventSchema } from "../../lib/event/log_event.ts";
import { createKafkaAdmin } from "../../lib/kafka/kafka_client.ts";
import { consumeTopic, uniqueTopic } from "../../testing/consume_topic.ts";
import { runProduceCli } from "./run_produce_cli.ts";

const config = parseConfig({}, Deno.env.toObject());
const WINDOWS_2K = new URL("../../../shared/loghub/Windows/Windows_2k.log", import.meta.url).pathname;

Deno.test({
  name:
    "deno task produce --input Windows_2k.log --format windows puts exactly 2000 structured events on Kafka",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const topic = uniqueTopic("windows2k");
    const admin = createKafkaAdmin(config);
    try {
      const { code, stderr } = await runProduceCli(
        ["--input", WINDOWS_2K, "--format", "windows", "--topic", topic, "--host", "win-test-01"],
      );
      assert.equal(code, 0, stderr);
      assert.match(stderr, /done: 2,000 events read, 2,000 delivered/);
      assert.equal(await admin.partitionCount(topic), config.kafka.partitions);

      const messages = await consumeTopic(config, topic, 2000);
      assert.equal(messages.length, 2000);
      const lines = (await Deno.readTextFile(WINDOWS_2K)).split("\n").filter((l) => l.length > 0);
      const events = messages.map((m) => LogEventSchema.parse(JSON.parse(m.value)));
      events.sort((a, b) => a.lineNo - b.lineNo);
      assert.deepEqual(events.map((e) => e.lineNo), Array.from({ length: 2000 }, (_, i) => i + 1));
      assert.equal(new Set(events.map((e) => e.id)).size, 2000);
      for (const e of events) {
        assert.equal(e.raw, lines[e.lineNo - 1].replace(/\r$/, ""));
        assert.equal(e.system, "windows");
        assert.equal(e.host, "win-test-01");
        assert.equal(e.level, "info");
        assert.ok(e.component === "CBS" || e.component === "CSI", e.component);
        assert.equal(e.parseError, undefined);
        assert.deepEqual(e.flags, []);
      }
      const first = events[0];
      assert.equal(first.ts, "2016-09-28T04:30:30.000Z");
      assert.match(first.content, /^Loaded Servicing Stack v6\.1\.7601\.23505 with Core: /);
      // Keys are host|component, and a key always maps to one partition.
      const partitionOfKey = new Map<string, number>();
      for (const m of messages) {
        const e = JSON.parse(m.value);
        assert.equal(m.key, `${e.host}|${e.component}`);
        assert.equal(partitionOfKey.get(m.key) ?? m.partition, m.partition);
        partitionOfKey.set(m.key, m.partition);
      }
    } finally {
      await admin.deleteTopics([topic]);
      await admin.close();
    }
  },
});
