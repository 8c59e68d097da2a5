import fc from "fast-check";
import { assert, assertEquals } from "./_test_assert.ts";
import { messageLevel, normaliseLevel } from "./log_level.ts";

Deno.test("normaliseLevel: spellings, brackets and colons, unknown words", () => {
  assertEquals(normaliseLevel("WARNING"), "warn");
  assertEquals(normaliseLevel(" [ERROR]: "), "error");
  assertEquals(normaliseLevel("<crit>"), "critical");
  assertEquals(normaliseLevel("combo"), undefined);
  assertEquals(normaliseLevel(""), undefined);
  assertEquals(normaliseLevel(undefined), undefined);
});

Deno.test("property: normaliseLevel strips brackets as the former expression did", () => {
  const OLD = /^[[(<]+|[\])>:]+$/g;
  fc.assert(
    fc.property(fc.stringMatching(/^[\[\]()<>: a-zA-Z]{0,12}$/), (word) => {
      // After stripping, only a bare word can be a level: look that word up directly.
      const key = word.trim().replace(OLD, "").toLowerCase();
      const expected = /^[a-z]+$/.test(key) ? normaliseLevel(key) : undefined;
      assertEquals(normaliseLevel(word), expected, word);
    }),
    { numRuns: 3000 },
  );
});

Deno.test("normaliseLevel: a long run of brackets is linear (0.7 s for 20k before, quadratic)", () => {
  for (const word of [")".repeat(200_000) + "x", "(".repeat(200_000) + "info" + ":".repeat(200_000)]) {
    const t0 = performance.now();
    normaliseLevel(word);
    assert(performance.now() - t0 < 1_000);
  }
  assertEquals(normaliseLevel("(".repeat(20_000) + "info" + ":".repeat(20_000)), "info");
});

Deno.test("messageLevel: error and warning phrases of messages without a severity field", () => {
  assertEquals(messageLevel("error: Received disconnect from 1.2.3.4"), "error");
  assertEquals(messageLevel("fatal: Read from socket failed"), "error");
  assertEquals(messageLevel("reverse mapping ... failed - POSSIBLE BREAK-IN ATTEMPT!"), "warn");
  assertEquals(messageLevel("authentication failure; logname= uid=0"), "warn");
  assertEquals(messageLevel("Accepted password for root"), undefined);
  assertEquals(messageLevel("no errors found"), undefined);
});
