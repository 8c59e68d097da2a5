import assert from "node:assert/strict";
import { evictionCount } from "../../engine/eviction_tally.ts";
import { MAX_ALIASES, MAX_FORMER_IDS, TemplateRegistry } from "./template_registry.ts";

Deno.test("TemplateRegistry keeps at most MAX_ALIASES aliases, oldest out first, each eviction tallied", () => {
  const before = evictionCount("template_aliases");
  const r = new TemplateRegistry();
  const extra = 250;
  for (let i = 0; i < MAX_ALIASES + extra; i++) r.merge(`from${i}`, "to", "t <*>");
  assert.equal(Object.keys(r.toJSON().aliases).length, MAX_ALIASES);
  assert.equal(evictionCount("template_aliases") - before, extra);
  assert.equal(r.resolve(`from${extra - 1}`), `from${extra - 1}`, "the oldest alias went");
  assert.equal(r.resolve(`from${extra}`), "to");
});

Deno.test("TemplateRegistry: a live template's former ids, newest first, through chains and a restore", () => {
  const r = new TemplateRegistry();
  for (const id of ["a", "b", "c", "d"]) r.observe(id, `t ${id}`, 0, id);
  r.merge("a", "b", "t <*>");
  r.merge("b", "c", "t <*> <*>");
  r.merge("d", "c", "t <*> <*>");
  assert.deepEqual(r.formerIds("c"), ["d", "b", "a"]);
  assert.deepEqual(r.formerIds("b"), [], "b is no longer a live template");
  assert.deepEqual(r.formerIds("zzz"), []);
  const copy = TemplateRegistry.fromJSON(JSON.parse(JSON.stringify(r.toJSON())));
  assert.deepEqual([...copy.formerIds("c")].sort(), ["a", "b", "d"]);
  r.forget("c");
  assert.deepEqual(r.formerIds("c"), []);
  // Bounded per template.
  const many = new TemplateRegistry();
  for (let i = 0; i < MAX_FORMER_IDS * 3; i++) many.merge(`old${i}`, "live", "t <*>");
  assert.equal(many.formerIds("live").length, MAX_FORMER_IDS);
  assert.equal(many.formerIds("live")[0], `old${MAX_FORMER_IDS * 3 - 1}`, "the newest is kept");
});
