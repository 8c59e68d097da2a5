import assert from "node:assert/strict";
import { minedEvent } from "../classification/test_events.ts";
import type { Level } from "../event/log_event.ts";
import type { DetectorInput } from "./detector_signal.ts";
import { ModelDetector } from "./model_detector.ts";

const T0 = Date.UTC(2026, 0, 1);
const input = (
  content: string,
  modelScore: number,
  o: { level?: Level; semantics?: boolean; tsMs?: number } = {},
): DetectorInput => ({
  event: minedEvent(content, { level: o.level }),
  tsMs: o.tsMs ?? T0 + 3_600_000,
  level: o.level ?? "info",
  semantics: o.semantics ?? false,
  severeSemantics: false,
  failureWord: "",
  modelScore,
});

/** A detector that has watched the test system for an hour already. */
function watched(options = {}): ModelDetector {
  const d = new ModelDetector(options);
  d.observe(input("first line of the system", 0, { tsMs: T0 }));
  return d;
}

Deno.test("model detector: a never-seen line scored high on a settled system is flagged, once", () => {
  const d = watched();
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
  const d = watched({ threshold: 0.9 });
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

Deno.test("model detector: silent until the system has been watched for minSystemAgeMs; state survives a restart", () => {
  const d = new ModelDetector({ minSystemAgeMs: 600_000 });
  assert.equal(d.observe(input("x", 0, { tsMs: T0 })), undefined);
  assert.equal(d.observe(input("y", 0.99, { tsMs: T0 + 60_000 })), undefined, "one minute in: too early");
  const restored = new ModelDetector({ minSystemAgeMs: 600_000 });
  restored.restore(JSON.parse(JSON.stringify(d.toJSON())));
  assert.equal(restored.observe(input("y", 0.99, { tsMs: T0 + 700_000 })), undefined, "y was seen before");
  assert.ok(
    restored.observe(input("z", 0.99, { tsMs: T0 + 700_000 })) !== undefined,
    "the system's age was kept",
  );
});

Deno.test("model: a renamed template keeps its count, so a familiar line is not never-seen", () => {
  const narrowId = input("narrow", 0).event.templateId;
  const wideId = input("wide", 0).event.templateId;
  const d = new ModelDetector({ minSystemAgeMs: 0 }, (id) => id === wideId ? [narrowId] : []);
  for (let i = 0; i < 3; i++) d.observe(input("narrow", 0.1), true);
  assert.equal(d.observe(input("wide", 0.99), true), undefined, "seen 3 times under its former id");
  const fresh = new ModelDetector({ minSystemAgeMs: 0 });
  for (let i = 0; i < 3; i++) fresh.observe(input("narrow", 0.1), true);
  assert.equal(fresh.observe(input("wide", 0.99), true)?.detector, "model");
});
