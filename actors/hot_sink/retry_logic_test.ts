import assert from "node:assert/strict";
import { decideBulk, isRetryableStatus } from "./retry_logic.ts";

Deno.test("isRetryableStatus: a table of statuses", () => {
  const cases: [number, boolean][] = [
    [0, true],
    [200, false],
    [400, false],
    [401, false],
    [404, false],
    [408, true],
    [409, true],
    [413, false],
    [429, true],
    [500, true],
    [502, true],
    [503, true],
  ];
  for (const [status, retry] of cases) assert.equal(isRetryableStatus(status), retry, `status ${status}`);
});

Deno.test("decideBulk: 200 without errors → every op succeeds", () => {
  const body = { errors: false, items: [{ index: { status: 201 } }, { index: { status: 200 } }] };
  assert.deepEqual(decideBulk(2, { statusCode: 200, body }), [{ action: "success" }, { action: "success" }]);
});

Deno.test("decideBulk: 200 with item errors → only the failed items retry or are rejected, with reasons", () => {
  const body = {
    errors: true,
    items: [
      { index: { status: 201 } },
      { index: { status: 429, error: { type: "es_rejected_execution_exception", reason: "queue full" } } },
      {
        index: {
          status: 400,
          error: {
            type: "mapper_parsing_exception",
            reason: "failed to parse field [lineNo] of type [long]",
            caused_by: { type: "illegal_argument_exception", reason: 'For input string: "x"' },
          },
        },
      },
      {
        update: {
          status: 503,
          error: { type: "unavailable_shards_exception", reason: "primary shard is not active" },
        },
      },
    ],
  };
  assert.deepEqual(decideBulk(4, { statusCode: 200, body }), [
    { action: "success" },
    { action: "retry", reason: "status 429: es_rejected_execution_exception: queue full" },
    {
      action: "reject",
      reason: "status 400: mapper_parsing_exception: failed to parse field [lineNo] of type [long]" +
        ' (caused by illegal_argument_exception: For input string: "x")',
    },
    { action: "retry", reason: "status 503: unavailable_shards_exception: primary shard is not active" },
  ]);
});

Deno.test("decideBulk: whole-request failures apply to every op", () => {
  assert.deepEqual(decideBulk(2, { statusCode: 0, error: "connect ECONNREFUSED" }), [
    { action: "retry", reason: "no response: connect ECONNREFUSED" },
    { action: "retry", reason: "no response: connect ECONNREFUSED" },
  ]);
  const r429 = decideBulk(1, {
    statusCode: 429,
    body: { error: { type: "circuit_breaking_exception", reason: "too much" } },
  });
  assert.deepEqual(r429, [{ action: "retry", reason: "status 429: circuit_breaking_exception: too much" }]);
  const r400 = decideBulk(1, {
    statusCode: 400,
    body: { error: { type: "parse_exception", reason: "bad" } },
  });
  assert.deepEqual(r400, [{ action: "reject", reason: "status 400: parse_exception: bad" }]);
  const r406 = decideBulk(1, {
    statusCode: 406,
    body: {
      error:
        "Content-Type header [application/vnd.elasticsearch+x-ndjson; compatible-with=9] is not supported",
    },
  });
  assert.equal(
    r406[0].action,
    "retry",
    "an Elasticsearch client talking to OpenSearch must not dead-letter everything",
  );
  assert.equal(decideBulk(1, { statusCode: 401 })[0].action, "retry");
});

Deno.test("decideBulk: a 200 whose items do not match the ops is retried, never counted as success", () => {
  const d = decideBulk(3, { statusCode: 200, body: { errors: false, items: [{ index: { status: 201 } }] } });
  assert.equal(d.length, 3);
  assert.ok(d.every((x) => x.action === "retry"));
  assert.ok(
    decideBulk(1, { statusCode: 200, body: "<html>proxy</html>" }).every((x) => x.action === "retry"),
  );
});

Deno.test("decideBulk: a version conflict on an externally versioned op is success; elsewhere it is retried", () => {
  const conflict = {
    status: 409,
    error: { type: "version_conflict_engine_exception", reason: "current version [5] is higher or equal" },
  };
  const body = {
    errors: true,
    items: [{ update: conflict }, { index: conflict }, { index: { status: 409 } }],
  };
  assert.deepEqual(decideBulk(3, { statusCode: 200, body }, (i) => i >= 1), [
    {
      action: "retry",
      reason: "status 409: version_conflict_engine_exception: current version [5] is higher or equal",
    },
    { action: "success" },
    { action: "retry", reason: "status 409" },
  ]);
});
