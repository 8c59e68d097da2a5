import assert from "node:assert/strict";
import { DEFAULT_ANOMALY_THRESHOLD } from "./classifier.ts";
import { FEATURE_DIM } from "./feature_spec.ts";
import { FeedbackLearner, HEAD_DIM } from "./feedback_learner.ts";
import { NEAR_SIMILARITY, SIMILAR_SIMILARITY, wordSetCosine } from "./feedback_memory.ts";
import { FeedbackStore } from "./feedback_store.ts";
import { templateWords } from "./features.ts";

const x = (hot: number[]) => {
  const v = new Float32Array(FEATURE_DIM);
  for (const i of hot) v[i] = 0.5;
  return v;
};

Deno.test("feedback: a labelled template follows the operators' majority, ties go to the latest label", () => {
  const l = new FeedbackLearner();
  assert.equal(l.adjust(0.9, "T1", x([1])).override, undefined);
  l.learn("T1", "false_positive", 0.9, x([1]));
  assert.equal(l.adjust(0.9, "T1", x([1])).override, "NORMAL");
  l.learn("T1", "confirmed", 0.9, x([1]));
  assert.equal(l.adjust(0.9, "T1", x([1])).override, "ANOMALY");
  l.learn("T1", "critical", 0.9, x([1]));
  l.learn("T1", "critical", 0.9, x([1]));
  assert.equal(l.adjust(0.9, "T1", x([1])).override, "CRITICAL_ANOMALY");
});

Deno.test("feedback: the head carries labels to unlabelled templates sharing tokens, within ±2 logits", () => {
  const l = new FeedbackLearner();
  for (let i = 0; i < 30; i++) l.learn(`T${i}`, "confirmed", 0.3, x([3, 7]));
  const similar = l.adjust(0.3, "Tnew", x([3, 7])).score;
  const other = l.adjust(0.3, "Tother", x([40])).score;
  assert.ok(similar > 0.5, `similar ${similar}`);
  assert.ok(similar < 1 / (1 + Math.exp(-(Math.log(0.3 / 0.7) + 2))) + 1e-9);
  assert.ok(other < similar);
  assert.equal(HEAD_DIM < FEATURE_DIM, true);
});

Deno.test("feedback: bad labels and template ids are refused with a clear message", () => {
  const l = new FeedbackLearner();
  assert.throws(() => l.learn("T1", "maybe" as never), /label must be one of/);
  assert.throws(() => l.learn("", "confirmed"), /templateId must be/);
});

Deno.test("feedback store: persisted and restored; a corrupt file is an error, not silent loss", async () => {
  const dir = await Deno.makeTempDir();
  const store = new FeedbackStore(`${dir}/fb.json`);
  const l = await store.load();
  l.learn("T9", "false_positive", 0.8, x([2]));
  await store.save(l);
  const back = await store.load();
  assert.equal(back.adjust(0.8, "T9", x([2])).override, "NORMAL");
  assert.equal(back.labels, 1);
  await Deno.writeTextFile(`${dir}/fb.json`, "[]");
  await assert.rejects(() => store.load(), /Cannot load operator feedback/);
  await Deno.remove(dir, { recursive: true });
});

const ctx = (template: string, component = "KERNEL", level = "fatal") => ({
  words: templateWords(template),
  component,
  level,
});

Deno.test("feedback: a false positive silences the same message under a new miner id and near-identical ones", () => {
  const l = new FeedbackLearner();
  const v = x([]);
  const loading = "ciod: Error loading <*> invalid or missing program image, No such file or directory";
  l.learn("T1", "false_positive", 0.95, v, 0, ctx(loading, "APP"));
  // The miner generalised the template: new id, same constant words.
  assert.equal(l.adjust(0.95, "T1-remined", v, 0, ctx(loading, "APP")).override, "NORMAL");
  // One parameter word became a wildcard: near-identical (cosine ≥ 0.8).
  const near = l.adjust(
    0.95,
    "T2",
    v,
    0,
    ctx("ciod: Error loading <*> invalid or missing program image, No such file", "APP"),
  );
  assert.equal(near.override, "NORMAL");
  assert.match(near.reason ?? "", /near-identical template NORMAL/);
  // Unrelated wording, another level or another component: not silenced by this label.
  assert.equal(
    l.adjust(0.95, "T3", v, 0, ctx("Lustre mount FAILED : <*> : point <*>", "APP")).override,
    undefined,
  );
  assert.equal(l.adjust(0.95, "T1", v, 0, ctx(loading, "APP", "info")).override, undefined);
  assert.equal(l.adjust(0.95, "T1", v, 0, ctx(loading, "KERNEL")).override, undefined);
});

