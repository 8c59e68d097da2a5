import assert from "node:assert/strict";
import { evictionCount } from "../../engine/eviction_tally.ts";
import { BoundedLru } from "./bounded_lru.ts";

Deno.test("BoundedLru filled past its capacity: size bounded, oldest written first out, each eviction counted", () => {
  const before = evictionCount("bounded_lru_test");
  const lru = new BoundedLru<string, number>(100, "bounded_lru_test");
  for (let i = 0; i < 1000; i++) lru.set(`k${i}`, i);
  assert.equal(lru.size, 100);
  assert.equal(lru.evicted, 900);
  assert.equal(evictionCount("bounded_lru_test") - before, 900, "the /metrics tally");
  assert.equal(lru.get("k899"), undefined);
  assert.equal(lru.get("k900"), 900);
  lru.set("k900", -1); // a rewrite refreshes, never evicts
  lru.set("new", 0);
  assert.equal(lru.get("k900"), -1, "rewritten key became the most recent");
  assert.equal(lru.get("k901"), undefined, "the oldest went instead");
  assert.equal(lru.evicted, 901);
  assert.equal(evictionCount("bounded_lru_test") - before, 901);
});

Deno.test("BoundedLru refuses a capacity that is not a positive integer", () => {
  assert.throws(() => new BoundedLru(0, "x"), /capacity must be a positive integer: current value is 0/);
});
