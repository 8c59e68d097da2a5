import assert from "node:assert/strict";
import { FEATURE_DIM, STATE_OPTIONS } from "./feature_spec.ts";
import { FeatureExtractor } from "./features.ts";
import { MAX_SYSTEMS, MAX_WORDS, OnlineState } from "./online_state.ts";
import { evictionCount } from "../../engine/eviction_tally.ts";
import { OnlineStateStore } from "./online_state_store.ts";
import { minedEvent } from "./test_events.ts";

// Templates keep appearing after the restart point (word i % 37 of a new template every 11th event), so
// the per-system vocabulary and novelty rate are exercised across the restart too.
const events = Array.from(
  { length: 400 },
  (_, i) =>
    minedEvent(i % 11 === 0 ? `new w${i % 37} t${i}` : i % 7 === 0 ? `error ${i % 3}` : `ok ${i % 5}`, {
      lineNo: i + 1,
      tsMs: Date.UTC(2026, 0, 1) + i * 3_000,
    }),
);

Deno.test("online state: persisted and restored, a restart gives exactly the features of an uninterrupted run", async () => {
  const continuous = new FeatureExtractor();
  const expected = events.map((e) => {
    const x = new Float32Array(FEATURE_DIM);
    continuous.extract(e, x);
    return x;
  });
  const dir = await Deno.makeTempDir();
  const store = new OnlineStateStore(`${dir}/online_state.json`);
  const before = new FeatureExtractor(await store.load());
  for (const e of events.slice(0, 250)) before.extract(e, new Float32Array(FEATURE_DIM));
  await store.save(before.state);
  const after = new FeatureExtractor(await store.load());
  for (let i = 250; i < events.length; i++) {
    const x = new Float32Array(FEATURE_DIM);
    after.extract(events[i], x);
    assert.deepEqual(x, expected[i], `event ${i}`);
  }
  await Deno.remove(dir, { recursive: true });
});

Deno.test("online state store: a corrupt file is a logged cold start, not a crash", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/s.json`, "{not json");
  const why: string[] = [];
  const state = await new OnlineStateStore(`${dir}/s.json`).load((w) => why.push(w));
  assert.equal(state.seq, 0);
  assert.match(why[0], /unreadable.*starting cold/);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("online state: bounded — beyond maxKeys the least recently seen tenth is dropped", () => {
  const s = new OnlineState({ ...STATE_OPTIONS, maxKeys: 10 });
  for (let i = 0; i < 25; i++) s.observe(`t${i}`, "c", i);
  assert.ok(s.templateCount <= 10);
  assert.ok(s.templates.has("t24"));
  assert.throws(() => new OnlineState({ maxKeys: 0 }), RangeError);
  assert.throws(() => OnlineState.fromJSON({ version: 3 }), TypeError);
});

Deno.test("online state: every map filled past its cap stays bounded and the /metrics tally counts each drop", () => {
  const names = [
    "online_state_templates",
    "online_state_components",
    "online_state_systems",
    "online_state_words",
  ];
  const before = names.map(evictionCount);
  const delta = () => names.map((n, i) => evictionCount(n) - before[i]);
  const s = new OnlineState({ ...STATE_OPTIONS, maxKeys: 100 });
  const keys = 1_000;
  for (let i = 0; i < keys; i++) s.observe(`t${i}`, `c${i}`, i);
  assert.ok(s.templates.size <= 100 && s.components.size <= 100, `${s.templates.size} ${s.components.size}`);
  // Every key was distinct: whatever is not held any more was evicted.
  assert.deepEqual(delta().slice(0, 2), [keys - s.templates.size, keys - s.components.size]);

  const systems = MAX_SYSTEMS + 37;
  for (let i = 0; i < systems; i++) s.observeSystem(`sys${i}`, undefined, 0);
  assert.equal(s.systems.size, MAX_SYSTEMS);
  assert.equal(delta()[2], 37);

  const words = MAX_WORDS + 12_345;
  for (let i = 0; i < words; i += 100) {
    s.observeSystem("vocab", Array.from({ length: 100 }, (_, j) => `w${i + j}`), 0);
  }
  const held = s.systems.get("vocab")!.words.size;
  assert.ok(held <= MAX_WORDS, `${held}`);
  assert.equal(delta()[3], Math.ceil(words / 100) * 100 - held);
});
