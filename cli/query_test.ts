import assert from "node:assert/strict";
import { parseQueryArgs } from "./query.ts";
import { UsageError } from "../lib/cli/cli_args.ts";

Deno.test("parseQueryArgs: filters, defaults and budget", () => {
  const now = new Date("2026-12-03T00:00:00Z");
  const args = parseQueryArgs(
    ["--from", "2016-09-28T04", "--level", "Error,fatal", "--component", "CBS", "--text", "disk", "--count"],
    now,
  );
  assert.deepEqual(args.filter, {
    from: new Date("2016-09-28T04:00:00Z"),
    to: now,
    levels: ["error", "fatal"],
    component: "CBS",
    text: "disk",
  });
  assert.equal(args.count, true);
  assert.equal(args.limit, 50);
  const page = parseQueryArgs([
    "--from",
    "2016-09-28",
    "--to",
    "2016-09-29",
    "--limit",
    "7",
    "--max-bytes",
    "1000",
  ]);
  assert.equal(page.limit, 7);
  assert.equal(page.budget.maxBytes, 1000);
  assert.equal(page.count, false);
});

Deno.test("parseQueryArgs: a bad command line is a UsageError naming the option", () => {
  assert.throws(
    () => parseQueryArgs([]),
    (e: Error) => e instanceof UsageError && /--from is required/.test(e.message),
  );
  assert.throws(
    () => parseQueryArgs(["--from", "yesterday"]),
    /Cannot query as --from must be an ISO 8601 time/,
  );
  assert.throws(
    () => parseQueryArgs(["--from", "2016-09-28", "--limit", "0"]),
    /--limit must be a positive integer/,
  );
  assert.throws(() => parseQueryArgs(["--from", "2016-09-28", "--bogus"]), UsageError);
});
