/**
 * KafkaSource against the real Kafka of the local stack: validation to the DLQ, commits only after both tiers
 * acknowledged, restart resumes from the commit.
 */
import assert from "node:assert/strict";
import { KafkaSource } from "../../actors/kafka_source.ts";
import { DeadLetterProducer } from "../../actors/dead_letter_producer.ts";
import { decodeDeadLetter } from "../../actors/dead_letter_envelope.ts";
import type { KafkaCoordinates, LogEvent } from "../../lib/event/log_event.ts";
import type { VigilConfig } from "../../lib/config/vigil_config.ts";
import { logEvent } from "../../testing/delivery_fixtures.ts";
import {
  committedOffsets,
  dropTopic,
  freshTopic,
  produceEvents,
  produceRaw,
  readTopic,
} from "../../testing/kafka_test_topics.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

async function until(cond: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 50));
  }
}

const running: KafkaSource[] = [];

function source(
  config: VigilConfig,
  dlq: DeadLetterProducer,
  onEvent: (e: LogEvent, k: KafkaCoordinates) => void,
): KafkaSource {
  const s = new KafkaSource({ config, deadLetters: dlq, onEvent, commitIntervalMs: 200, log: () => {} });
  running.push(s);
  return s;
}

/** Stops sources a failed test left running (stop is idempotent). */
async function stopAll(): Promise<void> {
  for (const s of running.splice(0)) await s.stop(0);
}

Deno.test({
  ...opts,
  name:
    "KafkaSource: valid events flow, hostile ones go to the DLQ with reasons; commits wait for both tiers",
  fn: async () => {
    const config = await freshTopic(2, "source");
    const dlq = new DeadLetterProducer(config);
    try {
      await produceEvents(config, Array.from({ length: 100 }, (_, i) => logEvent(i, { host: `h${i % 5}` })));
      await produceRaw(config, [
        { key: "bad|1", value: "not json at all <script>" },
        { key: "bad|2", value: new Uint8Array([0xff, 0xfe, 0x00, 0x41]) },
        { key: "bad|3", value: JSON.stringify({ ...logEvent(1), level: "loud" }) },
        { key: "bad|4", value: "" },
      ]);
      const got: { event: LogEvent; kafka: KafkaCoordinates }[] = [];
      let s = source(config, dlq, (event, kafka) => void got.push({ event, kafka }));
      await s.start();
      await until(() => got.length === 100 && s.metrics.invalid === 4);
      assert.equal(new Set(got.map((g) => g.event.id)).size, 100);
      // Only the hot tier acknowledges: nothing but the DLQ'd messages may be committed.
      s.ack(got.map((g) => ({ kafka: g.kafka, tier: "hot" as const, outcome: "delivered" as const })));
      await s.commit();
      // The 4 dead letters are done once their DLQ write is acknowledged, which may trail the `invalid` count.
      await until(() => s.metrics.inFlight <= 100);
      assert.equal(s.metrics.inFlight, 100);
      await s.stop(100);
      const afterHotOnly = await committedOffsets(config);

      // A restart re-reads everything not done in both tiers.
      const again: { event: LogEvent; kafka: KafkaCoordinates }[] = [];
      s = source(config, dlq, (event, kafka) => void again.push({ event, kafka }));
      await s.start();
      await until(() => again.length === 100 && s.metrics.invalid === 4);
      // The dead letters sat behind unfinished events, so they were not committed and are dead-lettered again
      // (at-least-once, like everything else).
      s.ack(again.flatMap((g) => [
        { kafka: g.kafka, tier: "cold" as const, outcome: "delivered" as const },
        { kafka: g.kafka, tier: "hot" as const, outcome: "delivered" as const },
      ]));
      await s.stop(5_000);
      const ends = await committedOffsets(config);
      const total = ends.reduce((n, o) => n + Number(o), 0);
      assert.equal(total, 104, `every message committed: ${ends}`);
      assert.ok(afterHotOnly.reduce((n, o) => n + Math.max(0, Number(o)), 0) < 104, `${afterHotOnly}`);

      // Nothing left for a third run.
      const third: LogEvent[] = [];
      s = source(config, dlq, (e) => void third.push(e));
      await s.start();
      await new Promise((r) => setTimeout(r, 2000));
      await s.stop(100);
      assert.equal(third.length, 0);

      const letters = (await readTopic(config, `${config.kafka.topic}.dlq`, 4)).map((m) =>
        decodeDeadLetter(m.value)
      );
      assert.equal(letters.length, 4);
      const byKey = new Map(letters.map((l) => [new TextDecoder().decode(l.key), l]));
      assert.match(byKey.get("bad|1")!.reason, /not UTF-8 JSON/);
      assert.deepEqual([...byKey.get("bad|2")!.original], [0xff, 0xfe, 0x00, 0x41]);
      assert.match(byKey.get("bad|3")!.reason, /not a LogEvent: level/);
      assert.match(byKey.get("bad|4")!.reason, /empty/);
      assert.ok(letters.every((l) => l.stage === "source" && l.kafka?.topic === config.kafka.topic));
    } finally {
      await stopAll();
      await dlq.close();
      await dropTopic(config);
    }
  },
});

Deno.test({
  ...opts,
  name: "KafkaSource: maxInFlight pauses consumption until acknowledgements arrive",
  fn: async () => {
    const config = await freshTopic(1, "pause");
    const dlq = new DeadLetterProducer(config);
    try {
      await produceEvents(config, Array.from({ length: 50 }, (_, i) => logEvent(i)));
      const got: KafkaCoordinates[] = [];
      const s = new KafkaSource({
        config,
        deadLetters: dlq,
        onEvent: (_e, k) => void got.push(k),
        maxInFlight: 10,
        lagIntervalMs: 200,
        log: () => {},
      });
      running.push(s);
      await s.start();
      await until(() => got.length === 10);
      await new Promise((r) => setTimeout(r, 500));
      assert.equal(got.length, 10, "no more than maxInFlight outstanding");
      assert.equal(s.metrics.paused, true);
      await until(() => s.metrics.partitions[0]?.lag !== undefined);
      assert.ok(Number(s.metrics.partitions[0].lag) >= 40, `lag ${s.metrics.partitions[0].lag}`);
      s.ack(
        got.splice(0).flatMap((kafka) => [
          { kafka, tier: "hot" as const, outcome: "delivered" as const },
          { kafka, tier: "cold" as const, outcome: "delivered" as const },
        ]),
      );
      await until(() => got.length === 10);
      assert.equal(s.metrics.inFlight, 10);
      await s.stop(100);
    } finally {
      await stopAll();
      await dlq.close();
      await dropTopic(config);
    }
  },
});
