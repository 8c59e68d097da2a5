import assert from "node:assert/strict";
import { OffsetWatermark } from "./offset_watermark.ts";
import { StallWatchdog } from "./stall_watchdog.ts";
import { recordingLogger } from "../testing/recording_logger.ts";

/** A watermark on fake time with offsets 0..n-1 of partitions 0 and 1 tracked at t = 0. */
function setup(n: number) {
  let now = 0;
  const watermark = new OffsetWatermark({ now: () => now });
  for (let o = 0; o < n; o++) for (const p of [0, 1]) watermark.track("t", p, String(o));
  const logger = recordingLogger();
  const watchdog = new StallWatchdog({
    pending: () => watermark.oldestPending(),
    maxAgeMs: 60_000,
    logger,
  });
  return { watermark, watchdog, lines: logger.messages, advance: (ms: number) => now += ms };
}

Deno.test("StallWatchdog: an event stranded on purpose is reported once it is older than maxAgeMs, not before", () => {
  const { watermark, watchdog, lines, advance } = setup(10);
  // Partition 0 delivers everything; partition 1 delivers everything but offset 3 (stranded, as in issue 21).
  for (let o = 0; o < 10; o++) {
    watermark.ackAll("t", 0, String(o));
    if (o !== 3) watermark.ackAll("t", 1, String(o));
  }
  assert.equal(watermark.committable("t", 1), "3", "the watermark is stuck behind the stranded event");
  advance(59_999);
  assert.deepEqual(watchdog.check(), [], "not yet: younger than the age");
  assert.deepEqual(lines, []);
  advance(1);
  const stalled = watchdog.check();
  assert.deepEqual(stalled, [{ topic: "t", partition: 1, offset: "3", ageMs: 60_000 }]);
  assert.equal(lines.length, 1);
  assert.match(lines[0], /delivery stalled: t-1 offset 3 .* 60 s/);
  assert.equal(watchdog.stallsReported, 1);

  advance(30_000);
  watchdog.check();
  assert.equal(lines.length, 1, "a stall is logged once, not on every check");
  const text = watchdog.prometheusText();
  assert.match(text, /^vigil_delivery_oldest_unacked_offset\{topic="t",partition="1"\} 3$/m);
  assert.match(text, /^vigil_delivery_oldest_unacked_age_seconds\{topic="t",partition="1"\} 90$/m);
  assert.match(text, /^vigil_delivery_stalled_partitions 1$/m);
  assert.match(text, /^vigil_delivery_stalls_total 1$/m);
  assert.doesNotMatch(text, /partition="0"/, "a partition with nothing in flight has no oldest offset");

  watermark.ackAll("t", 1, "3"); // delivered (or dead-lettered) late after all
  assert.deepEqual(watchdog.check(), []);
  assert.match(lines[1], /delivery stall cleared: t-1 moved past offset 3/);
  assert.match(watchdog.prometheusText(), /^vigil_delivery_stalled_partitions 0$/m);
});

Deno.test("StallWatchdog: a later offset stalling on the same partition is a new report", () => {
  const { watermark, watchdog, lines, advance } = setup(3);
  advance(60_000);
  assert.equal(watchdog.check().length, 2, "both partitions hold offset 0 for a minute");
  watermark.ackAll("t", 0, "0");
  watermark.ackAll("t", 1, "0");
  watermark.ackAll("t", 1, "1");
  watermark.ackAll("t", 1, "2");
  const stalled = watchdog.check();
  assert.deepEqual(stalled.map((p) => [p.partition, p.offset]), [[0, "1"]]);
  assert.equal(watchdog.stallsReported, 3);
  assert.equal(lines.filter((l) => l.startsWith("delivery stall cleared")).length, 1);
});

Deno.test("StallWatchdog validates maxAgeMs", () => {
  assert.throws(
    () => new StallWatchdog({ pending: () => [], maxAgeMs: 0 }),
    /maxAgeMs must be a positive number: current value is 0/,
  );
});
