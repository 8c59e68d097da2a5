import assert from "node:assert/strict";
import { parseConfig } from "../../lib/config/vigil_config.ts";
import { LogEventSchema } from "../../lib/event/log_event.ts";
import { createKafkaAdmin } from "../../lib/kafka/kafka_client.ts";
import { consumeTopic, uniqueTopic } from "../../testing/consume_topic.ts";
import { runProduceCli } from "./run_produce_cli.ts";

const config = parseConfig({}, Deno.env.toObject());

Deno.test({
  name: "deno task produce --synthetic windows --rate 400 sends about 400 events in each second",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const topic = uniqueTopic("rate");
    const admin = createKafkaAdmin(config);
    const rate = 400;
    const total = 2400; // ~6 s
    try {
      const { code, stderr } = await runProduceCli([
        "--synthetic",
        "windows",
        "--rate",
        String(rate),
        "--max-events",
        String(total),
        "--anomalies",
        "none",
        "--topic",
        topic,
      ]);
      assert.equal(code, 0, stderr);
      const events = (await consumeTopic(config, topic, total)).map((m) =>
        LogEventSchema.parse(JSON.parse(m.value))
      );
      assert.equal(events.length, total);
      assert.ok(
        events.every((e) => e.system === "windows" && e.source === "synthetic:windows" && !e.parseError),
      );
      // Count events read (ingestTs) inside a 4-second window that skips the first and last second.
      const times = events.map((e) => Date.parse(e.ingestTs)).sort((a, b) => a - b);
      const from = times[0] + 1000;
      const to = from + 4000;
      const inWindow = times.filter((t) => t >= from && t < to).length;
      const expected = rate * 4;
      assert.ok(
        Math.abs(inWindow - expected) <= expected * 0.15,
        `expected ${expected} ± 15% events in the window, counted ${inWindow}`,
      );
    } finally {
      await admin.deleteTopics([topic]);
      await admin.close();
    }
  },
});
