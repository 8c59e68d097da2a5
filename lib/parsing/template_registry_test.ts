import assert from "node:assert/strict";
import { evictionCount } from "../../engine/eviction_tally.ts";
import { MAX_ALIASES, TemplateRegistry } from "./template_registry.ts";

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
