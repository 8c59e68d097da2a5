import assert from "node:assert/strict";
import { JsonlFeedbackSink } from "./jsonl_feedback_sink.ts";
import type { AlertFeedback } from "./web_deps.ts";

Deno.test("JsonlFeedbackSink appends one parseable line per label, in order", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const sink = new JsonlFeedbackSink(`${dir}/sub/feedback.jsonl`);
    const base: AlertFeedback = {
      eventId: "e",
      docId: "d",
      templateId: "t",
      label: "confirmed",
      classification: "ANOMALY",
      score: 0.9,
      modelVersion: "m",
      at: "2026-11-29T04:00:00.000Z",
    };
    await Promise.all(
      Array.from(
        { length: 50 },
        (_, i) => sink.record({ ...base, eventId: `e${i}`, template: "\n<script>" } as AlertFeedback),
      ),
    );
    const lines = (await Deno.readTextFile(`${dir}/sub/feedback.jsonl`)).trimEnd().split("\n");
    assert.equal(lines.length, 50);
    assert.deepEqual(lines.map((l) => JSON.parse(l).eventId), Array.from({ length: 50 }, (_, i) => `e${i}`));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
