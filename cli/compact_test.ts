import assert from "node:assert/strict";
import { parseCompactArgs } from "./compact.ts";
import { UsageError } from "../lib/cli/cli_args.ts";

Deno.test("parseCompactArgs: default 2 hours; a negative or non-numeric age is a usage error", () => {
  assert.deepEqual(parseCompactArgs([]), { minAgeHours: 2 });
  assert.deepEqual(parseCompactArgs(["--min-age-hours", "0"]), { minAgeHours: 0 });
  assert.throws(() => parseCompactArgs(["--min-age-hours", "-1"]), UsageError);
  assert.throws(() => parseCompactArgs(["--min-age-hours", "x"]), UsageError);
});
