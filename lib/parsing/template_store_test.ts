import assert from "node:assert/strict";
import { fileTemplateStore, loadTemplateMiner } from "./template_store.ts";
import { TemplateMiner } from "./template_miner.ts";

Deno.test("fileTemplateStore creates its directory on a fresh clone and restores the templates", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const store = fileTemplateStore(`${dir}/not/yet/there/templates.json`);
    assert.equal(await store.load(), undefined);
    const miner = new TemplateMiner();
    const first = miner.mine("Loaded Servicing Stack v6.1.7601.23505 with Core: C:\\Windows\\winsxs\\x.dll");
    miner.mine("Loaded Servicing Stack v6.1.7601.24000 with Core: C:\\Windows\\winsxs\\y.dll");
    await store.save(miner.toJSON());
    const restored = await loadTemplateMiner(store);
    assert.equal(restored.size, miner.size);
    const again = restored.mine(
      "Loaded Servicing Stack v6.1.7601.25000 with Core: C:\\Windows\\winsxs\\z.dll",
    );
    assert.equal(again.change, "matched");
    assert.equal(again.clusterId, first.clusterId);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("two engines saving templates into one data folder never collide on a temporary file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/templates.json`;
    const [a, b] = [new TemplateMiner(), new TemplateMiner()];
    a.mine("engine a saw this line");
    b.mine("engine b saw another line entirely");
    // Two stores on one path (two engines); a fixed `<path>.tmp` made one rename fail or publish a torn file.
    const stores = [fileTemplateStore(path), fileTemplateStore(path)];
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => stores[i % 2].save((i % 2 === 0 ? a : b).toJSON())),
    );
    assert.equal((await loadTemplateMiner(stores[0])).size, 1);
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["templates.json"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadTemplateMiner reports an unreadable store and starts empty", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/templates.json`, "{ truncated");
    const errors: unknown[] = [];
    const miner = await loadTemplateMiner(
      fileTemplateStore(`${dir}/templates.json`),
      {},
      (e) => errors.push(e),
    );
    assert.equal(miner.size, 0);
    assert.equal(errors.length, 1);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
