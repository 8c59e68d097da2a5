import assert from "node:assert/strict";
import { FEATURE_DIM } from "./feature_spec.ts";
import { FeedbackLearner, HEAD_DIM } from "./feedback_learner.ts";
import { FeedbackStore } from "./feedback_store.ts";

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
