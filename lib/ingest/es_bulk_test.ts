import assert from "node:assert/strict";
import { BulkRequestError, bulkResponse, parseBulkBody } from "./es_bulk.ts";

Deno.test("bulk NDJSON: index/create with documents, delete/update refused per item, URL index default", () => {
  const body = [
    '{"index":{"_index":"logs-a"}}',
    '{"message":"one"}',
    '{"create":{"_id":"x1"}}',
    '{"message":"two"}',
    '{"delete":{"_index":"logs-a","_id":"1"}}',
    '{"update":{"_id":"2"}}',
    '{"doc":{"a":1}}',
    '{"index":{}}',
    "{not json",
    "",
  ].join("\r\n");
  const items = parseBulkBody(body, "from-url");
  assert.deepEqual(items.map((i) => [i.op, i.index, i.id]), [
    ["index", "logs-a", undefined],
    ["create", "from-url", "x1"],
    ["delete", "logs-a", "1"],
    ["update", "from-url", "2"],
    ["index", "from-url", undefined],
  ]);
  assert.ok("docError" in items[4] && /failed to parse/.test(items[4].docError!));
  const response = bulkResponse(items, [
    { status: 201, id: "e1" },
    { status: 201, id: "e2" },
    { status: 400, error: { type: "illegal_argument_exception", reason: "no" } },
    { status: 400, error: { type: "illegal_argument_exception", reason: "no" } },
    { status: 400, error: { type: "mapper_parsing_exception", reason: "bad" } },
  ], 3) as { errors: boolean; items: Record<string, { status: number; _id: string }>[] };
  assert.equal(response.errors, true);
  assert.equal(response.items[0].index.status, 201);
  assert.equal(response.items[0].index._id, "e1");
  assert.equal(response.items[2].delete.status, 400);
});

Deno.test("a bad action line fails the whole request", () => {
  assert.throws(() => parseBulkBody("{not json\n", undefined), BulkRequestError);
  assert.throws(() => parseBulkBody('{"index":{},"create":{}}\n{}\n', undefined), BulkRequestError);
  assert.throws(() => parseBulkBody('{"upsert":{}}\n{}\n', undefined), BulkRequestError);
  assert.throws(() => parseBulkBody('{"index":{}}\n', undefined), /without its document/);
  assert.deepEqual(parseBulkBody("\n\n", undefined), []);
});
