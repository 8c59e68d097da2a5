import assert from "node:assert/strict";
import { countFileLines, countStreamLines } from "./count_lines.ts";

function streamOf(...chunks: string[]): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  return ReadableStream.from(chunks.map((c) => enc.encode(c)));
}

Deno.test("countStreamLines counts newline-ended lines, a last line without one, and blank lines", async () => {
  assert.equal(await countStreamLines(streamOf()), 0);
  assert.equal(await countStreamLines(streamOf("")), 0);
  assert.equal(await countStreamLines(streamOf("a\n")), 1);
  assert.equal(await countStreamLines(streamOf("a\nb")), 2);
  assert.equal(await countStreamLines(streamOf("a\n\n", "b\n", "c", "d\n")), 4);
  assert.equal(await countStreamLines(streamOf("a\r\nb\r\n")), 2);
});

Deno.test("countFileLines reads plain and gzip files alike", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const text = Array.from({ length: 2500 }, (_, i) => `line ${i}`).join("\n") + "\n";
    await Deno.writeTextFile(`${dir}/plain.log`, text);
    const gz = new Response(
      ReadableStream.from([new TextEncoder().encode(text)]).pipeThrough(new CompressionStream("gzip")),
    );
    await Deno.writeFile(`${dir}/packed.log.gz`, new Uint8Array(await gz.arrayBuffer()));
    assert.equal(await countFileLines(`${dir}/plain.log`), 2500);
    assert.equal(await countFileLines(`${dir}/packed.log.gz`), 2500);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
