/**
 * What `deno task start` reports about a produced file: the final totals (also for a run shorter than one
 * progress interval — `produced` used to stay 0) and the event-time range of the file.
 */
import assert from "node:assert/strict";
import { parseConfig } from "../../lib/config/vigil_config.ts";
import { createKafkaAdmin } from "../../lib/kafka/kafka_client.ts";
import { type ProduceProgress, runProducer } from "../../lib/producer/produce_run.ts";
import { uniqueTopic } from "./consume_topic.ts";

const config = parseConfig({}, Deno.env.toObject());

Deno.test({
  name: "runProducer reports its final totals once done and the earliest/latest event time of the file",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const dir = await Deno.makeTempDir();
    const path = `${dir}/CBS.log`;
    const topic = uniqueTopic("timerange");
    const admin = createKafkaAdmin(config);
    try {
      await Deno.writeTextFile(
        path,
        [
          "2016-09-28 04:30:31, Info                  CBS    second",
          "2016-09-28 04:30:30, Info                  CBS    first (out of order)",
          "",
          "2016-09-29 02:04:00, Info                  CBS    last",
          "",
        ].join("\n"),
      );
      const progress: ProduceProgress[] = [];
      const summary = await runProducer(config, {
        input: path,
        format: "windows",
        topic,
        progressMs: 3_600_000, // no interval tick in this run: only the final report
        onProgress: (p) => progress.push(p),
      });
      assert.equal(summary.acked, 3);
      assert.deepEqual(summary.eventTimeRange, {
        from: "2016-09-28T04:30:30.000Z",
        to: "2016-09-29T02:04:00.000Z",
      });
      assert.equal(progress.length, 1);
      assert.equal(progress[0].acked, 3);
      assert.equal(progress[0].linesRead, 4);
    } finally {
      await admin.deleteTopics([topic]).catch(() => {});
      await admin.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
