import assert from "node:assert/strict";
import { currentGenerations, dayKey, dayVisibleKeys, parseDayKey } from "./day_object_key.ts";

const DAY = "events/dt=2026-10-01/";
const hour = (h: string, first: number, last: number, c = "NORMAL") =>
  `${DAY}hour=${h}/classification=${c}/part-t-0-${first}-${last}.parquet`;
const base = { dayDir: DAY, classification: "NORMAL", topic: "t", partition: 0, first: 0n, last: 199n };
const gen = (g: number, n: number, first = 0n, last = 199n) =>
  Array.from({ length: n }, (_, i) => dayKey({ ...base, first, last, gen: g }, i + 1, n));

Deno.test("dayKey and parseDayKey round-trip", () => {
  const key = gen(3, 2)[1];
  assert.equal(key, `${DAY}classification=NORMAL/day-t-0-0-199-g3-2of2.parquet`);
  assert.deepEqual(parseDayKey(key), { ...base, gen: 3, index: 2, count: 2 });
  assert.equal(parseDayKey(hour("04", 0, 99)), undefined);
});

Deno.test("dayVisibleKeys: each row visible once whatever step a compaction was killed at", () => {
  const hours = [hour("04", 0, 99), hour("05", 100, 199)];
  const other = hour("05", 0, 99, "ANOMALY");
  const cases: { name: string; keys: string[]; visible: string[] }[] = [
    { name: "before compaction", keys: [...hours, other], visible: [...hours, other] },
    {
      name: "killed while writing (1 of 2)",
      keys: [...hours, gen(1, 2)[0], other],
      visible: [...hours, other],
    },
    {
      name: "committed, sources not yet deleted",
      keys: [...hours, ...gen(1, 2), other],
      visible: [...gen(1, 2), other],
    },
    { name: "done", keys: [...gen(1, 2), other], visible: [...gen(1, 2), other] },
    { name: "next generation half written", keys: [...gen(1, 2), gen(2, 3)[0]], visible: gen(1, 2) },
    { name: "next generation committed", keys: [...gen(1, 2), ...gen(2, 3)], visible: gen(2, 3) },
    {
      name: "a new hour outside the range stays visible",
      keys: [...gen(1, 1), hour("06", 200, 299)],
      visible: [...gen(1, 1), hour("06", 200, 299)],
    },
  ];
  for (const c of cases) assert.deepEqual(dayVisibleKeys(c.keys), c.visible, c.name);
});

Deno.test("currentGenerations: the highest committed gen per group", () => {
  const current = currentGenerations([...gen(1, 1), ...gen(2, 2), gen(3, 2)[0]]);
  assert.equal(current.size, 1);
  assert.equal([...current.values()][0].gen, 2);
});
