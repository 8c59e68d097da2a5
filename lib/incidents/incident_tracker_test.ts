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
