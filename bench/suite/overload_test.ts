import assert from "node:assert/strict";
import { tierCheck } from "./overload.ts";

Deno.test("tierCheck: a missing id is lost, extra copies are duplicates, ids not produced are not counted", () => {
  const byId = new Map([["e0", 1], ["e1", 3], ["other", 2]]);
  assert.deepEqual(tierCheck({ total: 6, byId }, ["e0", "e1", "e2"]), { total: 6, lost: 1, duplicated: 2 });
  assert.deepEqual(tierCheck({ total: 0, byId: new Map() }, []), { total: 0, lost: 0, duplicated: 0 });
});
