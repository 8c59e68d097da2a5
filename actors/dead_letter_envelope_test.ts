import assert from "node:assert/strict";
import { decodeDeadLetter, encodeDeadLetter } from "./dead_letter_envelope.ts";
import { deadLetter } from "./dead_letter_record.ts";

Deno.test("dead-letter envelope round-trips text originals and shows them as text", () => {
  const record = {
    ...deadLetter('{"broken": <script>', "not JSON", "source", { topic: "t", partition: 1, offset: "7" }),
  };
  record.key = new TextEncoder().encode("host|CBS");
  const json = encodeDeadLetter(record);
  const parsed = JSON.parse(json);
  assert.equal(parsed.originalText, '{"broken": <script>');
  assert.equal(parsed.stage, "source");
  assert.deepEqual(decodeDeadLetter(json), record);
});

Deno.test("dead-letter envelope keeps binary and invalid UTF-8 bytes exactly", () => {
  const bytes = new Uint8Array([0, 0xff, 0xfe, 0xc3, 0x28, 10, 13]);
  const record = deadLetter(bytes, "invalid UTF-8", "source");
  const json = encodeDeadLetter(record);
  assert.equal(JSON.parse(json).originalText, undefined);
  assert.deepEqual(decodeDeadLetter(json).original, bytes);
});

Deno.test("decodeDeadLetter rejects what is not an envelope", () => {
  assert.throws(() => decodeDeadLetter("nope"), TypeError);
  assert.throws(
    () => decodeDeadLetter('{"original":"AA==","reason":"x","stage":"elsewhere"}'),
    /known stage/,
  );
});
