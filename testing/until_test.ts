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

Deno.test("until names the state it ended in when `what` is a function (called only on failure)", async () => {
  let checks = 0;
  let described = 0;
  const what = () => `${++described} description after ${checks} checks`;
  await until(() => ++checks >= 2, { what, pollMs: 1 });
  assert.equal(described, 0);
  await assert.rejects(
    until(() => (checks++, false), { what, deadlineMs: 20, pollMs: 5 }),
    /timed out after 20 ms waiting for 1 description after \d+ checks/,
  );
});
