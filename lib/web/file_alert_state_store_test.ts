import assert from "node:assert/strict";
import { FileAlertStateStore } from "./file_alert_state_store.ts";

async function tempFile(): Promise<string> {
  return `${await Deno.makeTempDir({ prefix: "vigil-alert-state-" })}/nested/alert_state.json`;
}

Deno.test("FileAlertStateStore: acknowledgements and mutes survive a reopen; expired mutes do not", async () => {
  const path = await tempFile();
  let now = new Date("2026-11-29T10:00:00Z");
  const clock = () => now;
  const a = await FileAlertStateStore.open(path, { now: clock });
  a.acknowledge("e1");
  a.acknowledge("<script>alert(1)</script>");
  a.mute("t-long", new Date("2026-11-29T12:00:00Z"));
  a.mute("t-short", new Date("2026-11-29T10:05:00Z"));
  a.mute("t-gone", new Date("2026-11-29T11:00:00Z"));
  a.unmute("t-gone");
  await a.flush();

  now = new Date("2026-11-29T10:10:00Z");
  const b = await FileAlertStateStore.open(path, { now: clock });
  assert.ok(b.isAcknowledged("e1"));
  assert.ok(b.isAcknowledged("<script>alert(1)</script>"));
  assert.ok(!b.isAcknowledged("e2"));
  assert.deepEqual(b.mutes(), [{ templateId: "t-long", until: "2026-11-29T12:00:00.000Z" }]);
});

Deno.test("FileAlertStateStore: a burst of changes is coalesced and the file ends with the latest state", async () => {
  const path = await tempFile();
  const store = await FileAlertStateStore.open(path, { maxAcknowledged: 50 });
  for (let i = 0; i < 500; i++) store.acknowledge(`e${i}`);
  await store.flush();
  const saved = JSON.parse(await Deno.readTextFile(path));
  assert.equal(saved.acknowledged.length, 50, "bounded like the memory store");
  assert.equal(saved.acknowledged.at(-1), "e499");
});

Deno.test("FileAlertStateStore: a corrupt or foreign file starts empty, says so, and is replaced on the next change", async () => {
  for (const content of ["{ not json", JSON.stringify({ acknowledged: "nope" }), "\u0000\u0001binary"]) {
    const path = await tempFile();
    await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
    await Deno.writeTextFile(path, content);
    const logs: string[] = [];
    const store = await FileAlertStateStore.open(path, { log: (m) => logs.push(m) });
    assert.equal(logs.length, 1, `one line for ${JSON.stringify(content)}`);
    assert.deepEqual(store.mutes(), []);
    store.acknowledge("e1");
    await store.flush();
    assert.deepEqual(JSON.parse(await Deno.readTextFile(path)).acknowledged, ["e1"]);
  }
});
