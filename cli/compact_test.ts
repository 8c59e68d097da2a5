import assert from "node:assert/strict";
import { hourEnded, parseCompactArgs } from "./compact.ts";
import { UsageError } from "../lib/cli/cli_args.ts";

Deno.test("hourEnded: by the dt=/hour= name, the hour's end plus the minimum age", () => {
  const dir = "events/dt=2026-12-03/hour=10/classification=NORMAL/";
  const end = Date.parse("2026-12-03T11:00:00Z");
  assert.equal(hourEnded(dir, 7_200_000, end + 7_199_999), false);
  assert.equal(hourEnded(dir, 7_200_000, end + 7_200_000), true);
  assert.equal(hourEnded("events/other/", 0, end), false);
});

Deno.test("parseCompactArgs: default 2 hours; a negative or non-numeric age is a usage error", () => {
  assert.deepEqual(parseCompactArgs([]), { minAgeHours: 2 });
  assert.deepEqual(parseCompactArgs(["--min-age-hours", "0"]), { minAgeHours: 0 });
  assert.throws(() => parseCompactArgs(["--min-age-hours", "-1"]), UsageError);
  assert.throws(() => parseCompactArgs(["--min-age-hours", "x"]), UsageError);
});
