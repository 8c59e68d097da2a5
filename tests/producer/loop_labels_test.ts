import assert from "node:assert/strict";
import { parseConfig } from "../../lib/config/vigil_config.ts";
import { LogEventSchema } from "../../lib/event/log_event.ts";
import { createKafkaAdmin } from "../../lib/kafka/kafka_client.ts";
import { runProducer } from "../../lib/producer/produce_run.ts";
import { parseLabelCsv } from "../../lib/producer/synthetic_labels.ts";
import { consumeTopic, uniqueTopic } from "../../testing/consume_topic.ts";

const config = parseConfig({}, Deno.env.toObject());
const H = (s: number) => `2016-09-28 04:30:${String(s).padStart(2, "0")}, Info                  CBS    `;

Deno.test({
  name:
    "--loop replays the file with distinct ids; --max-events stops exactly; --replay-speed follows event time",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const dir = await Deno.makeTempDir();
    const topic = uniqueTopic("loop");
    const admin = createKafkaAdmin(config);
    try {
      await Deno.writeTextFile(`${dir}/a.log`, `${H(0)}one\n${H(1)}two\n${H(2)}three\n`);
      const looped = await runProducer(config, {
        input: `${dir}/a.log`,
        format: "windows",
        loop: 3,
        maxEvents: 7,
        topic,
      });
      assert.deepEqual([looped.events, looped.acked], [7, 7]);
      const events = (await consumeTopic(config, topic, 7)).map((m) =>
        LogEventSchema.parse(JSON.parse(m.value))
      );
      assert.equal(events.length, 7);
      assert.equal(new Set(events.map((e) => e.id)).size, 7);
      assert.deepEqual(events.map((e) => e.content).sort(), [
        "one",
        "one",
        "one",
        "three",
        "three",
        "two",
        "two",
      ]);

      // Three lines two seconds of event time apart, replayed 4× faster: ≥ 1 s in total.
      await Deno.writeTextFile(`${dir}/b.log`, `${H(0)}a\n${H(2)}b\n${H(4)}c\n`);
      const replay = await runProducer(config, {
        input: `${dir}/b.log`,
        format: "windows",
        replaySpeed: 4,
        topic,
      });
      assert.equal(replay.acked, 3);
      assert.ok(replay.elapsedMs >= 950, `replay took ${replay.elapsedMs} ms`);
    } finally {
      await admin.deleteTopics([topic]);
      await admin.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "synthetic --labels: one label row per event on Kafka, joined by lineNo, with every anomaly kind",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const dir = await Deno.makeTempDir();
    const topic = uniqueTopic("labels");
    const admin = createKafkaAdmin(config);
    try {
      const labelsPath = `${dir}/run.labels.csv`;
      const summary = await runProducer(config, {
        synthetic: "windows",
        rate: Infinity,
        maxEvents: 3000,
        seed: 5,
        anomalies: {
          schedule: [
            { kind: "error_burst", atLine: 200 },
            { kind: "novel_failure", atLine: 900 },
            { kind: "rate_spike", atLine: 1500 },
            { kind: "silent_component", atLine: 2200 },
          ],
          spikeSeconds: [0.1, 0.1],
          silenceSeconds: [2, 2],
        },
        labelsPath,
        topic,
      });
      assert.equal(summary.acked, 3000);
      const labels = parseLabelCsv(await Deno.readTextFile(labelsPath));
      assert.deepEqual(labels.map((l) => l.lineNo), Array.from({ length: 3000 }, (_, i) => i + 1));
      const episodes = JSON.parse(await Deno.readTextFile(`${dir}/run.episodes.json`));
      assert.deepEqual(episodes.map((e: { kind: string }) => e.kind), [
        "error_burst",
        "novel_failure",
        "rate_spike",
        "silent_component",
      ]);
      const events = (await consumeTopic(config, topic, 3000)).map((m) =>
        LogEventSchema.parse(JSON.parse(m.value))
      );
      assert.equal(events.length, 3000);
      const byLine = new Map(labels.map((l) => [l.lineNo, l]));
      for (const e of events) {
        const label = byLine.get(e.lineNo)!;
        assert.equal(e.component, label.component);
        if (label.label === "CRITICAL_ANOMALY") assert.equal(e.level, "error");
      }
      const kinds = new Set(labels.map((l) => l.kind));
      for (const k of ["none", "error_burst", "novel_failure", "rate_spike"]) {
        assert.ok(kinds.has(k as never), k);
      }
    } finally {
      await admin.deleteTopics([topic]);
      await admin.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
