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

const bytesOf = (text: string) => new TextEncoder().encode(text).length;

Deno.test("dead-letter envelope: a message near the broker's limit is cut to the cap, flagged, with its size", () => {
  const original = `{"content":"${"é".repeat(400_000)}"}`; // 800 KB of 2-byte characters: cut inside one
  const record = deadLetter(original, "not a LogEvent", "source", { topic: "t", partition: 0, offset: "9" });
  const json = encodeDeadLetter(record, 64 * 1024);
  assert.ok(bytesOf(json) <= 64 * 1024, `${bytesOf(json)} bytes`);
  const parsed = JSON.parse(json);
  assert.equal(parsed.truncated, true);
  assert.equal(parsed.originalBytes, bytesOf(original));
  const decoded = decodeDeadLetter(json);
  assert.equal(decoded.truncated, true);
  assert.equal(decoded.originalBytes, bytesOf(original));
  // The kept bytes are a prefix of the original, and the text is that prefix without a split character.
  assert.ok(decoded.original.length > 16 * 1024, `kept ${decoded.original.length} bytes`);
  assert.deepEqual(decoded.original, new TextEncoder().encode(original).subarray(0, decoded.original.length));
  assert.ok(original.startsWith(parsed.originalText));
  assert.ok(parsed.originalText.length > 0 && !parsed.originalText.endsWith("\ufffd"));
});

Deno.test("dead-letter envelope: control characters (6 bytes escaped) still fit the cap; binary keeps base64 only", () => {
  const control = deadLetter(new Uint8Array(300_000).fill(1), "x".repeat(10_000), "source");
  const json = encodeDeadLetter(control, 32 * 1024);
  assert.ok(bytesOf(json) <= 32 * 1024, `${bytesOf(json)} bytes`);
  assert.equal(JSON.parse(json).reason.length, 2049, "the reason is cut, ending in …");
  const binary = deadLetter(new Uint8Array(300_000).fill(0xff), "invalid UTF-8", "source");
  const parsed = JSON.parse(encodeDeadLetter(binary, 32 * 1024));
  assert.equal(parsed.originalText, undefined);
  assert.equal(parsed.truncated, true);
  assert.equal(parsed.originalBytes, 300_000);
});

Deno.test("dead-letter envelope: within the cap nothing is cut or flagged; a huge key is cut and flagged", () => {
  const record = deadLetter("a".repeat(10_000), "r", "hot_sink");
  const parsed = JSON.parse(encodeDeadLetter(record, 32 * 1024));
  assert.equal(parsed.truncated, undefined);
  assert.equal(parsed.originalText.length, 10_000);
  record.key = new TextEncoder().encode("k".repeat(5000));
  const keyed = decodeDeadLetter(encodeDeadLetter(record, 32 * 1024));
  assert.equal(keyed.truncated, true);
  assert.equal(keyed.key?.length, 1024);
  assert.throws(() => encodeDeadLetter(record, 1000), RangeError);
});
