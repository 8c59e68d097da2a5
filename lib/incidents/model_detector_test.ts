import assert from "node:assert/strict";
import { minedEvent } from "../classification/test_events.ts";
import type { Level } from "../event/log_event.ts";
import type { DetectorInput } from "./detector_signal.ts";
import { ModelDetector } from "./model_detector.ts";

const input = (
  content: string,
  modelScore: number,
  o: { level?: Level; semantics?: boolean } = {},
): DetectorInput => ({
  event: minedEvent(content, { level: o.level }),
  tsMs: Date.UTC(2026, 0, 1),
  level: o.level ?? "info",
  semantics: o.semantics ?? false,
  severeSemantics: false,
  failureWord: "",
  modelScore,
});

Deno.test("model detector: a never-seen line scored high on a settled system is flagged, once", () => {
  const d = new ModelDetector();
  const s = d.observe(input("task kworker blocked for more than 120 seconds", 0.97));
  assert.equal(s?.detector, "model");
  assert.equal(s?.severity, "ANOMALY");
  assert.match(s!.reasons[0], /never-seen line/);
  assert.equal(
    d.observe(input("task kworker blocked for more than 120 seconds", 0.97)),
    undefined,
    "seen once",
  );
});

Deno.test("model detector: silent below its threshold, on an unsettled system, and on lines the rules read", () => {
  const d = new ModelDetector({ threshold: 0.9 });
  assert.equal(d.observe(input("a", 0.89)), undefined);
  assert.equal(d.observe(input("b", 0.99), false), undefined, "not armed");
  assert.equal(
    d.observe(input("c failed", 0.99, { semantics: true })),
    undefined,
    "failure wording: new_pattern's",
  );
  assert.equal(d.observe(input("d", 0.99, { level: "error" })), undefined, "error level: new_pattern's");
  assert.ok(d.observe(input("e", 0.99, { level: "warn" })) !== undefined);
  assert.throws(() => new ModelDetector({ threshold: 0 }), RangeError);
});
