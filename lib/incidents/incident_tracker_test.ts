import assert from "node:assert/strict";
import type { DetectorSignal } from "./detector_signal.ts";
import { IncidentTracker } from "./incident_tracker.ts";
import { testInput } from "./test_inputs.ts";

const T0 = Date.UTC(2026, 0, 1);

Deno.test("tracker: a spike's later readings do not crowd its reasons; another kind of reason is kept", () => {
  const tracker = new IncidentTracker({}, () => T0);
  const rate = (count: number, what = "CBS's volume"): DetectorSignal => ({
    detector: "rate",
    severity: "ANOMALY",
    scope: "c:sys/CBS",
    host: "*",
    evidence: 0.8,
    reasons: [`${what}: ${count} in 2 s vs 2.2 usual (×${(count / 2.2).toFixed(1)})`],
    rate: { count, baseline: 2.2 },
  });
  let incident;
  for (const [i, count] of [40, 225, 1, 2, 3, 4, 5, 6, 7, 8, 9].entries()) {
    incident = tracker.record(
      rate(count),
      testInput({ tsMs: T0 + i * 100, component: "CBS" }).event,
      T0 + i * 100,
    );
  }
  incident = tracker.record(rate(30, "Spike of template x"), testInput({ tsMs: T0 + 2000 }).event, T0 + 2000);
  assert.deepEqual(incident!.reasons, [
    "CBS's volume: 225 in 2 s vs 2.2 usual (×102.3)",
    "Spike of template x: 30 in 2 s vs 2.2 usual (×13.6)",
  ]);
  assert.equal(incident!.peakRate, 225);
});

Deno.test("tracker: a template's spike during its component's new-failure episode grows that incident; later it is its own", () => {
  const tracker = new IncidentTracker({}, () => T0);
  const fresh: DetectorSignal = {
    detector: "new_pattern",
    severity: "ANOMALY",
    scope: "t:new",
    host: "*",
    evidence: 0.8,
    reasons: ["first occurrence of this template"],
  };
  const spike = (templateId: string): DetectorSignal => ({
    detector: "rate",
    severity: "ANOMALY",
    scope: `t:${templateId}`,
    host: "*",
    evidence: 0.7,
    reasons: ["this template's rate: 28 in 2 s vs 2.1 usual (×13.3)"],
    rate: { count: 28, baseline: 2.1 },
  });
  const event = (templateId: string, tsMs: number) => testInput({ tsMs, component: "CBS", templateId }).event;
  const opened = tracker.record(fresh, event("new", T0), T0);
  const grown = tracker.record(spike("old"), event("old", T0 + 1000), T0 + 1000);
  assert.equal(grown.id, opened.id);
  assert.deepEqual(grown.reasons, [
    "first occurrence of this template",
    "this template's rate: 28 in 2 s vs 2.1 usual (×13.3)",
  ]);
  assert.equal(grown.count, 2);
  assert.equal(grown.peakRate, 28);
  // Past the join window the spike is news of its own, as is a spike in another component.
  const later = tracker.record(spike("old"), event("old", T0 + 200_000), T0 + 200_000);
  assert.notEqual(later.id, opened.id);
  assert.equal(later.detector, "rate");
  const tracker2 = new IncidentTracker({}, () => T0);
  const first = tracker2.record(fresh, event("new", T0), T0);
  const elsewhere = tracker2.record(
    spike("x"),
    testInput({ tsMs: T0 + 1000, component: "CSI" }).event,
    T0 + 1000,
  );
  assert.notEqual(elsewhere.id, first.id);
});
