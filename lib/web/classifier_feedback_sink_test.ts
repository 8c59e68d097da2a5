import assert from "node:assert/strict";
import type { FeedbackInput } from "../classification/classifier.ts";
import { classifierFeedbackSink } from "./classifier_feedback_sink.ts";
import type { AlertFeedback } from "./web_deps.ts";

const label: AlertFeedback = {
  eventId: "e1",
  docId: "d1",
  templateId: "t1",
  label: "false_positive",
  classification: "ANOMALY",
  score: 0.8,
  modelVersion: "m",
  at: "2026-11-29T04:00:00.000Z",
};

Deno.test("classifierFeedbackSink records durably, then teaches the classifier", async () => {
  const calls: string[] = [];
  const inputs: FeedbackInput[] = [];
  const sink = classifierFeedbackSink(
    { recordFeedback: (i) => void (calls.push("classifier"), inputs.push(i)) },
    { record: () => Promise.resolve(void calls.push("durable")) },
  );
  await sink.record(label);
  assert.deepEqual(calls, ["durable", "classifier"]);
  assert.deepEqual(inputs, [{ templateId: "t1", label: "false_positive", score: 0.8, eventId: "e1" }]);
  await assert.rejects(() => sink.record({ ...label, templateId: "" }), /templateId is empty/);
});
