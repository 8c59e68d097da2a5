import assert from "node:assert/strict";
import { parseCompactArgs } from "./compact.ts";
import { UsageError } from "../lib/cli/cli_args.ts";

Deno.test("parseCompactArgs: default 2 hours; a negative or non-numeric age is a usage error", () => {
  assert.deepEqual(parseCompactArgs([]), { minAgeHours: 2, targetBytes: 64 * 1048576 });
  assert.deepEqual(parseCompactArgs(["--min-age-hours", "0", "--target-mib", "32"]), {
    minAgeHours: 0,
    targetBytes: 32 * 1048576,
  });
  assert.throws(() => parseCompactArgs(["--target-mib", "0"]), UsageError);
  assert.throws(() => parseCompactArgs(["--min-age-hours", "-1"]), UsageError);
  assert.throws(() => parseCompactArgs(["--min-age-hours", "x"]), UsageError);
});
