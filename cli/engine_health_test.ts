import assert from "node:assert/strict";
import { engineHealth } from "./engine_health.ts";
import type { KafkaSourceMetrics } from "../actors/kafka_source.ts";
import { formatStatusLine } from "./engine_status.ts";

const idle: KafkaSourceMetrics = {
  consumed: 10,
  invalid: 0,
  redelivered: 0,
  commits: 3,
  commitErrors: 0,
  paused: false,
  inFlight: 0,
  inFlightBytes: 0,
  assigned: ["t-0"],
  partitions: [{ topic: "t", partition: 0, inFlight: 1, oldestUnacked: { offset: "7", ageMs: 1500 } }],
  stalled: [],
  stallsReported: 0,
};

Deno.test("engineHealth: healthy with both tiers up, nothing stalled, dead letters stored", () => {
  const h = engineHealth({ hotHealthy: true, coldHealthy: true, source: idle });
  assert.equal(h.healthy, true);
  assert.deepEqual(h.reasons, []);
  assert.deepEqual(h.oldestUnacked, [{ topic: "t", partition: 0, offset: "7", ageMs: 1500 }]);
});

Deno.test("engineHealth: a blocked dead-letter topic, a stall and a failing tier each give a reason", () => {
  const blocked = {
    reason: "dead-letter topic t.dlq refused the write: MESSAGE_TOO_LARGE",
    since: "x",
    waiting: 2,
  };
  const h = engineHealth({
    hotHealthy: false,
    coldHealthy: true,
    source: {
      ...idle,
      paused: true,
      pausedReason: `${blocked.reason} (blocked since x, 2 waiting)`,
      deadLettersBlocked: blocked,
      stalled: [{ topic: "t", partition: 0, offset: "7", ageMs: 700_000 }],
    },
  });
  assert.equal(h.healthy, false);
  assert.deepEqual(h.reasons, [
    "hot tier failing (retrying)",
    "partition t-0 stalled at offset 7 for 700 s",
    `source paused: ${blocked.reason} (blocked since x, 2 waiting)`,
  ]);
  assert.deepEqual(h.deadLetters, blocked);
});

Deno.test("status line: a paused source says why instead of 'backpressure'", () => {
  const base = {
    consumed: 1,
    inFlight: 0,
    hotDelivered: 1,
    hotHealthy: true,
    coldDelivered: 1,
    coldBuffered: 0,
    coldHealthy: true,
    coldTimeoutMs: 1000,
    kafkaLag: 0,
    paused: true,
    stalled: [],
  };
  assert.match(formatStatusLine(base), /paused \(backpressure\)/);
  const line = formatStatusLine({ ...base, pausedReason: "dead letters cannot be stored: too large" });
  assert.match(line, /PAUSED: dead letters cannot be stored: too large/);
  assert.doesNotMatch(line, /backpressure/);
});
