import assert from "node:assert/strict";
import { RateDetector } from "./rate_detector.ts";
import { steady, testInput } from "./test_inputs.ts";

const T0 = Date.UTC(2026, 0, 1);

Deno.test("rate: a steady component's volume spike is signalled while its bucket fills, then ends", () => {
  const d = new RateDetector();
  for (const x of steady(T0, 600, 10)) assert.deepEqual(d.observe(x), [], "ordinary traffic");
  // 10× the usual volume for 4 s.
  const spike = steady(T0 + 600_000, 4, 100);
  const signals = spike.map((x) => d.observe(x));
  const first = signals.findIndex((s) => s.length > 0);
  assert.ok(first >= 0 && first < 100, `noticed within the first bucket (event ${first})`);
  assert.equal(signals[first][0].scope, "c:sys/comp");
  assert.ok(signals.slice(first).every((s) => s.length > 0), "every later event of the spike belongs to it");
  // Back to normal: the episode ends once a bucket closes low.
  const after = steady(T0 + 604_000, 30, 10).map((x) => d.observe(x));
  assert.ok(after.slice(60).every((s) => s.length === 0));
});

Deno.test("rate: a component that logs in clumps is not spiking at its next clump", () => {
  const d = new RateDetector();
  let spikes = 0;
  // Every 5 minutes a clump of 40 lines in 2 s, nothing between, for 3 hours.
  for (let m = 0; m < 180; m += 5) {
    for (const x of steady(T0 + m * 60_000, 2, 20)) spikes += d.observe(x).length;
  }
  assert.equal(spikes, 0);
});

Deno.test("rate: a burst of a known failure template opens a template spike; unknown or routine ones do not", () => {
  const d = new RateDetector();
  const fail = (tsMs: number, level: "error" | "info" = "error", templateId = "t-fail") =>
    testInput({ tsMs, templateId, semantics: true, level, component: "svc" });
  // The failure template occurs now and then for an hour (a history, a low baseline).
  for (let s = 0; s < 3600; s += 60) {
    d.observe(fail(T0 + s * 1000));
    d.observe(fail(T0 + s * 1000, "info", "t-routine"));
  }
  const burst = Array.from({ length: 40 }, (_, i) => d.observe(fail(T0 + 3_600_000 + i * 25)));
  assert.ok(burst.some((s) => s.some((x) => x.scope === "t:t-fail")), "known failure template burst");
  const routine = Array.from(
    { length: 40 },
    (_, i) => d.observe(fail(T0 + 3_700_000 + i * 25, "info", "t-routine")),
  );
  assert.ok(
    routine.every((s) => s.every((x) => x.scope !== "t:t-routine")),
    "logged at info by its application",
  );
  const unknown = Array.from(
    { length: 40 },
    (_, i) => d.observe(fail(T0 + 3_800_000 + i * 25, "error", "t-new")),
  );
  assert.ok(
    unknown.every((s) => s.every((x) => x.scope !== "t:t-new")),
    "no history: new-pattern's business",
  );
});

Deno.test("rate: state survives toJSON/restore and memory is bounded", () => {
  const d = new RateDetector({ maxKeys: 50 });
  for (let i = 0; i < 500; i++) d.observe(testInput({ tsMs: T0 + i, component: `c${i}` }));
  assert.ok(d.toJSON().keys.length <= 50);
  const e = new RateDetector({ maxKeys: 50 });
  e.restore(d.toJSON());
  assert.deepEqual(e.toJSON(), d.toJSON());
});
