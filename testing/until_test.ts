import assert from "node:assert/strict";
import { until } from "./until.ts";

Deno.test("until resolves once the condition holds, sync or async", async () => {
  let n = 0;
  await until(() => ++n >= 3, { what: "three checks", pollMs: 1 });
  assert.equal(n, 3);
  await until(() => Promise.resolve(true), { what: "an async condition" });
});

Deno.test("until fails with what it waited for when the deadline passes", async () => {
  await assert.rejects(
    until(() => false, { what: "the impossible", deadlineMs: 20, pollMs: 5 }),
    /timed out after 20 ms waiting for the impossible/,
  );
});
