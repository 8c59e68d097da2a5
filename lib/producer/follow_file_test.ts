import assert from "node:assert/strict";
import { followFile } from "./follow_file.ts";

/** Reads from the followed stream until `want` is contained in what was read (or 5 s pass). */
async function readUntil(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  got: { text: string },
  want: string,
) {
  const deadline = Date.now() + 5000;
  const dec = new TextDecoder();
  while (!got.text.includes(want)) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${JSON.stringify(want)}; got ${JSON.stringify(got.text)}`);
    }
    const r = await reader.read();
    if (r.done) break;
    got.text += dec.decode(r.value);
  }
}

Deno.test("follows appends, rotation, truncation and a file that appears later", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/app.log`;
  const controller = new AbortController();
  const reader = followFile(path, { pollMs: 20, signal: controller.signal }).getReader();
  const got = { text: "" };
  try {
    // Appears later.
    await new Promise((r) => setTimeout(r, 60));
    await Deno.writeTextFile(path, "one\n");
    await readUntil(reader, got, "one\n");
    // Appended.
    await Deno.writeTextFile(path, "two\n", { append: true });
    await readUntil(reader, got, "two\n");
    // Rotated: rename away, a last line lands in the old file, a new file takes the path.
    await Deno.rename(path, `${path}.1`);
    await Deno.writeTextFile(`${path}.1`, "three-old\n", { append: true });
    await Deno.writeTextFile(path, "four-new\n");
    await readUntil(reader, got, "four-new\n");
    // Truncated in place (copytruncate).
    await Deno.writeTextFile(path, "");
    await new Promise((r) => setTimeout(r, 60));
    await Deno.writeTextFile(path, "five\n", { append: true });
    await readUntil(reader, got, "five\n");
    assert.equal(got.text, "one\ntwo\nthree-old\nfour-new\nfive\n");
    controller.abort();
    const end = await reader.read();
    assert.equal(end.done, true);
  } finally {
    controller.abort();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("bad options throw RangeError", () => {
  assert.throws(
    () => followFile("/tmp/x", { pollMs: 0 }),
    /pollMs must be a positive integer: current value is 0/,
  );
});
