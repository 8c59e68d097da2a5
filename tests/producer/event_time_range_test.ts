/**
 * What `deno task start` reports about a produced file: the final totals (also for a run shorter than one
 * progress interval — `produced` used to stay 0) and the event-time range of the file; `--retime now`.
 */
import assert from "node:assert/strict";
import { parseConfig } from "../../lib/config/vigil_config.ts";
import { createKafkaAdmin } from "../../lib/kafka/kafka_client.ts";
import { LogEventSchema } from "../../lib/event/log_event.ts";
import { ProduceOptionsError, type ProduceProgress, runProducer } from "../../lib/producer/produce_run.ts";
import { consumeTopic, uniqueTopic } from "../../testing/consume_topic.ts";

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

Deno.test({
  name: "--retime now: the file lands at the present at its own pace × replay speed, originalTs kept",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const dir = await Deno.makeTempDir();
    const path = `${dir}/CBS.log`;
    const topic = uniqueTopic("retime");
    const admin = createKafkaAdmin(config);
    try {
      await Deno.writeTextFile(
        path,
        [
          "2016-09-28 04:30:30, Info                  CBS    first",
          "2016-09-28 04:30:35, Info                  CBS    second",
          "2016-09-28 04:30:40, Info                  CBS    third",
        ].join("\n") + "\n",
      );
      const before = Date.now();
      const summary = await runProducer(config, {
        input: path,
        format: "windows",
        topic,
        retime: "now",
        replaySpeed: 50,
      });
      const after = Date.now();
      assert.equal(summary.acked, 3);
      const events = (await consumeTopic(config, topic, 3))
        .map((m) => LogEventSchema.parse(JSON.parse(m.value)))
        .sort((a, b) => a.lineNo - b.lineNo);
      assert.deepEqual(events.map((e) => e.fields.originalTs), [
        "2016-09-28T04:30:30.000Z",
        "2016-09-28T04:30:35.000Z",
        "2016-09-28T04:30:40.000Z",
      ]);
      const ts = events.map((e) => Date.parse(e.ts));
      assert.ok(ts[0] >= before && ts[0] <= after, `first event at the present: ${events[0].ts}`);
      assert.deepEqual([ts[1] - ts[0], ts[2] - ts[0]], [100, 200], "5 s and 10 s apart ÷ 50");
      assert.ok(after - before >= 190, `paced at the file's own pace ÷ 50: ${after - before} ms`);
      assert.deepEqual(summary.eventTimeRange, { from: events[0].ts, to: events[2].ts });
    } finally {
      await admin.deleteTopics([topic]).catch(() => {});
      await admin.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("--retime is refused with --rate, for the synthetic source and for any value but now", async () => {
  await assert.rejects(
    runProducer(config, { input: "x.log", format: "windows", retime: "now", rate: 10 }),
    ProduceOptionsError,
  );
  await assert.rejects(runProducer(config, { synthetic: "windows", retime: "now" }), ProduceOptionsError);
  await assert.rejects(
    runProducer(config, { input: "x.log", format: "windows", retime: "later" as "now" }),
    /takes only 'now'/,
  );
});
