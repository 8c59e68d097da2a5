import assert from "node:assert/strict";
import { BadRequestError, parseEventQuery, toSearchParams } from "./event_query.ts";

const parse = (qs: string) => parseEventQuery(new URLSearchParams(qs));

Deno.test("parseEventQuery applies defaults", () => {
  const q = parse("");
  assert.deepEqual(q, {
    classification: [],
    level: [],
    range: "1h",
    sort: "time",
    order: "desc",
    page: 1,
    size: 50,
  });
});

Deno.test("parseEventQuery collects repeated and comma-separated multi-values", () => {
  const q = parse("level=warn&level=error,fatal&classification=ANOMALY");
  assert.deepEqual(q.level, ["warn", "error", "fatal"]);
  assert.deepEqual(q.classification, ["ANOMALY"]);
});

Deno.test("parseEventQuery rejects bad input with a message naming each parameter", () => {
  const cases: [string, RegExp][] = [
    ["level=loud", /level: /],
    ["page=0", /page: /],
    ["size=500", /size: /],
    ["sort=random", /sort: /],
    ["range=custom", /from: is required when range is custom; to: is required/],
    ["range=custom&from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", /from: must be before 'to'/],
    ["page=300&size=50", /page × size must be at most 10000/],
    ["bogus=1", /unknown parameter\(s\): bogus/],
    ["q=" + "x".repeat(1001), /q: must be at most 1000 characters/],
  ];
  for (const [qs, message] of cases) {
    assert.throws(() => parse(qs), (err: unknown) => {
      assert.ok(err instanceof BadRequestError, qs);
      assert.match(err.message, message, qs);
      return true;
    });
  }
});

Deno.test("times without a zone are UTC; times with one are normalised to Z", () => {
  const q = parse("range=custom&from=2026-11-29T04:00&to=2026-11-29T06:30:00%2B02:00");
  assert.equal(q.from, "2026-11-29T04:00:00.000Z");
  assert.equal(q.to, "2026-11-29T04:30:00.000Z");
  assert.throws(() => parse("range=custom&from=yesterday&to=2026-11-29T04:00Z"), /from: /);
});

Deno.test("toSearchParams round-trips and leaves defaults out", () => {
  const q = parse("level=error&q=disk%20full&sort=score&page=3&host=h1");
  const qs = toSearchParams(q).toString();
  assert.equal(qs, "level=error&host=h1&q=disk+full&sort=score&page=3");
  assert.deepEqual(parse(qs), q);
  assert.equal(toSearchParams(parse("")).toString(), "");
  assert.equal(toSearchParams(q, { page: 1 }).get("page"), null);
});
