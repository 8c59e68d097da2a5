import assert from "node:assert/strict";
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

Deno.test("new pattern: a rare failure coming back is news, a frequent one is not", () => {
  const d = new NewPatternDetector({ maxPriorOccurrences: 2 });
  for (const x of steady(T0, 200, 10, { templates: ["a", "b"] })) d.observe(x);
  const fail = (i: number) =>
    d.observe(testInput({ tsMs: T0 + 300_000 + i, templateId: "f", semantics: true }));
  assert.ok(fail(0) && fail(1) && fail(2));
  assert.equal(fail(3), undefined);
});
