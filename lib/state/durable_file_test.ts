import assert from "node:assert/strict";
import { appendFileDurably, writeFileDurably } from "./durable_file.ts";

async function entries(dir: string): Promise<string[]> {
  const names: string[] = [];
  for await (const e of Deno.readDir(dir)) names.push(e.name);
  return names.sort();
}

Deno.test("writeFileDurably replaces the file, creates its folder and leaves no temporary file", async () => {
  const root = await Deno.makeTempDir();
  try {
    const path = `${root}/nested/state.json`;
    await writeFileDurably(path, "first");
    await writeFileDurably(path, new TextEncoder().encode("second"));
    assert.equal(await Deno.readTextFile(path), "second");
    assert.deepEqual(await entries(`${root}/nested`), ["state.json"]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("writeFileDurably: writes from one process land in call order", async () => {
  const root = await Deno.makeTempDir();
  try {
    const path = `${root}/state.json`;
    await Promise.all(Array.from({ length: 50 }, (_, i) => writeFileDurably(path, `write ${i}`)));
    assert.equal(await Deno.readTextFile(path), "write 49");
    assert.deepEqual(await entries(root), ["state.json"]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("writeFileDurably: a failed write throws, removes its temporary file and keeps the previous one", async () => {
  const root = await Deno.makeTempDir();
  try {
    // The target is a non-empty folder: the rename fails after the temporary file was written.
    await Deno.mkdir(`${root}/state.json/inside`, { recursive: true });
    await assert.rejects(writeFileDurably(`${root}/state.json`, "x"));
    assert.deepEqual(await entries(root), ["state.json"]);
    assert.deepEqual(await entries(`${root}/state.json`), ["inside"]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("writeFileDurably: two processes rewriting one file never collide and never leave half a file", async () => {
  const root = await Deno.makeTempDir();
  try {
    const path = `${root}/templates.json`;
    const module = new URL("./durable_file.ts", import.meta.url).href;
    // Each writer rewrites the file 100 times with 64 KiB of its own letter: a shared temporary name would
    // make one writer's rename fail (NotFound) or publish a file mixing both letters.
    const writer = (letter: string) =>
      new Deno.Command(Deno.execPath(), {
        args: [
          "eval",
          `import { writeFileDurably } from ${JSON.stringify(module)};
           for (let i = 0; i < 100; i++) await writeFileDurably(${JSON.stringify(path)}, ${
            JSON.stringify(letter)
          }.repeat(65536));`,
        ],
        stdout: "null",
        stderr: "piped",
      }).output();
    const reads: string[] = [];
    const [a, b] = await Promise.all([
      writer("a"),
      writer("b"),
      (async () => {
        // Read while they write: every read sees one whole version (or no file yet).
        for (let i = 0; i < 200; i++) {
          reads.push(await Deno.readTextFile(path).catch(() => ""));
          await new Promise((r) => setTimeout(r, 0));
        }
      })(),
    ]);
    assert.equal(a.code, 0, new TextDecoder().decode(a.stderr));
    assert.equal(b.code, 0, new TextDecoder().decode(b.stderr));
    const final = await Deno.readTextFile(path);
    assert.ok(final === "a".repeat(65536) || final === "b".repeat(65536), "the final file is one writer's");
    for (const r of reads) {
      assert.ok(r === "" || r === "a".repeat(65536) || r === "b".repeat(65536), "a read saw a mixed file");
    }
    assert.deepEqual(await entries(root), ["templates.json"]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("appendFileDurably: creates the file and its folder, appends in call order, serialised with replacements", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/new/log.jsonl`;
    const enc = (s: string) => new TextEncoder().encode(s);
    await Promise.all([appendFileDurably(path, enc("a\n")), appendFileDurably(path, enc("b\n"))]);
    assert.equal(await Deno.readTextFile(path), "a\nb\n");
    // A replacement (a compaction) queued between two appends lands between them.
    await Promise.all([
      appendFileDurably(path, enc("c\n")),
      writeFileDurably(path, "compacted\n"),
      appendFileDurably(path, enc("d\n")),
    ]);
    assert.equal(await Deno.readTextFile(path), "compacted\nd\n");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
