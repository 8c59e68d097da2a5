import assert from "node:assert/strict";
import { MAX_SYSTEMS } from "./bounded_lru.ts";
import { NewPatternDetector } from "./new_pattern_detector.ts";
import { steady, testInput } from "./test_inputs.ts";

const T0 = Date.UTC(2026, 0, 1);

Deno.test("new pattern: silent while a system is still discovering templates, armed once they settle", () => {
  const d = new NewPatternDetector();
  // Every event a new template: novelty stays high, nothing is flagged however failure-like.
  for (let i = 0; i < 1000; i++) {
    const s = d.observe(testInput({ tsMs: T0 + i, templateId: `new-${i}`, semantics: true, level: "error" }));
    assert.equal(s, undefined);
  }
  assert.equal(d.armed("sys"), false);
  const settled = new NewPatternDetector();
  for (const x of steady(T0, 200, 10, { templates: ["a", "b", "c"] })) settled.observe(x);
  assert.equal(settled.armed("sys"), true);
  const s = settled.observe(
    testInput({ tsMs: T0 + 300_000, templateId: "boom", semantics: true, level: "error" }),
  );
  assert.equal(s?.detector, "new_pattern");
  assert.equal(s?.scope, "t:boom");
  // An ordinary new template (no failure wording, level info) is not a failure.
  assert.equal(settled.observe(testInput({ tsMs: T0 + 300_001, templateId: "hello" })), undefined);
});

Deno.test("new pattern: a settled component is armed while another component of its system still discovers", () => {
  const d = new NewPatternDetector();
  // Interleaved: "steady" logs three templates over and over; "noisy" brings a new template every line.
  for (let i = 0; i < 1200; i++) {
    d.observe(
      i % 2 === 0
        ? testInput({ tsMs: T0 + i * 1000, component: "steady", templateId: `s${i % 6}` })
        : testInput({ tsMs: T0 + i * 1000, component: "noisy", templateId: `n${i}` }),
    );
  }
  assert.equal(d.armed("sys"), false, "the system as a whole is still discovering");
  assert.equal(d.armed("sys", "noisy"), false);
  assert.equal(d.armed("sys", "steady"), true);
  const t = T0 + 1_300_000;
  const inSteady = d.observe(
    testInput({ tsMs: t, component: "steady", templateId: "boom", semantics: true }),
  );
  assert.equal(inSteady?.detector, "new_pattern");
  const inNoisy = d.observe(
    testInput({ tsMs: t + 1, component: "noisy", templateId: "bang", semantics: true }),
  );
  assert.equal(inNoisy, undefined, "novelty in a discovering component is no evidence");
  // Arming by system only: the settled component stays quiet too.
  const bySystem = new NewPatternDetector({ minComponentEvents: Infinity });
  for (let i = 0; i < 1200; i++) {
    bySystem.observe(
      i % 2 === 0
        ? testInput({ tsMs: T0 + i * 1000, component: "steady", templateId: `s${i % 6}` })
        : testInput({ tsMs: T0 + i * 1000, component: "noisy", templateId: `n${i}` }),
    );
  }
  assert.equal(
    bySystem.observe(testInput({ tsMs: t, component: "steady", templateId: "boom", semantics: true })),
    undefined,
  );
  // The component's settledness survives a restart.
  const copy = new NewPatternDetector();
  copy.restore(JSON.parse(JSON.stringify(d.toJSON())));
  assert.equal(copy.armed("sys", "steady"), true);
  assert.equal(copy.armed("sys", "noisy"), false);
});

Deno.test("new pattern: a template the miner renamed is not new — its history follows it to its new id", () => {
  const formers = new Map<string, string[]>([["wide", ["narrow"]]]);
  const make = (withLineage: boolean) => {
    const d = new NewPatternDetector({}, withLineage ? (id) => formers.get(id) ?? [] : undefined);
    for (const x of steady(T0, 200, 10, { templates: ["a", "b", "c"] })) d.observe(x);
    // A failure template seen in volume (many bursts) under its first id: familiar.
    for (let b = 0; b < 5; b++) {
      for (let i = 0; i < 5; i++) {
        d.observe(testInput({ tsMs: T0 + 300_000 + b * 120_000 + i, templateId: "narrow", semantics: true }));
      }
    }
    return d.observe(testInput({ tsMs: T0 + 1_000_000, templateId: "wide", semantics: true }));
  };
  assert.equal(make(true), undefined, "the widened familiar failure template stays quiet");
  assert.equal(make(false)?.detector, "new_pattern", "without the lineage it looked new");
});

Deno.test("new pattern: a rare failure coming back is news, a frequent one is not", () => {
  const d = new NewPatternDetector({ maxPriorOccurrences: 2 });
  for (const x of steady(T0, 200, 10, { templates: ["a", "b"] })) d.observe(x);
  const fail = (i: number) =>
    d.observe(testInput({ tsMs: T0 + 300_000 + i * 120_000, templateId: "f", semantics: true }));
  assert.ok(fail(0) && fail(1) && fail(2));
  assert.equal(fail(3), undefined);
});