Deno.test("feedback: a confirmed anomaly raises similar templates (shared words, same component and level)", () => {
  const l = new FeedbackLearner();
  const v = x([]);
  l.learn(
    "T1",
    "confirmed",
    0.9,
    v,
    0,
    ctx("ciod: failed to read message prefix on control stream (CioStream socket to <*>", "APP"),
  );
  const similar = ctx(
    "ciod: Error reading message prefix on CioStream socket to <*>, Connection reset by peer",
    "APP",
  );
  const s = wordSetCosine(new Set(similar.words), new Set(l.templates.values().next().value!.words));
  assert.ok(s >= SIMILAR_SIMILARITY && s < NEAR_SIMILARITY, `similarity ${s}`);
  const adj = l.adjust(0.3, "T2", v, 0, similar);
  assert.equal(adj.override, undefined);
  assert.ok(adj.score > 0.85, `score ${adj.score}`);
  assert.match(adj.reason ?? "", /1 similar template anomalous/);
});

Deno.test("feedback: a context operators always dismiss is calibrated down; other contexts are not", () => {
  const l = new FeedbackLearner();
  const v = x([]);
  for (let i = 0; i < 40; i++) {
    l.learn(`N${i}`, "false_positive", 0.05, v, 0, ctx(`noise number w${i}x`, "KERNEL", "info"));
  }
  for (let i = 0; i < 10; i++) {
    l.learn(`P${i}`, "confirmed", 0.6, v, 0, ctx(`failure kind f${i}y`, "KERNEL", "fatal"));
  }
  const quiet = l.adjust(0.97, "New", v, 0, ctx("floating point alignment exceptions", "KERNEL", "info"));
  assert.ok(quiet.score < DEFAULT_ANOMALY_THRESHOLD, `score ${quiet.score}`);
  assert.match(quiet.reason ?? "", /operators called 0 of 40 labelled KERNEL\/info events anomalous/);
  // Fewer than MIN_CONTEXT_LABELS in KERNEL/fatal: no calibration there (the head alone applies).
  const fatal = l.adjust(0.97, "New2", v, 0, ctx("rts kernel terminated for reason", "KERNEL", "fatal"));
  assert.equal(fatal.reason, undefined);
  assert.ok(Math.abs(Math.log(fatal.score / (1 - fatal.score)) - Math.log(0.97 / 0.03)) <= 2 + 1e-9);
});

Deno.test("feedback: signature labels and contexts survive a save; version-1 files (labels by id) still load", () => {
  const l = new FeedbackLearner();
  const c = ctx("disk failed on <*>", "storage", "error");
  for (let i = 0; i < 25; i++) l.learn(`T${i}`, "false_positive", 0.2, x([]), 0, c);
  const back = FeedbackLearner.fromJSON(JSON.parse(JSON.stringify(l)));
  assert.equal(back.adjust(0.9, "other-id", x([]), 0, c).override, "NORMAL");
  const stats = back.contexts.get("storage\u0000error")!;
  assert.deepEqual([stats.n, stats.positives, stats.scoreSum.toFixed(6)], [25, 0, "5.000000"]);
  const v1 = FeedbackLearner.fromJSON({
    version: 1,
    featureSpec: "old",
    labels: 1,
    positives: 0,
    a: 1,
    b: 0,
    w: [],
    templates: [["T7", { normal: 1, anomaly: 0, critical: 0, latest: "NORMAL" }]],
  });
  assert.equal(v1.adjust(0.9, "T7", x([])).override, "NORMAL");
  assert.equal(v1.adjust(0.9, "T7", x([]), 0, c).override, "NORMAL");
});
