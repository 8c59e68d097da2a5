import assert from "node:assert/strict";
import { Pacer } from "./pacer.ts";

function clock(start = 1000) {
  const c = { t: start, now: () => c.t };
  return c;
}

Deno.test("none never waits", () => {
  const p = new Pacer({ kind: "none" });
  for (let i = 0; i < 100; i++) assert.equal(p.delayFor(), 0);
});

Deno.test("rate: event i is due at i/rate; small leads are not slept", () => {
  const c = clock();
  const p = new Pacer({ kind: "rate", rate: 100 }, undefined, c.now);
  assert.equal(p.delayFor(), 0); // event 0 at t0
  assert.equal(p.delayFor(), 10); // event 1 due 10 ms later, nothing elapsed
  c.t += 15;
  assert.equal(p.delayFor(), 5); // event 2 due at 20
  c.t += 9; // 24: event 3 due at 30 → 6 ms
  assert.equal(p.delayFor(), 6);
  c.t += 5.5; // 29.5: event 4 due at 40 → 10.5
  assert.equal(p.delayFor(), 10.5);
  // At 100 000/s, events are 0.01 ms apart: no sleeping until 2 ms ahead.
  const fast = new Pacer({ kind: "rate", rate: 100_000 }, undefined, clock().now);
  const delays = Array.from({ length: 400 }, () => fast.delayFor());
  assert.equal(delays.filter((d) => d > 0).length, 200);
  assert.ok(delays.slice(0, 200).every((d) => d === 0));
});

Deno.test("rate: after a stall it catches up by at most one second of events", () => {
  const c = clock();
  const p = new Pacer({ kind: "rate", rate: 100 }, undefined, c.now);
  p.delayFor();
  c.t += 10_000; // stalled 10 s
  let burst = 0;
  while (p.delayFor() === 0) burst++;
  assert.ok(burst <= 101 && burst >= 99, `burst of ${burst}`);
});

Deno.test("replay: follows event times divided by the speed, ignores going back in time", () => {
  const c = clock();
  const p = new Pacer({ kind: "replay", speed: 2 }, undefined, c.now);
  const t0 = Date.UTC(2016, 8, 28);
  assert.equal(p.delayFor(t0), 0);
  assert.equal(p.delayFor(t0 + 1000), 500);
  assert.equal(p.delayFor(t0 + 500), 500); // out of order: no earlier than the latest
  assert.equal(p.delayFor(NaN), 500); // unknown time: same slot
  c.t += 500;
  assert.equal(p.delayFor(t0 + 4000), 1500);
  p.rebase();
  assert.equal(p.delayFor(t0 + 999_999), 0); // a new loop starts its own timeline
});

Deno.test("bad rates and speeds throw RangeError", () => {
  assert.throws(
    () => new Pacer({ kind: "rate", rate: 0 }),
    /rate must be a positive number of events\/s: current value is 0/,
  );
  assert.throws(() => new Pacer({ kind: "replay", speed: -1 }), RangeError);
  assert.throws(() => new Pacer({ kind: "rate", rate: Infinity }), RangeError);
});

Deno.test("wait returns early when the signal aborts", async () => {
  const controller = new AbortController();
  const p = new Pacer({ kind: "rate", rate: 0.01 }, controller.signal);
  await p.wait();
  const started = performance.now();
  setTimeout(() => controller.abort(), 20);
  await p.wait(); // would be 100 s
  assert.ok(performance.now() - started < 2000);
});
