import { assertEquals, assertThrows } from "./_test_assert.ts";
import { decodeLines } from "./line_decoder.ts";

async function all(chunks: Uint8Array[], max?: number) {
  const out = [];
  for await (const l of decodeLines(chunks, { maxLineBytes: max })) out.push(l);
  return out;
}
const enc = new TextEncoder();

Deno.test("decodeLines: CRLF, empty lines, last line without newline, chunk boundaries", async () => {
  const bytes = enc.encode("a\r\n\nbé\nlast");
  const chunks = [...bytes].map((b) => new Uint8Array([b])); // worst case: one byte per chunk
  assertEquals(await all(chunks), [
    { text: "a", lineNo: 1, flags: [] },
    { text: "", lineNo: 2, flags: [] },
    { text: "bé", lineNo: 3, flags: [] },
    { text: "last", lineNo: 4, flags: [] },
  ]);
});

Deno.test("decodeLines: invalid UTF-8, NUL/binary, genuine U+FFFD is not damage", async () => {
  const out = await all([new Uint8Array([0x61, 0xff, 0x62, 10, 0x00, 0x01, 10]), enc.encode("ok \uFFFD\n")]);
  assertEquals(out[0], { text: "a\uFFFDb", lineNo: 1, flags: ["invalid_utf8"] });
  assertEquals(out[1], { text: "\uFFFD\uFFFD", lineNo: 2, flags: ["binary"] });
  assertEquals(out[2].flags, []);
});

Deno.test("decodeLines: huge line cut at a character boundary, rest skipped, next line intact", async () => {
  const out = await all([enc.encode("éééééé"), enc.encode("ééé\nnext\n")], 5);
  assertEquals(out[0], { text: "éé", lineNo: 1, flags: ["truncated"] });
  assertEquals(out[1], { text: "next", lineNo: 2, flags: [] });
  await assertRejects();
});

async function assertRejects() {
  let err: unknown;
  try {
    await all([], 0);
  } catch (e) {
    err = e;
  }
  assertThrows(
    () => {
      throw err;
    },
    RangeError,
    "current value is 0",
  );
}

Deno.test("LineSplitter: one chunk with a huge line, CRLF and control bytes (fast path) equals the slow path", async () => {
  const { LineSplitter } = await import("./line_decoder.ts");
  const s = new LineSplitter({ maxLineBytes: 5 });
  const lines = s.push(enc.encode("aaaaaaaaaa\r\nb\x01\r\nc\n"));
  assertEquals(lines, [
    { text: "aaaaa", lineNo: 1, flags: ["truncated"] },
    { text: "b\uFFFD", lineNo: 2, flags: ["binary"] },
    { text: "c", lineNo: 3, flags: [] },
  ]);
  assertEquals(s.end(), []);
  assertEquals(s.lineCount, 3);
});

Deno.test("decodeLines: the limit excludes the line ending; a cut line keeps its last byte, never a CR as ending", async () => {
  // Same cuts as the producer's readLines (one decoder for both): a CRLF line of exactly the limit is whole.
  assertEquals(await all([enc.encode("abcd\r\nabcde\nab\rcdef\n")], 4), [
    { text: "abcd", lineNo: 1, flags: [] },
    { text: "abcd", lineNo: 2, flags: ["truncated"] },
    { text: "ab\uFFFDc", lineNo: 3, flags: ["truncated", "binary"] },
  ]);
});
