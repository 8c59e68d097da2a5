import assert from "node:assert/strict";
import { cpuSecondsPerThousand, ownCpuMs, processCpuMs } from "./process_cpu.ts";

Deno.test("processCpuMs reads a live process's CPU time from /proc, and grows with work", async () => {
  const before = await processCpuMs(Deno.pid);
  assert.ok(before !== undefined && before > 0);
  const start = ownCpuMs();
  let x = 0;
  while (ownCpuMs() - start < 60) x += Math.sqrt(x + 1);
  const after = await processCpuMs(Deno.pid);
  assert.ok(after! >= before + 30, `${before} → ${after} after ~60 ms of CPU (${x > 0})`);
  assert.equal(await processCpuMs(2 ** 30), undefined, "no such process");
});

Deno.test("cpuSecondsPerThousand: per process, undefined where a reading is missing", () => {
  const out = cpuSecondsPerThousand({ a: 1000, b: 0, c: undefined }, { a: 3000, b: 500, c: 10 }, 4000);
  assert.deepEqual(out, { a: 0.5, b: 0.125, c: undefined });
});
