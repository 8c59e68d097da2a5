/**
 * KafkaSource against the real Kafka of the local stack: validation to the DLQ, commits only after both tiers
 * acknowledged, restart resumes from the commit.
 */
import assert from "node:assert/strict";
import { silentLogger } from "../../engine/logger.ts";
import { KafkaSource } from "../../actors/kafka_source.ts";
import { DeadLetterProducer } from "../../actors/dead_letter_producer.ts";
import { decodeDeadLetter } from "../../actors/dead_letter_envelope.ts";
import type { KafkaCoordinates, LogEvent } from "../../lib/event/log_event.ts";
import type { Sourced } from "../../actors/delivery_record.ts";
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
import { runKafkaSource, type RunningSource } from "../../testing/run_kafka_source.ts";
import { until } from "../../testing/until.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

const running: RunningSource[] = [];

/** A source run as the pipeline runs it, its events collected into `got`. */
function source(
  config: VigilConfig,
  dlq: DeadLetterProducer,
  got: Sourced<LogEvent>[],
  options: { maxInFlight?: number; maxInFlightBytes?: number; lagIntervalMs?: number } = {},
): { source: KafkaSource; running: RunningSource } {
  const s = new KafkaSource({
    config,
    deadLetters: dlq,
    commitIntervalMs: 200,
    logger: silentLogger,
    ...options,
  });
  const r = runKafkaSource(s, (m) => got.push(m));
  running.push(r);
  return { source: s, running: r };
}

/** Stops sources a failed test left running (stop is idempotent). */
async function stopAll(): Promise<void> {
  for (const r of running.splice(0)) await r.stop(0);
}

const wait = { deadlineMs: 30_000 };

/** Runs `body` on a fresh topic with a dead-letter producer; after it, stops its sources and drops the topic. */
async function onFreshTopic(
  partitions: number,
  name: string,
  body: (config: VigilConfig, dlq: DeadLetterProducer) => Promise<void>,
): Promise<void> {
  const config = await freshTopic(partitions, name);
  const dlq = new DeadLetterProducer(config);
  try {
    await body(config, dlq);
  } finally {
    await stopAll();
    await dlq.close();
    await dropTopic(config);
  }
}

Deno.test({
  ...opts,
  name:
    "KafkaSource: valid events flow, hostile ones go to the DLQ with reasons; commits wait for both tiers",
  fn: async () => {
    await onFreshTopic(2, "source", async (config, dlq) => {
      await produceEvents(config, Array.from({ length: 100 }, (_, i) => logEvent(i, { host: `h${i % 5}` })));
      await produceRaw(config, [
        { key: "bad|1", value: "not json at all <script>" },
        { key: "bad|2", value: new Uint8Array([0xff, 0xfe, 0x00, 0x41]) },
        { key: "bad|3", value: JSON.stringify({ ...logEvent(1), level: "loud" }) },
        { key: "bad|4", value: "" },
      ]);
      const got: Sourced<LogEvent>[] = [];
      let { source: s, running: r } = source(config, dlq, got);
      await until(() => got.length === 100 && s.metrics.invalid === 4, {
        ...wait,
        what: "100 events, 4 invalid",
      });
      assert.equal(new Set(got.map((g) => g.event.id)).size, 100);
      // Only the hot tier acknowledges: nothing but the DLQ'd messages may be committed.
      s.ack(got.map((g) => ({ kafka: g.kafka, tier: "hot" as const, outcome: "delivered" as const })));
      await s.commit();
      // The 4 dead letters are done once their DLQ write is acknowledged, which may trail the `invalid` count.
      await until(() => s.metrics.inFlight <= 100, { ...wait, what: "the dead letters done" });
      assert.equal(s.metrics.inFlight, 100);
      await r.stop(100);
      const afterHotOnly = await committedOffsets(config);

      // A restart re-reads everything not done in both tiers.
      const again: Sourced<LogEvent>[] = [];
      ({ source: s, running: r } = source(config, dlq, again));
      await until(() => again.length === 100 && s.metrics.invalid === 4, {
        ...wait,
        what: "100 events and 4 invalid again",
      });
      // The dead letters sat behind unfinished events, so they were not committed and are dead-lettered again
      // (at-least-once, like everything else).
      s.ack(again.flatMap((g) => [
        { kafka: g.kafka, tier: "cold" as const, outcome: "delivered" as const },
        { kafka: g.kafka, tier: "hot" as const, outcome: "delivered" as const },
      ]));
      await r.stop(5_000);
      const ends = await committedOffsets(config);
      const total = ends.reduce((n, o) => n + Number(o), 0);
      assert.equal(total, 104, `every message committed: ${ends}`);
      assert.ok(afterHotOnly.reduce((n, o) => n + Math.max(0, Number(o)), 0) < 104, `${afterHotOnly}`);

      // Nothing left for a third run: behind the commits, it reads only what is produced after them — one
      // sentinel per key of the first run (so in every partition that held events), in order after the rest.
      await produceEvents(config, Array.from({ length: 5 }, (_, i) => logEvent(1000 + i, { host: `h${i}` })));
      const third: Sourced<LogEvent>[] = [];
      ({ running: r } = source(config, dlq, third));
      await until(() => third.length >= 5, { ...wait, what: "the 5 sentinels" });
      await r.stop(100);
      assert.deepEqual(
        third.map((m) => m.event.id).sort(),
        Array.from({ length: 5 }, (_, i) => logEvent(1000 + i).id).sort(),
        "only the sentinels: everything before them was committed",
      );

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
    });
  },
});

