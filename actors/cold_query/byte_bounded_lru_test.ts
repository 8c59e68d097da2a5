import assert from "node:assert/strict";
import { evictionCount } from "../../engine/eviction_tally.ts";
import { ByteBoundedLru } from "./byte_bounded_lru.ts";

Deno.test("ByteBoundedLru stays within its byte bound, dropping the least recently used entry first", () => {
  const cache = new ByteBoundedLru<string>(10);
  cache.set("a", "A", 4);
  cache.set("b", "B", 4);
  assert.equal(cache.get("a"), "A"); // a is now more recent than b
  cache.set("c", "C", 4);
  assert.equal(cache.get("b"), undefined);
  assert.equal(cache.get("a"), "A");
  assert.equal(cache.get("c"), "C");
  assert.equal(cache.bytes, 8);
  assert.equal(cache.evicted, 1);
  cache.set("huge", "H", 11);
  assert.equal(cache.get("huge"), undefined, "an entry larger than the bound is not kept");
  assert.equal(cache.bytes, 8);
  cache.set("a", "A2", 2);
  assert.equal(cache.bytes, 6, "replacing an entry replaces its size");
  assert.throws(() => new ByteBoundedLru(-1), /maxBytes must be an integer ≥ 0/);
});

Deno.test("ByteBoundedLru filled past its bound: bytes bounded, the /metrics tally counts each eviction", () => {
  const before = evictionCount("byte_lru_test");
  const cache = new ByteBoundedLru<number>(100, "byte_lru_test");
  for (let i = 0; i < 1000; i++) cache.set(`k${i}`, i, 10);
  assert.equal(cache.bytes, 100);
  assert.equal(cache.evicted, 990);
  assert.equal(evictionCount("byte_lru_test") - before, 990);
});
