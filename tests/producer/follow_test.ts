import assert from "node:assert/strict";
import { parseConfig } from "../../lib/config/vigil_config.ts";
import { LogEventSchema } from "../../lib/event/log_event.ts";
import { createKafkaAdmin } from "../../lib/kafka/kafka_client.ts";
import { runProducer } from "../../lib/producer/produce_run.ts";
import { consumeTopic, uniqueTopic } from "../../testing/consume_topic.ts";
import { until } from "../../testing/until.ts";

const config = parseConfig({}, Deno.env.toObject());
const line = (n: number) =>
  `2016-09-28 04:30:${String(n % 60).padStart(2, "0")}, Info                  CBS    followed line ${n}\n`;

Deno.test({
  name: "--follow publishes appended lines across rotation and truncation, and stops cleanly",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const dir = await Deno.makeTempDir();
    const path = `${dir}/CBS.log`;
    const topic = uniqueTopic("follow");
    const admin = createKafkaAdmin(config);
    const controller = new AbortController();
    try {
      await Deno.writeTextFile(path, line(1) + line(2));
      let acked = 0;
      const run = runProducer(config, {
        input: path,
        follow: true,
        format: "windows",
        topic,
        signal: controller.signal,
        onProgress: (p) => acked = p.acked,
        progressMs: 20,
      });
      // Each change to the file is made once Kafka acknowledged every line before it: the follower has read them.
      const ackedAll = (n: number) =>
        until(() => acked >= n, { what: `${n} lines on Kafka`, deadlineMs: 30_000 });
      await ackedAll(2);
      await Deno.writeTextFile(path, line(3), { append: true });
      await ackedAll(3);
      await Deno.rename(path, `${path}.1`); // rotation
      await Deno.writeTextFile(path, line(4) + line(5));
      await ackedAll(5);
      await Deno.writeTextFile(path, line(6)); // truncated and rewritten (copytruncate)
      await ackedAll(6);
      controller.abort();
      const summary = await run;
      assert.equal(summary.interrupted, true);
      assert.equal(summary.events, 6);
      assert.equal(summary.acked, 6);
      const events = (await consumeTopic(config, topic, 6)).map((m) =>
        LogEventSchema.parse(JSON.parse(m.value))
      );
      assert.deepEqual(
        events.map((e) => e.content).sort(),
        [1, 2, 3, 4, 5, 6].map((n) => `followed line ${n}`),
      );
    } finally {
      controller.abort();
      await admin.deleteTopics([topic]);
      await admin.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
