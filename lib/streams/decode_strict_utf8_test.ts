import assert from "node:assert/strict";
import fc from "fast-check";
import { decodeStrictUtf8 } from "./decode_strict_utf8.ts";

const fatal = new TextDecoder("utf-8", { fatal: true });

/** What the fatal decoder does with `bytes`: its text, or the error's name. */
function reference(bytes: Uint8Array): { text: string } | { error: string } {
  try {
    return { text: fatal.decode(bytes) };
  } catch (err) {
    return { error: (err as Error).name };
  }
}

function ours(bytes: Uint8Array): { text: string } | { error: string } {
  try {
    return { text: decodeStrictUtf8(bytes) };
  } catch (err) {
    return { error: (err as Error).name };
  }
}

Deno.test("decodeStrictUtf8: the fatal decoder's text or error, for edge cases", () => {
  const enc = new TextEncoder();
  const cases: Uint8Array[] = [
    new Uint8Array(),
    enc.encode('{"id":"a","content":"plain ASCII"}'),
    enc.encode("héllo wörld — 日本語 🙂"),
    enc.encode("\uFEFFBOM first"), // dropped by both
    enc.encode("a real \uFFFD replacement character"), // valid: kept
    new Uint8Array([0xef, 0xbf, 0xbd]), // U+FFFD alone
    new Uint8Array([0xff, 0xfe, 0x00, 0x41]), // invalid lead bytes
    new Uint8Array([0x41, 0xc3]), // truncated sequence at the end
    new Uint8Array([0xed, 0xa0, 0x80]), // encoded surrogate
    new Uint8Array([0xc0, 0x80]), // overlong NUL
    new Uint8Array([0xf4, 0x90, 0x80, 0x80]), // beyond U+10FFFF
    new Uint8Array([...enc.encode("\uFFFD"), 0x80]), // a real U+FFFD, then an invalid byte
  ];
  for (const bytes of cases) assert.deepEqual(ours(bytes), reference(bytes), `bytes ${[...bytes]}`);
});

Deno.test("decodeStrictUtf8: the fatal decoder's text or error, for any bytes and any text", () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
      assert.deepEqual(ours(bytes), reference(bytes));
    }),
    { numRuns: 5_000 },
  );
  fc.assert(
    fc.property(fc.string({ unit: "grapheme", maxLength: 64 }), (text) => {
      const bytes = new TextEncoder().encode(text);
      assert.deepEqual(ours(bytes), reference(bytes));
    }),
    { numRuns: 2_000 },
  );
  // Valid text with one byte spliced in: sometimes still valid, mostly not.
  fc.assert(
    fc.property(fc.string({ unit: "grapheme", maxLength: 32 }), fc.nat(), fc.integer({ min: 0, max: 255 }), (
      text,
      at,
      byte,
    ) => {
      const valid = new TextEncoder().encode(text);
      const i = at % (valid.length + 1);
      const bytes = new Uint8Array([...valid.subarray(0, i), byte, ...valid.subarray(i)]);
      assert.deepEqual(ours(bytes), reference(bytes));
    }),
    { numRuns: 5_000 },
  );
});
