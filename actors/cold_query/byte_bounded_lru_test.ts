import assert from "node:assert/strict";
import { RangeCache } from "./range_cache.ts";

Deno.test("RangeCache stays within its byte bound, dropping the least recently used range first", () => {
  const cache = new RangeCache(10);
  cache.set("a", new Uint8Array(4));
  cache.set("b", new Uint8Array(4));
  assert.ok(cache.get("a")); // a is now more recent than b
  cache.set("c", new Uint8Array(4));
  assert.equal(cache.get("b"), undefined);
  assert.ok(cache.get("a") && cache.get("c"));
  assert.equal(cache.bytes, 8);
  assert.equal(cache.evicted, 1);
  cache.set("huge", new Uint8Array(11));
  assert.equal(cache.get("huge"), undefined, "a range larger than the bound is not kept");
  assert.equal(cache.bytes, 8);
});

Deno.test("RangeCache ids differ by ETag, so a rewritten object misses", () => {
  assert.notEqual(RangeCache.id("k", "e1", 0, 8), RangeCache.id("k", "e2", 0, 8));
  assert.throws(() => new RangeCache(-1), /maxBytes must be an integer ≥ 0/);
});
