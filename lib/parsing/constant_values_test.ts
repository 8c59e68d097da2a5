import { assert, assertEquals, assertThrows } from "./_test_assert.ts";
import { ConstantValues } from "./constant_values.ts";
import { TemplateMiner } from "./template_miner.ts";

Deno.test("ConstantValues: a value kept by every message is shown; the first other value makes it <*> for good", () => {
  const display = ["<*>", "session", "for", "<*>(uid=<*>)", "by", "(uid=<*>)"];
  const v = ConstantValues.start(display, ["4672", "session", "for", "alice(uid=1000)", "by", "(uid=0)"]);
  assertEquals(v.render(display), ["4672", "session", "for", "alice(uid=1000)", "by", "(uid=0)"]);
  // the name and its uid vary, the event code and the second uid do not: per <*>, not per token
  assert(v.observe(display, ["4672", "session", "for", "bob(uid=1001)", "by", "(uid=0)"]));
  assertEquals(v.render(display), ["4672", "session", "for", "<*>(uid=<*>)", "by", "(uid=0)"]);
  assert(!v.observe(display, ["4672", "session", "for", "carol(uid=1002)", "by", "(uid=0)"]));
  // a value that comes back after differing stays a variable
  assert(v.observe(display, ["4673", "session", "for", "alice(uid=1000)", "by", "(uid=0)"]));
  assert(!v.observe(display, ["4672", "session", "for", "alice(uid=1000)", "by", "(uid=0)"]));
  assertEquals(v.render(display), ["<*>", "session", "for", "<*>(uid=<*>)", "by", "(uid=0)"]);
  // a token that generalised (its text changed) holds no constant
  v.vary(5);
  assert(!v.open);
  assertEquals(v.render(display), display);
});

Deno.test("ConstantValues: merge keeps only values both sides kept; snapshot round-trip; malformed snapshot", () => {
  const display = ["code", "<*>", "<*>"];
  const a = ConstantValues.start(display, ["code", "111", "x1"]);
  const b = ConstantValues.start(display, ["code", "111", "x2"]);
  a.merge(b);
  assertEquals(a.render(display), ["code", "111", "<*>"]);
  const restored = ConstantValues.fromJSON(JSON.parse(JSON.stringify(a.toJSON())), 3);
  assertEquals(restored.render(display), ["code", "111", "<*>"]);
  assert(!ConstantValues.fromJSON(undefined, 3).open);
  assertThrows(() => ConstantValues.fromJSON([null], 3), TypeError, "not 3 token values");
  assertThrows(() => ConstantValues.fromJSON([null, [1], null], 3), TypeError, "ConstantValues");
});

Deno.test("TemplateMiner constantAfter: constants shown after n messages, grouping unchanged, kept across restarts", () => {
  const line = (i: number, code = 7036) =>
    `${code} The ${["BITS", "WinRM", "Spooler"][i % 3]} service entered`;
  const on = new TemplateMiner({ constantAfter: 3 });
  const off = new TemplateMiner();
  const r = [0, 1].map((i) => on.mine(line(i), 0));
  assertEquals(r[1].template, "<*> The <*> service entered"); // fewer than 3 messages: as masked
  const third = on.mine(line(2), 0);
  assertEquals(third.change, "generalised");
  assertEquals(third.template, "7036 The <*> service entered");
  assertEquals(third.params, ["Spooler"]); // params follow the text
  assertEquals(on.registry.resolve(r[1].templateId), third.templateId); // the old id is an alias
  // after a restart the same text, the same id
  const restored = TemplateMiner.fromJSON(JSON.parse(JSON.stringify(on.toJSON())));
  assertEquals(restored.mine(line(3), 0).templateId, third.templateId);
  // another code: a variable again; the grouping is the miner's without constants
  assertEquals(on.mine(line(4, 7040), 0).template, "<*> The <*> service entered");
  const ids = [0, 1, 2, 3].map((i) => off.mine(line(i), 0).clusterId);
  assertEquals(new Set(ids).size, 1);
  assertEquals(off.mine(line(5), 0).template, "<*> The <*> service entered"); // off by default
  assertThrows(() => new TemplateMiner({ constantAfter: -1 }), RangeError, "constantAfter");
});
