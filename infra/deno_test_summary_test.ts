import assert from "node:assert/strict";
import { formatPlainLine, parseDenoTestSummary, plainCounts } from "./deno_test_summary.ts";

Deno.test("parses a failing summary with steps and ignored tests, colours included", () => {
  const out =
    "running 5 tests\n...\n\x1b[0m\x1b[31mFAILED\x1b[0m | 2 passed (3 steps) | 2 failed (1 step) | " +
    "1 ignored \x1b[0m\x1b[38;5;245m(19ms)\x1b[0m\n";
  const s = parseDenoTestSummary(out);
  assert.deepEqual(s, {
    passedTests: 2,
    passedSteps: 3,
    failedTests: 2,
    failedSteps: 1,
    ignored: 1,
    filteredOut: 0,
  });
  assert.deepEqual(plainCounts(s!), { passed: 5, failed: 2, skipped: 1 });
  assert.equal(formatPlainLine(plainCounts(s!)), "5 passed, 2 failed, 1 skipped");
});

Deno.test("parses a passing summary without steps", () => {
  const s = parseDenoTestSummary("ok | 12 passed | 0 failed (3s)\n");
  assert.equal(formatPlainLine(plainCounts(s!)), "12 passed, 0 failed");
});

Deno.test("reads filtered-out counts and ignored steps", () => {
  const s = parseDenoTestSummary("ok | 0 passed | 0 failed | 2 ignored (1 step) | 5 filtered out (9ms)");
  assert.equal(s?.filteredOut, 5);
  assert.equal(s?.ignored, 3);
  assert.equal(plainCounts(s!).passed + plainCounts(s!).failed, 0);
});

Deno.test("takes the last summary and ignores look-alike test output", () => {
  const out =
    "test prints ok | 99 passed | 0 failed\nok | 1 passed | 0 failed (1ms)\nFAILED | 3 passed | 1 failed (2ms)";
  assert.equal(parseDenoTestSummary(out)?.passedTests, 3);
});

Deno.test("returns undefined when there is no summary (type-check error)", () => {
  assert.equal(parseDenoTestSummary("error: TS2322 [ERROR]: Type 'x' is not assignable\n"), undefined);
  assert.equal(parseDenoTestSummary(""), undefined);
});
