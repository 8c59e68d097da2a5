import assert from "node:assert/strict";
import { normaliseTemplate, parsingAccuracy } from "./parsing_accuracy.ts";

Deno.test("normaliseTemplate: Drain3 masks, whitespace and joined variable runs", () => {
  assert.equal(normaliseTemplate("connect to <IP>:<NUM>  failed"), "connect to <*> failed");
  assert.equal(normaliseTemplate("took <*>.<*> ms"), "took <*> ms");
  assert.equal(normaliseTemplate("user <*> <*> port"), "user <*> port");
  assert.equal(normaliseTemplate("Started <*>.service"), "Started <*>.service");
});

Deno.test("parsingAccuracy counts exact templates per line and refuses misaligned input", () => {
  assert.equal(parsingAccuracy(["a <*>", "a b", "c <NUM>"], ["a <*>", "a <*>", "c <*>"]), 2 / 3);
  assert.throws(() => parsingAccuracy(["a"], []), /lengths differ/);
});