Deno.test({
  ...opts,
  name: "KafkaSource: maxInFlight pauses consumption until acknowledgements arrive",
  fn: async () => {
    await onFreshTopic(1, "pause", async (config, dlq) => {
      await produceEvents(config, Array.from({ length: 50 }, (_, i) => logEvent(i)));
      const received: Sourced<LogEvent>[] = [];
      const { source: s, running: r } = source(config, dlq, received, {
        maxInFlight: 10,
        lagIntervalMs: 200,
      });
      const got = (): KafkaCoordinates[] => received.map((m) => m.kafka);
      await until(() => s.metrics.paused, { ...wait, what: "the source pausing at maxInFlight" });
      assert.equal(received.length, 10, "no more than maxInFlight outstanding");
      await until(() => s.metrics.partitions[0]?.lag !== undefined, { ...wait, what: "the lag" });
      assert.ok(Number(s.metrics.partitions[0].lag) >= 40, `lag ${s.metrics.partitions[0].lag}`);
      s.ack(
        got().flatMap((kafka) => [
          { kafka, tier: "hot" as const, outcome: "delivered" as const },
          { kafka, tier: "cold" as const, outcome: "delivered" as const },
        ]),
      );
      await until(() => received.length === 20, { ...wait, what: "the next 10 events" });
      await until(() => s.metrics.paused, { ...wait, what: "the source pausing again" });
      assert.equal(received.length, 20, "again no more than maxInFlight outstanding");
      assert.equal(s.metrics.inFlight, 10);
      await r.stop(100);
    });
  },
});

Deno.test({
  ...opts,
  name: "KafkaSource: maxInFlightBytes pauses consumption of large events long before maxInFlight",
  fn: async () => {
    await onFreshTopic(1, "pausebytes", async (config, dlq) => {
      // 8 KiB lines: a count bound of 1,000 would let 8 MiB wait in memory; the byte bound holds 10 of them.
      const values = Array.from(
        { length: 50 },
        (_, i) => JSON.stringify(logEvent(i, { raw: `${i} ${"x".repeat(8 * 1024)}` })),
      );
      const sizes = values.map((v) => new TextEncoder().encode(v).byteLength);
      const ten = sizes.slice(0, 10).reduce((a, b) => a + b, 0);
      await produceRaw(config, values.map((value, i) => ({ key: `k|${i}`, value })));
      const received: Sourced<LogEvent>[] = [];
      const { source: s, running: r } = source(config, dlq, received, {
        maxInFlight: 1000,
        maxInFlightBytes: ten,
      });
      await until(() => s.metrics.paused, { ...wait, what: "the source pausing at maxInFlightBytes" });
      assert.equal(received.length, 10, "it waits once the bytes in flight reach the bound");
      assert.equal(s.metrics.inFlightBytes, ten);
      const acked = received.slice(0, 5).flatMap((m) => [
        { kafka: m.kafka, tier: "hot" as const, outcome: "delivered" as const },
        { kafka: m.kafka, tier: "cold" as const, outcome: "delivered" as const },
      ]);
      s.ack(acked);
      await until(() => received.length === 15 && s.metrics.paused, {
        ...wait,
        what: "5 more events, paused",
      });
      assert.equal(s.metrics.inFlightBytes, sizes.slice(5, 15).reduce((a, b) => a + b, 0));
      assert.equal(s.metrics.inFlight, 10);
      await r.stop(100);
    });
  },
});

Deno.test({
  ...opts,
  name: "KafkaSource: a backlog is handed over in runs, not one event per turn of the event loop",
  fn: async () => {
    // What the stage behind the source sees: everything handed over in one synchronous run reaches its
    // mailbox before it runs, so it gets a batch. One event per turn made the parser run once per event.
    await onFreshTopic(1, "runs", async (config, dlq) => {
      await produceEvents(config, Array.from({ length: 500 }, (_, i) => logEvent(i)));
      const got: Sourced<LogEvent>[] = [];
      let turns = 0;
      let inTurn = false;
      const { source: s, running: r } = source(config, dlq, got);
      // runKafkaSource's sender calls back synchronously; a microtask marks the end of the current run.
      const seen = got.push.bind(got);
      got.push = (...items: Sourced<LogEvent>[]) => {
        if (!inTurn) {
          inTurn = true;
          turns++;
          queueMicrotask(() => inTurn = false);
        }
        return seen(...items);
      };
      await until(() => got.length === 500, { ...wait, what: "the 500 events" });
      assert.deepEqual(got.map((g) => Number(g.kafka.offset)), Array.from({ length: 500 }, (_, i) => i));
      assert.ok(turns <= 50, `500 events in ${turns} runs`);
      assert.equal(s.metrics.consumed, 500);
      await r.stop(100);
    });
  },
});