Deno.test("new pattern: rarity counts bursts — a failure that came once as a burst is news when it returns", () => {
  const d = new NewPatternDetector();
  for (const x of steady(T0, 200, 10, { templates: ["a", "b"] })) d.observe(x);
  const fail = (ms: number) => d.observe(testInput({ tsMs: ms, templateId: "f", semantics: true }));
  const t = T0 + 300_000;
  // First burst of four lines: its first two lines signal (the tracker continues the incident with the rest).
  assert.deepEqual([0, 1, 2, 3].map((i) => fail(t + i * 100) !== undefined), [true, true, false, false]);
  // It returns 30 min later: one earlier burst, still rare.
  const back = fail(t + 1_800_000);
  assert.ok(back);
  assert.match(back.reasons[0], /1 earlier burst/);
  assert.ok(fail(t + 1_800_100), "the returning burst's second line signals too");
  // A template that never stops is one endless burst: news at its start only.
  const endless = [...Array(50).keys()].map((i) =>
    d.observe(testInput({ tsMs: t + 4_000_000 + i * 1000, templateId: "g", semantics: true }))
  );
  assert.equal(endless.filter((x) => x !== undefined).length, 2);
  // A third burst 5 min after the second: two earlier bursts, familiar.
  assert.equal(fail(t + 2_100_000), undefined);
});

Deno.test("new pattern: a failure it signalled before is news again when it returns after a long quiet", () => {
  const d = new NewPatternDetector();
  for (const x of steady(T0, 200, 10, { templates: ["a", "b"] })) d.observe(x);
  const fail = (ms: number) => d.observe(testInput({ tsMs: ms, templateId: "f", semantics: true }));
  const t = T0 + 300_000;
  // Three bursts 2 min apart: familiar by count after the second.
  assert.ok(fail(t));
  assert.ok(fail(t + 120_000));
  assert.equal(fail(t + 240_000), undefined);
  // Quiet for 40 min, then back: a failure seen before returns.
  const back = fail(t + 240_000 + 2_400_000);
  assert.equal(back?.returning, true);
  assert.match(back!.reasons[0], /returns after 40 min \(3 earlier bursts\)/);
  // Back again 5 min later (under the 10 min gap): the same episode, not news.
  assert.equal(fail(t + 240_000 + 2_700_000), undefined);
  // A routine template the detector never signalled is not news when it returns, however long the quiet.
  for (let i = 0; i < 3; i++) {
    assert.equal(d.observe(testInput({ tsMs: t + i * 120_000, templateId: "r" })), undefined);
  }
  assert.equal(d.observe(testInput({ tsMs: t + 5_000_000, templateId: "r", semantics: true })), undefined);
  // What it signalled survives a snapshot.
  const copy = new NewPatternDetector();
  copy.restore(JSON.parse(JSON.stringify(d.toJSON())));
  assert.equal(
    copy.observe(testInput({ tsMs: t + 240_000 + 9_000_000, templateId: "f", semantics: true }))?.returning,
    true,
  );
});

Deno.test("new pattern: a failure that keeps returning at its usual rhythm is not news each time", () => {
  const d = new NewPatternDetector();
  for (const x of steady(T0, 200, 10, { templates: ["a", "b"] })) d.observe(x);
  const fail = (ms: number) => d.observe(testInput({ tsMs: ms, templateId: "f", semantics: true }));
  const t = T0 + 300_000;
  const hour = 3_600_000;
  const signalled = [];
  // One line every hour, give or take 15 min, for a day.
  for (let h = 0; h < 24; h++) if (fail(t + h * hour + (h % 3) * 450_000) !== undefined) signalled.push(h);
  assert.deepEqual(
    signalled,
    [0, 1, 2],
    "its first occurrence, the rare second, a return; then three earlier bursts show an hourly rhythm",
  );
  // Quiet for ten hours, far beyond its rhythm: back, and news.
  assert.equal(fail(t + 34 * hour)?.returning, true);
  // Without the rhythm test (factor 0) every return after 10 min was news.
  const old = new NewPatternDetector({ recurrenceFactor: 0 });
  for (const x of steady(T0, 200, 10, { templates: ["a", "b"] })) old.observe(x);
  let n = 0;
  for (let h = 0; h < 24; h++) {
    if (
      old.observe(testInput({ tsMs: t + h * hour + (h % 3) * 450_000, templateId: "f", semantics: true }))
    ) n++;
  }
  assert.equal(n, 24);
});

Deno.test("new pattern: state survives a snapshot round trip, and a version-1 snapshot restores", () => {
  const d = new NewPatternDetector();
  for (const x of steady(T0, 200, 10, { templates: ["a", "b"] })) d.observe(x);
  const t = T0 + 300_000;
  assert.ok(d.observe(testInput({ tsMs: t, templateId: "f", semantics: true })));
  const copy = new NewPatternDetector();
  copy.restore(JSON.parse(JSON.stringify(d.toJSON())));
  assert.ok(copy.armed("sys"));
  assert.match(
    copy.observe(testInput({ tsMs: t + 600_000, templateId: "f", semantics: true }))!.reasons[0],
    /1 earlier burst/,
  );
  const old = new NewPatternDetector();
  old.restore({ version: 1, systems: d.toJSON().systems, seen: [["sys\u0000comp\u0000f", 2]] });
  assert.equal(
    old.observe(testInput({ tsMs: t, templateId: "f", component: "comp", semantics: true })),
    undefined,
  );
});

Deno.test("new pattern: per-system novelty rates stay bounded however many system names a stream invents", () => {
  const d = new NewPatternDetector();
  for (let i = 0; i < MAX_SYSTEMS + 50; i++) d.observe(testInput({ tsMs: T0 + i, system: `sys-${i}` }));
  assert.equal(d.toJSON().systems.length, MAX_SYSTEMS);
  assert.ok(d.evicted >= 50);
});
