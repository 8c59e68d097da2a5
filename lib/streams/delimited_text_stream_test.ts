import assert from "node:assert/strict";
import { DelimitedTextStream, textPieces } from "./delimited_text_stream.ts";

async function collect(chunks: string[], delimiter?: string): Promise<string[]> {
  const out: string[] = [];
  const source = ReadableStream.from(chunks).pipeThrough(new DelimitedTextStream(delimiter));
  for await (const piece of source) out.push(piece);
  return out;
}

Deno.test("DelimitedTextStream: pieces across chunk borders, empty pieces kept, an unterminated tail emitted", async () => {
  assert.deepEqual(await collect(["REA", 'DY\nSTATUS {"a"', ":1}\n\nlast"]), [
    "READY",
    'STATUS {"a":1}',
    "",
    "last",
  ]);
  assert.deepEqual(await collect(["a\n"]), ["a"], "no empty tail after a final delimiter");
  assert.deepEqual(
    await collect(["event: tick\ndata: 1\n", "\nevent: tick\ndata: 2\n\n"], "\n\n"),
    ["event: tick\ndata: 1", "event: tick\ndata: 2"],
  );
  assert.throws(() => new DelimitedTextStream(""), RangeError);
});

Deno.test("textPieces decodes UTF-8 split inside a character", async () => {
  const bytes = new TextEncoder().encode("ünï\ncode\n");
  const stream = ReadableStream.from([bytes.subarray(0, 1), bytes.subarray(1)]);
  const out: string[] = [];
  for await (const line of textPieces(stream)) out.push(line);
  assert.deepEqual(out, ["ünï", "code"]);
});
