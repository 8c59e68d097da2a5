import assert from "node:assert/strict";
import { signatureKey, TemplateMemory, wordSetCosine } from "./feedback_memory.ts";
import { templateWords } from "./features.ts";

const ctx = (template: string, component = "app", level = "error") => ({
  words: templateWords(template),
  component,
  level,
});

Deno.test("feedback memory: cosine of word sets", () => {
  assert.equal(wordSetCosine(new Set(["a", "b"]), new Set(["a", "b"])), 1);
  assert.equal(wordSetCosine(new Set(["a", "b"]), new Set(["c"])), 0);
  assert.equal(wordSetCosine(new Set(["a", "b", "c", "d"]), new Set(["a"])), 0.5);
  assert.equal(wordSetCosine(new Set(), new Set(["a"])), 0);
});

Deno.test("feedback memory: neighbours share the component and level, most similar first", () => {
  const m = new TemplateMemory();
  const a = ctx("disk write failed on volume <*>");
  const b = ctx("disk read failed on volume <*> after retry");
  m.record(signatureKey(a, "T1"), a, "ANOMALY");
  m.record(signatureKey(b, "T2"), b, "NORMAL");
  m.record(signatureKey({ ...a, component: "db" }, "T3"), { ...a, component: "db" }, "NORMAL");
  const found = m.neighbours(ctx("disk write failed on volume <*> now"));
  assert.deepEqual(found.map((n) => n.template.latest), ["ANOMALY", "NORMAL"]);
  assert.ok(found[0].similarity > found[1].similarity);
  assert.deepEqual(m.neighbours(ctx("disk write failed on volume <*>", "app", "info")), []);
});

Deno.test("feedback memory: bounded — the oldest labelled template is forgotten, from the index too", () => {
  const m = new TemplateMemory(2);
  const t = ["alpha beta gamma", "alpha beta delta", "alpha beta epsilon"].map((s) => ctx(s));
  t.forEach((c, i) => m.record(signatureKey(c, `T${i}`), c, "NORMAL"));
  assert.equal(m.templates.size, 2);
  assert.ok(!m.templates.has(signatureKey(t[0], "T0")));
  const found = m.neighbours(ctx("alpha beta gamma"), 0.1).map((n) => n.key);
  assert.deepEqual(found.sort(), [signatureKey(t[1], "T1"), signatureKey(t[2], "T2")].sort());
  assert.throws(() => new TemplateMemory(0), /maxTemplates must be a positive integer/);
});
