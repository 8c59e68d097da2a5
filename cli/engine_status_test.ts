import assert from "node:assert/strict";
import {
  formatStatusLine,
  landedMessage,
  progressBar,
  retentionText,
  type StatusNumbers,
} from "./engine_status.ts";

const base: StatusNumbers = {
  consumed: 0,
  inFlight: 0,
  hotDelivered: 0,
  hotHealthy: true,
  coldDelivered: 0,
  coldBuffered: 0,
  coldHealthy: true,
  coldTimeoutMs: 300_000,
  kafkaLag: 0,
  paused: false,
  stalled: [],
};

Deno.test("status: a file delivered in seconds, its offsets waiting for the cold flush, is no consumer lag", () => {
  // The case: 2,002 consumed, all in the hot tier, all buffered for the cold tier; Kafka reports the
  // uncommitted 2,002 as lag.
  const line = formatStatusLine({
    ...base,
    produced: { acked: 2002, linesRead: 2002, totalLines: 2002, done: true },
    consumed: 2002,
    inFlight: 2002,
    hotDelivered: 2002,
    coldBuffered: 2002,
    coldFlushInMs: 286_400,
    kafkaLag: 2002,
    flagged: 17,
  });
  assert.equal(
    line,
    "produced 2,002 events from 2,002 lines (done) · consumed 2,002 · hot 2,002 · cold 0 · " +
      "waiting for the cold flush: 2,002 events, next flush in ≤ 287 s · flagged 17 · consumer lag 0",
  );
  assert.doesNotMatch(line, /in flight|lag 2/);
});

Deno.test("status: messages not consumed yet are consumer lag; events still in the engine are 'processing'", () => {
  const line = formatStatusLine({
    ...base,
    consumed: 500,
    inFlight: 120, // 100 waiting for the cold flush, 20 still on their way through the engine
    hotDelivered: 480,
    coldDelivered: 380,
    coldBuffered: 100,
    kafkaLag: 1620, // 1,500 not consumed + the 120 in flight
  });
  assert.equal(
    line,
    "consumed 500 · processing 20 · hot 480 · cold 380 · " +
      "waiting for the cold flush: 100 events, next flush in ≤ 300 s · consumer lag 1,500",
  );
  // An unmeasured lag says so.
  assert.match(formatStatusLine({ ...base, kafkaLag: undefined }), /consumer lag —$/);
  // Nothing waiting for the cold tier: no cold-flush part at all.
  assert.doesNotMatch(
    formatStatusLine({ ...base, consumed: 5, hotDelivered: 5, coldDelivered: 5 }),
    /cold flush/,
  );
});

Deno.test("status: file progress is lines read of the file's total with a bar; a bare count stays a count", () => {
  assert.match(
    formatStatusLine({ ...base, produced: { acked: 590, linesRead: 600, totalLines: 2000 } }),
    /^produced 600 \/ 2,000 lines \[###-------\] 30 % · consumed 0/,
  );
  assert.match(formatStatusLine({ ...base, produced: { acked: 0, linesRead: 0, totalLines: 0 } }), /100 %/);
  assert.match(formatStatusLine({ ...base, produced: 1234 }), /^produced 1,234 · /);
  assert.match(formatStatusLine({ ...base, produced: { acked: 7, done: true } }), /^produced 7 \(done\) · /);
  assert.match(formatStatusLine(base), /^consumed 0 · /);
});

Deno.test("status: retrying tiers, backpressure and stalls are named", () => {
  const line = formatStatusLine({
    ...base,
    hotHealthy: false,
    coldHealthy: false,
    paused: true,
    stalled: [{ topic: "vigil.events", partition: 2, offset: "41", ageMs: 61_400 }],
  });
  assert.match(line, /hot 0 \(retrying\) · cold 0 \(retrying\)/);
  assert.match(line, / · paused \(backpressure\) · STALLED vigil\.events-2@41 for 61 s$/);
});

Deno.test("progressBar fills whole cells and clamps", () => {
  assert.equal(progressBar(0), "[----------]");
  assert.equal(progressBar(0.55), "[#####-----]");
  assert.equal(progressBar(1), "[##########]");
  assert.equal(progressBar(3), "[##########]");
  assert.equal(progressBar(NaN), "[----------]");
});

Deno.test("landedMessage names the file's event-time range and the dashboard URL that opens it", () => {
  const summary = {
    acked: 2000,
    eventTimeRange: { from: "2016-09-28T04:30:30.000Z", to: "2016-09-29T02:04:00.000Z" },
  };
  assert.equal(
    landedMessage("Windows_2k.log", summary, "http://localhost:8000/"),
    "vigil: 2,000 events from Windows_2k.log delivered to Kafka; event time 2016-09-28T04:30:30.000Z … " +
      "2016-09-29T02:04:00.000Z\n" +
      "vigil: see them at http://localhost:8000/?range=custom&from=2016-09-28T04%3A30%3A29.000Z&to=2016-09-29T02%3A04%3A01.000Z",
  );
  assert.match(landedMessage("x.log", { acked: 3 }, "http://localhost:8000/"), /stamped at ingest/);
});

Deno.test("retentionText: days and who enforces them; 0 days or off is for ever; unknown before start", () => {
  assert.equal(retentionText({ mode: "ism", days: 7 }), "7 days (ISM policy)");
  assert.equal(retentionText({ mode: "sweep", days: 1 }), "1 day (sink sweep)");
  assert.equal(retentionText({ mode: "ilm", days: 0.5 }), "0.500 days (ILM policy)");
  assert.equal(retentionText({ mode: "off", days: 0 }), "for ever");
  assert.equal(retentionText(undefined), undefined);
});
