import assert from "node:assert/strict";
import { TRAINING_SOURCES } from "../../models/training_sources.ts";

Deno.test("training manifest: BGL is never trained on (code manifest and the shipped model's recorded data)", async () => {
  for (const s of TRAINING_SOURCES) {
    assert.ok(!/bgl/i.test(s.name) && !/bgl/i.test(s.system ?? "") && !/bgl/i.test(s.format), s.name);
  }
  const meta = JSON.parse(
    await Deno.readTextFile(new URL("../../models/classifier.meta.json", import.meta.url)),
  );
  assert.ok(Array.isArray(meta.trainedOn) && meta.trainedOn.length === TRAINING_SOURCES.length);
  for (const s of meta.trainedOn) assert.ok(!/bgl/i.test(s.name), s.name);
});
