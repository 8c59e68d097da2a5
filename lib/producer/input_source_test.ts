import assert from "node:assert/strict";
import { InputError, openFileInput } from "./input_source.ts";

async function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

Deno.test("plain and gzip files read the same bytes; gzip is detected by content, not name", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const text = Array.from({ length: 5000 }, (_, i) => `line ${i} ${"x".repeat(i % 50)}`).join("\n") + "\n";
    const bytes = new TextEncoder().encode(text);
    await Deno.writeFile(`${dir}/plain.log`, bytes);
    await Deno.writeFile(`${dir}/packed.log`, await gzip(bytes)); // no .gz suffix on purpose
    const plain = await openFileInput(`${dir}/plain.log`);
    const packed = await openFileInput(`${dir}/packed.log`);
    assert.equal(plain.gzip, false);
    assert.equal(packed.gzip, true);
    assert.equal(plain.size, bytes.length);
    assert.equal(await new Response(plain.stream).text(), text);
    assert.equal(await new Response(packed.stream).text(), text);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("empty and one-byte files are fine", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeFile(`${dir}/empty`, new Uint8Array());
    await Deno.writeFile(`${dir}/one`, new Uint8Array([0x1f]));
    assert.equal(
      (await new Response((await openFileInput(`${dir}/empty`)).stream).arrayBuffer()).byteLength,
      0,
    );
    const one = await openFileInput(`${dir}/one`);
    assert.equal(one.gzip, false);
    assert.deepEqual(new Uint8Array(await new Response(one.stream).arrayBuffer()), new Uint8Array([0x1f]));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a missing file or a directory gives an InputError naming the path", async () => {
  await assert.rejects(() => openFileInput("/nonexistent/vigil.log"), (e: Error) => {
    assert.ok(e instanceof InputError);
    assert.match(e.message, /Cannot open input \/nonexistent\/vigil.log/);
    return true;
  });
  await assert.rejects(() => openFileInput("/tmp"), /not a regular file/);
});

Deno.test("corrupt gzip fails the read with an error instead of yielding garbage", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const good = await gzip(new TextEncoder().encode("hello\n".repeat(1000)));
    good.fill(0x41, 20, 60);
    await Deno.writeFile(`${dir}/bad.gz`, good);
    const input = await openFileInput(`${dir}/bad.gz`);
    await assert.rejects(() => new Response(input.stream).arrayBuffer());
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
