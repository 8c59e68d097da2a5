import assert from "node:assert/strict";
import { abortableSleep } from "./abortable_sleep.ts";

Deno.test("abortableSleep waits its time, ends early on abort, and returns at once when already aborted", async () => {
  const t0 = performance.now();
  await abortableSleep(20, new AbortController().signal);
  assert.ok(performance.now() - t0 >= 15);

  const abort = new AbortController();
  setTimeout(() => abort.abort(), 5);
  const t1 = performance.now();
  await abortableSleep(60_000, abort.signal);
  assert.ok(performance.now() - t1 < 5_000);

  const t2 = performance.now();
  await abortableSleep(60_000, abort.signal);
  assert.ok(performance.now() - t2 < 1_000);
});
