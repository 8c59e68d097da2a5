import assert from "node:assert/strict";
import { evictionCount } from "../../engine/eviction_tally.ts";
import { SuppressionBook } from "./suppression_book.ts";
import type { Suppression } from "./suppression.ts";

const mute = (i: number, expiresTs = ""): Omit<Suppression, "id" | "silenced"> => ({
  kind: "mute",
  scope: "template",
  system: "sys",
  component: "comp",
  templateId: `t${i}`,
  template: `template ${i}`,
  host: "",
  incidentId: "",
  createdTs: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
  expiresTs,
  createdBy: "ana",
});

Deno.test("SuppressionBook stays within its capacity, expired ones first, and counts every eviction", () => {
  const tallied = evictionCount("suppressions");
  const book = new SuppressionBook(3);
  const expired = book.add(mute(0, "2000-01-01T00:00:00.000Z"));
  const oldest = book.add(mute(1));
  book.add(mute(2));
  assert.equal(book.evicted, 0);
  book.add(mute(3));
  assert.equal(book.size, 3);
  assert.equal(book.evicted, 1);
  assert.ok(!book.list().some((s) => s.id === expired.id), "the expired suppression went first");
  book.add(mute(4));
  assert.equal(book.evicted, 2);
  assert.ok(!book.list().some((s) => s.id === oldest.id), "then the oldest one");
  // Re-adding one it holds replaces it: no eviction.
  book.add(mute(4));
  assert.deepEqual([book.size, book.evicted], [3, 2]);
  assert.equal(evictionCount("suppressions") - tallied, 2, "the /metrics tally");
});

Deno.test("SuppressionBook.restore keeps a file larger than the capacity within it", () => {
  const big = new SuppressionBook(100);
  for (let i = 0; i < 10; i++) big.add(mute(i));
  const small = new SuppressionBook(4);
  assert.equal(small.restore(JSON.parse(JSON.stringify(big.toJSON()))), 0);
  assert.equal(small.size, 4);
  assert.equal(small.evicted, 6);
  assert.deepEqual(small.list().map((s) => s.templateId), ["t9", "t8", "t7", "t6"]);
});

Deno.test("SuppressionBook.put stores another engine's suppression under its id, keeps a held count, refuses invalid", () => {
  const book = new SuppressionBook(2);
  const mine = book.add(mute(1));
  book.countSilenced(mine.id);
  assert.equal(book.put({ ...mine, silenced: 0 }), true);
  assert.equal(book.get(mine.id)?.silenced, 1, "a held suppression keeps this engine's count");
  const other = { ...mute(2), id: "sup-other", silenced: 0 };
  assert.equal(book.put(other), true);
  assert.equal(book.has("sup-other"), true);
  assert.equal(book.put({ ...other, id: "" }), false, "an invalid suppression is refused");
  assert.equal(book.put({ ...mute(3), id: "sup-third", silenced: 0 }), true);
  assert.equal(book.size, 2, "within capacity");
  assert.equal(book.evicted, 1);
  assert.deepEqual(book.removeWhere((s) => s.id === "sup-third").map((s) => s.id), ["sup-third"]);
});
