import assert from "node:assert/strict";
import { formatProgress, formatSummary } from "./progress_format.ts";

Deno.test("progress line shows events, MiB, rate, errors and ETA", () => {
  const line = formatProgress({
    events: 120_000,
    acked: 119_000,
    failed: 0,
    bytesIn: 68.2 * 1024 * 1024,
    elapsedMs: 3000,
    remaining: 480_000,
  });
  assert.equal(line, "events 120,000 | 68.2 MiB | 40,000 ev/s | errors 0 | ETA 0:12");
  assert.match(formatProgress({ events: 0, acked: 0, failed: 0, bytesIn: 0, elapsedMs: 0 }), /ETA —$/);
});

Deno.test("summary reports delivered, failed, line accounting, flags and the first error", () => {
  const text = formatSummary({
    events: 8,
    acked: 6,
    failed: 2,
    bytesIn: 1024,
    elapsedMs: 61_000,
    destination: "kafka:vigil.events",
    parseErrors: 1,
    lines: 10,
    continuationLines: 1,
    emptyLines: 1,
    flags: { truncated: 1, binary: 1 },
    eventsPerSecond: 0.1,
    interrupted: true,
    error: "boom",
  });
  assert.match(text, /^interrupted: 8 events read, 6 delivered to kafka:vigil.events, 2 failed$/m);
  assert.match(text, /in 1:01/);
  assert.match(text, /10 lines: 1 continuation lines attached, 1 blank lines skipped/);
  assert.match(text, /parse errors 1; events by repair flag: truncated=1 binary=1/);
  assert.match(text, /first error: boom/);
});
