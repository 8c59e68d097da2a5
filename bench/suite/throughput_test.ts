import assert from "node:assert/strict";
import type { ChildStatus } from "./engine_child.ts";
import { fullPhases } from "./throughput.ts";

/** A status line with only what the phases read. */
const st = (t: number, hot: number, cold: number) => ({ t, hot, cold }) as ChildStatus;

Deno.test("fullPhases splits a run into start-up, the hot stream and the cold tail", () => {
  // 1,000 events: nothing for 2 s, then 100 per 100 ms in the hot tier, the cold tier 3 s behind at the end.
  const h = [st(0, 0, 0), st(1000, 0, 0), st(2000, 100, 0)];
  for (let i = 2; i <= 10; i++) h.push(st(1900 + i * 100, i * 100, i === 10 ? 500 : 0));
  h.push(st(6000, 1000, 1000));
  const p = fullPhases(h, 0, 1000)!;
  assert.equal(p.firstDeliveryMs, 2000);
  assert.equal(p.hotStreamEventsPerSecond, 1000); // 100 → 900 events in 2.0 → 2.8 s
  assert.equal(p.coldTailMs, 6000 - 2900);
});

Deno.test("fullPhases is undefined for a run that did not finish", () => {
  assert.equal(fullPhases([st(0, 0, 0), st(100, 500, 400)], 0, 1000), undefined);
});
