import assert from "node:assert/strict";
import { type RawLine, readLines } from "./line_reader.ts";

function streamOf(bytes: Uint8Array, chunkSize = bytes.length || 1): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (let i = 0; i < bytes.length; i += chunkSize) controller.enqueue(bytes.slice(i, i + chunkSize));
      controller.close();
    },
  });
}

async function collect(bytes: Uint8Array, maxLineBytes?: number, chunkSize?: number): Promise<RawLine[]> {
  const out: RawLine[] = [];
  for await (const l of readLines(streamOf(bytes, chunkSize), { maxLineBytes })) out.push(l);
  return out;
}

const enc = (s: string) => new TextEncoder().encode(s);
const simple = (lines: RawLine[]) => lines.map((l) => [l.lineNo, l.text, l.flags.join("+")]);

Deno.test("CRLF, empty lines and a last line without newline: nothing dropped, at any chunking", async () => {
  const input = enc("a\r\n\r\n\nb c\nlast");
  for (const chunk of [1, 2, 3, 100]) {
    assert.deepEqual(simple(await collect(input, undefined, chunk)), [
      [1, "a", ""],
      [2, "", ""],
      [3, "", ""],
      [4, "b c", ""],
      [5, "last", ""],
    ]);
  }
  const lines = await collect(input);
  assert.equal(lines.reduce((s, l) => s + l.bytes, 0), input.length);
});

Deno.test("a huge line is cut at the limit and flagged; the next line is intact", async () => {
  const huge = "x".repeat(5_000_000);
  for (const chunk of [65_536, 999, 1001]) {
    const lines = await collect(enc(`${huge}\nok\n`), 1000, chunk);
    assert.deepEqual(lines.map((l) => [l.text.length, l.flags]), [[1000, ["truncated"]], [2, []]]);
    assert.equal(lines[0].bytes, 5_000_001);
  }
  // Exactly at the limit (with CRLF) is not truncated; one byte over is.
  assert.deepEqual(simple(await collect(enc("abcd\r\nabcde\n"), 4, 3)), [[1, "abcd", ""], [
    2,
    "abcd",
    "truncated",
  ]]);
});

Deno.test("a cut never splits a UTF-8 character", async () => {
  const lines = await collect(enc("ab€€\n"), 4); // € is 3 bytes
  assert.deepEqual(simple(lines), [[1, "ab", "truncated"]]);
});

Deno.test("invalid UTF-8 is replaced and flagged; a genuine U+FFFD is not flagged", async () => {
  const bad = new Uint8Array([0x61, 0xff, 0xfe, 0x62, 0x0a, 0xc3, 0x0a]);
  assert.deepEqual(simple(await collect(bad)), [[1, "a\uFFFD\uFFFDb", "invalid_utf8"], [
    2,
    "\uFFFD",
    "invalid_utf8",
  ]]);
  assert.deepEqual(simple(await collect(enc("ok \uFFFD\n"))), [[1, "ok \uFFFD", ""]]);
});

Deno.test("NUL and control bytes are replaced and flagged binary; TAB is kept", async () => {
  const bin = new Uint8Array([0x61, 0x00, 0x01, 0x09, 0x1b, 0x5b, 0x7f, 0x0a]);
  assert.deepEqual(simple(await collect(bin)), [[1, "a\uFFFD\uFFFD\t\uFFFD[\uFFFD", "binary"]]);
});

Deno.test("random binary input yields one line per newline, never throws", async () => {
  const bytes = new Uint8Array(200_000);
  for (let i = 0; i < bytes.length; i += 65_536) crypto.getRandomValues(bytes.subarray(i, i + 65_536));
  const newlines = bytes.filter((b) => b === 10).length;
  const lines = await collect(bytes, 256, 4093);
  const expected = newlines + (bytes[bytes.length - 1] === 10 ? 0 : 1);
  assert.equal(lines.length, expected);
  assert.equal(lines.reduce((s, l) => s + l.bytes, 0), bytes.length);
  // deno-lint-ignore no-control-regex
  assert.ok(lines.every((l) => !/[\x00-\x08\x0B-\x1F\x7F]/.test(l.text)));
});

Deno.test("maxLineBytes must be a positive integer", async () => {
  await assert.rejects(
    () => collect(enc("a"), 0),
    /maxLineBytes must be a positive integer: current value is 0/,
  );
});
