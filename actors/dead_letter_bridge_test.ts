import assert from "node:assert/strict";
import { DeadLetters } from "../engine/dead_letters.ts";
import { deadLetterBridge, stageOfActor } from "./dead_letter_bridge.ts";
import type { DeadLetterRecord } from "./dead_letter_record.ts";
import type { KafkaCoordinates } from "../lib/event/log_event.ts";
import { until } from "../testing/until.ts";
import { recordingLogger } from "../testing/recording_logger.ts";

const kafka = { topic: "t", partition: 1, offset: "42" };

function setup(failFirst = 0, signal?: AbortSignal) {
  const written: DeadLetterRecord[] = [];
  const acked: KafkaCoordinates[] = [];
  const logger = recordingLogger();
  const tries = { count: 0 };
  let failures = failFirst;
  const writer = {
    write(records: DeadLetterRecord[]) {
      tries.count++;
      if (failures-- > 0) return Promise.reject(new Error("broker down"));
      written.push(...records);
      return Promise.resolve();
    },
  };
  const office = new DeadLetters();
  office.subscribe(deadLetterBridge(writer, { ackAll: (k) => acked.push(k) }, logger, signal));
  return { office, written, acked, logs: logger.messages, tries };
}

Deno.test("dead-letter bridge: a poison message goes to the DLQ with its reason, then its offset is done", async () => {
  const { office, written, acked } = setup();
  office.publish({
    actor: "/classifier/worker-1",
    message: { event: { id: "e1", content: "<script>" }, kafka },
    reason: "poison",
    error: new TypeError("bad feature vector"),
    attempts: 3,
    at: Date.UTC(2026, 10, 29),
  });
  await until(() => acked.length === 1, { what: "the acknowledgement" });
  assert.equal(written.length, 1);
  assert.equal(written[0].stage, "classifier");
  assert.equal(
    written[0].reason,
    "poison after 3 attempt(s) in /classifier/worker-1: TypeError: bad feature vector",
  );
  assert.deepEqual(JSON.parse(new TextDecoder().decode(written[0].original)), {
    id: "e1",
    content: "<script>",
  });
  assert.deepEqual(acked, [kafka]);
});

Deno.test("dead-letter bridge: messages left by a hard stop are not acknowledged (Kafka redelivers them)", () => {
  const { office, acked, tries } = setup();
  for (const reason of ["stopped", "abandoned"]) {
    office.publish({ actor: "/hot", message: { event: {}, kafka }, reason, attempts: 0, at: 0 });
  }
  office.publish({ actor: "/parser", message: "not a record", reason: "poison", attempts: 3, at: 0 });
  // A letter the bridge takes is tried at once (synchronously): none was.
  assert.equal(tries.count, 0, "nothing written");
  assert.equal(acked.length, 0);
});

Deno.test("dead-letter bridge: the offset is acknowledged only after the DLQ write succeeded", async () => {
  const { office, written, acked } = setup(1);
  office.publish({ actor: "/parser", message: { event: {}, kafka }, reason: "failed", attempts: 1, at: 0 });
  assert.equal(acked.length, 0, "not while the write fails");
  await until(() => acked.length === 1, { what: "the acknowledgement after the retried write" });
  assert.equal(written.length, 1);
  assert.deepEqual(acked, [kafka]);
});

Deno.test("dead-letter bridge: the engine stopping ends the retries; the letter stays unacknowledged", async () => {
  const stop = new AbortController();
  const { office, written, acked, logs } = setup(Infinity, stop.signal);
  office.publish({ actor: "/parser", message: { event: {}, kafka }, reason: "failed", attempts: 1, at: 0 });
  stop.abort(); // during the backoff after the first failed try
  await until(() => logs.length === 1, { what: "the bridge reporting the stop" });
  assert.match(logs[0], /stopped before the dead letters were stored/);
  assert.equal(written.length, 0);
  assert.equal(acked.length, 0, "Kafka redelivers the message");
});

Deno.test("stageOfActor maps actor paths to stages", () => {
  assert.equal(stageOfActor("/parser"), "parser");
  assert.equal(stageOfActor("/classifier/worker-2"), "classifier");
  assert.equal(stageOfActor("/hot"), "hot_sink");
  assert.equal(stageOfActor("/cold_sink"), "cold_sink");
  assert.equal(stageOfActor("/live"), "engine");
});
