import assert from "node:assert/strict";
import { generateSystem, truthTemplate } from "./corpus_template.ts";
import { CORPUS_FAMILIES, CORPUS_SEED } from "./families.ts";

Deno.test("truthTemplate turns every placeholder into <*> and keeps constants", () => {
  assert.equal(
    truthTemplate("Accepted password for {user} from {ip} port {port} ssh2"),
    "Accepted password for <*> from <*> port <*> ssh2",
  );
  assert.equal(truthTemplate(`CLSID {{uuid}} to`), "CLSID {<*>} to");
});

Deno.test("every family generates 2,000 seeded lines whose truth template fits each line", () => {
  for (const [i, family] of CORPUS_FAMILIES.entries()) {
    const a = generateSystem(family, CORPUS_SEED + i);
    const b = generateSystem(family, CORPUS_SEED + i);
    assert.equal(a.contents.length, 2000, family.name);
    assert.deepEqual(a.contents, b.contents, `${family.name} is not reproducible`);
    assert.ok(
      new Set(a.eventIds).size >= family.templates.length * 0.75,
      `${family.name} uses few templates`,
    );
    for (let n = 0; n < a.contents.length; n++) {
      const parts = a.templates[n].split("<*>").map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
      assert.match(a.contents[n], new RegExp(`^${parts.join(".*?")}$`), `${family.name} line ${n}`);
      assert.ok(!a.contents[n].includes("\n"), `${family.name} line ${n} spans lines`);
    }
  }
});

Deno.test("generateSystem names an unknown placeholder kind", () => {
  assert.throws(
    () => generateSystem({ name: "X", describes: "x", templates: ["a {nokind}"] }, 1, 3),
    /placeholder \{nokind\} is not a known kind/,
  );
});
