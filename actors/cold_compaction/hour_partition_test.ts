import assert from "node:assert/strict";
import { hourEnded, hourEndOf } from "./hour_partition.ts";

Deno.test("hourEnded: by the dt=/hour= name, the hour's end plus the minimum age", () => {
  const dir = "events/dt=2026-12-03/hour=10/classification=NORMAL/";
  const end = Date.parse("2026-12-03T11:00:00Z");
  assert.equal(hourEndOf(`${dir}part-t-0-0-9.parquet`), end);
  assert.equal(hourEnded(dir, 7_200_000, end + 7_199_999), false);
  assert.equal(hourEnded(dir, 7_200_000, end + 7_200_000), true);
  assert.equal(hourEnded("events/other/", 0, end), false);
  assert.equal(hourEndOf("events/dt=2026-13-45/hour=99/x"), undefined, "no such hour");
});
