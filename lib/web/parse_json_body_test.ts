import assert from "node:assert/strict";
import { z } from "zod";
import { BadRequestError } from "./event_query.ts";
import { parseJsonBody } from "./parse_json_body.ts";

const schema = z.object({ a: z.number() });

Deno.test("parseJsonBody: a small body parses; an oversized one is refused by header or while streaming", async () => {
  assert.deepEqual(
    await parseJsonBody(new Request("http://x/", { method: "POST", body: '{"a":1}' }), schema),
    { a: 1 },
  );
  await assert.rejects(
    parseJsonBody(new Request("http://x/", { method: "POST", body: "x".repeat(20_000) }), schema),
    (e: unknown) => e instanceof BadRequestError && /at most 16384 bytes/.test(e.message),
  );
  // A stream without Content-Length that never ends: refused after maxBytes, not read for ever.
  let pulled = 0;
  const endless = new ReadableStream<Uint8Array>({
    pull(c) {
      pulled++;
      c.enqueue(new Uint8Array(1024).fill(32));
    },
  });
  const req = new Request("http://x/", {
    method: "POST",
    body: endless,
    headers: { "content-type": "application/json" },
  });
  await assert.rejects(parseJsonBody(req, schema, 4096), BadRequestError);
  assert.ok(pulled <= 8, `pulled ${pulled} KiB for a 4 KiB limit`);
});
