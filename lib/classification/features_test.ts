import assert from "node:assert/strict";
import { FEATURE_DIM, FEATURE_NAMES, FEATURE_SPEC_ID, featureIndex } from "./feature_spec.ts";
import { FeatureExtractor } from "./features.ts";
import { OnlineState } from "./online_state.ts";
import { minedEvent } from "./test_events.ts";
import { evictionCount } from "../../engine/eviction_tally.ts";

const f = (name: string) => featureIndex(name);

Deno.test("feature spec: names match the dimension and the id carries a hash", () => {
  assert.equal(FEATURE_NAMES.length, FEATURE_DIM);
  assert.match(FEATURE_SPEC_ID, /^vigil-features@2#[0-9a-f]{16}$/);
});

Deno.test("features: first occurrence, then a recurring template; counts are of earlier events only", () => {
  const fx = new FeatureExtractor();
  const x = new Float32Array(FEATURE_DIM);
  const a = fx.extract(minedEvent("service started"), x);
  assert.equal(a.count, 0);
  assert.equal(x[f("novel_first")], 1);
  assert.equal(x[f("level_info")], 1);
  const b = fx.extract(minedEvent("service started", { lineNo: 2 }), x);
  assert.equal(b.count, 1);
  assert.equal(x[f("novel_first")], 0);
  assert.equal(x[f("novel_recent")], 1);
});

Deno.test("features: error semantics and severity from the lexicon; mitigation cancels semantics", () => {
  const fx = new FeatureExtractor();
  const x = new Float32Array(FEATURE_DIM);
  const bad = fx.extract(minedEvent("Disk write FAILED: connection reset by peer", { level: "error" }), x);
  assert.equal(bad.semantics, true);
  assert.equal(bad.severeSemantics, true);
  assert.equal(bad.lexicon[0], "failed");
  assert.equal(x[f("lex_failure")], 1);
  assert.equal(x[f("lex_lost")], 1);
  assert.equal(x[f("sem_x_level_error")], 1);
  const ok = fx.extract(minedEvent("parity error corrected"), x);
  assert.equal(ok.semantics, false);
  assert.equal(x[f("lex_mitigation")], 1);
  assert.equal(x[f("semantics")], 0);
});

Deno.test("features: vocabulary novelty is relative to the event's system, counted on a template's first occurrence", () => {
  const fx = new FeatureExtractor();
  const x = new Float32Array(FEATURE_DIM);
  fx.extract(minedEvent("worker pool started with threads"), x);
  assert.equal(x[f("vocab_new_share")], 1);
  assert.equal(x[f("vocab_new_count")], 5 / 8);
  fx.extract(minedEvent("worker pool started with threads", { lineNo: 2 }), x);
  assert.equal(x[f("vocab_new_share")], 0, "not a new template");
  // Two of four words are new; "pool" and "threads" were used by one earlier template.
  fx.extract(minedEvent("pool threads exhausted badly", { lineNo: 3 }), x);
  assert.equal(x[f("vocab_new_share")], 0.5);
  assert.equal(x[f("vocab_rare_share")], 0.5);
  // The same words in another system are new there.
  const other = { ...minedEvent("worker pool started with threads", { lineNo: 4 }), system: "other" };
  fx.extract({ ...other, templateId: "other:1" }, x);
  assert.equal(x[f("vocab_new_share")], 1);
  assert.equal(x[f("system_settled")], 0);
});

Deno.test("features: a system settles once new templates stop coming; a rare level is rare", () => {
  const fx = new FeatureExtractor();
  const x = new Float32Array(FEATURE_DIM);
  for (let i = 0; i < 1500; i++) fx.extract(minedEvent(`steady ${i % 4}`, { lineNo: i + 1 }), x);
  assert.equal(x[f("system_settled")], 1);
  assert.ok(x[f("system_novelty")] < 0.01);
  assert.ok(x[f("level_rarity")] < 0.01, "info is this system's usual level");
  fx.extract(minedEvent("steady 1", { lineNo: 1501, level: "warn" }), x);
  assert.ok(x[f("level_rarity")] > 0.7, `a first warning: ${x[f("level_rarity")]}`);
});

Deno.test("features: no look-ahead — an event's vector does not depend on later events", () => {
  const lines = ["a b c", "x failed", "a b c", "x failed", "boom fatal"];
  const run = (n: number) => {
    const fx = new FeatureExtractor();
    const rows: Float32Array[] = [];
    for (let i = 0; i < n; i++) {
      const x = new Float32Array(FEATURE_DIM);
      fx.extract(minedEvent(lines[i], { lineNo: i + 1, tsMs: Date.UTC(2026, 0, 1) + i * 1000 }), x);
      rows.push(x);
    }
    return rows;
  };
  const all = run(5);
  const prefix = run(3);
  for (let i = 0; i < 3; i++) assert.deepEqual(prefix[i], all[i]);
});

Deno.test("features: a burst of one template raises its share ratio and rate deviation", () => {
  const fx = new FeatureExtractor();
  const x = new Float32Array(FEATURE_DIM);
  const t0 = Date.UTC(2026, 0, 1);
  for (let i = 0; i < 300; i++) {
    fx.extract(minedEvent(`steady ${i % 10}`, { template: `steady ${i % 10}`, tsMs: t0 + i * 10_000 }), x);
  }
  let last;
  for (let i = 0; i < 40; i++) {
    last = fx.extract(minedEvent("link severed", { tsMs: t0 + 3_000_000 + i * 100 }), x);
  }
  assert.ok(last!.burstRatio > 5, `burst ratio ${last!.burstRatio}`);
  assert.ok(last!.templateRateZ > 3, `rate z ${last!.templateRateZ}`);
});

Deno.test("features: the online state must match the spec's options", () => {
  assert.throws(
    () => new FeatureExtractor(new OnlineState({ bucketMs: 1000 })),
    /differs from the feature spec/,
  );
});

Deno.test("features: hostile text (huge, binary, HTML) gives finite values", () => {
  const fx = new FeatureExtractor();
  const x = new Float32Array(FEATURE_DIM);
  fx.extract(
    minedEvent("<script>alert(1)</script>\u0000\ufffd".repeat(10_000), { level: "fatal", component: "" }),
    x,
  );
  assert.ok(x.every(Number.isFinite));
});

Deno.test("features: the template and component caches stay within cacheCapacity, each drop tallied", () => {
  const names = ["feature_template_cache", "feature_component_cache"];
  const before = names.map(evictionCount);
  const fx = new FeatureExtractor(undefined, { cacheCapacity: 100 });
  const x = new Float32Array(FEATURE_DIM);
  for (let i = 0; i < 250; i++) fx.extract(minedEvent(`job ${i} done`, { component: `c${i}` }), x);
  // 250 distinct keys into a cache of 100 emptied when full: emptied at the 101st and the 201st (100 each).
  assert.deepEqual(fx.cached, { templates: 50, components: 50 });
  assert.deepEqual(names.map((n, i) => evictionCount(n) - before[i]), [200, 200]);
  assert.throws(
    () => new FeatureExtractor(undefined, { cacheCapacity: 0 }),
    /cacheCapacity must be a positive/,
  );
});
