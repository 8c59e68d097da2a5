import assert from "node:assert/strict";
import type { DetectorSignal } from "./detector_signal.ts";
import { IncidentTracker } from "./incident_tracker.ts";
import { testInput } from "./test_inputs.ts";
import { evictionCount } from "../../engine/eviction_tally.ts";

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

Deno.test("tracker: unresolved and resolved incidents stay within maxOpen / maxResolved, adopted ones too; each drop tallied", () => {
  const names = ["incidents_open", "incidents_resolved"];
  const before = names.map(evictionCount);
  const delta = () => names.map((n, i) => evictionCount(n) - before[i]);
  const spike = (name: string): DetectorSignal => ({
    detector: "rate",
    severity: "ANOMALY",
    scope: `c:${name}/comp`,
    host: "*",
    evidence: 0.8,
    reasons: [`${name}'s volume: 40 in 2 s vs 2.2 usual (×18.2)`],
    rate: { count: 40, baseline: 2.2 },
  });
  const open = (t: IncidentTracker) => t.all().filter((i) => i.status !== "resolved");
  const tracker = new IncidentTracker({ maxOpen: 10, maxResolved: 5 }, () => T0);
  for (let i = 0; i < 50; i++) {
    tracker.record(spike(`C${i}`), testInput({ tsMs: T0 + i, system: `C${i}` }).event, T0 + i);
  }
  assert.equal(open(tracker).length, 10);
  assert.equal(tracker.all().length - 10, 5, "resolved ones kept");
  // 40 forced out of the open map, 35 of those then pushed out of the resolved one.
  assert.deepEqual(delta(), [40, 35]);

  const other = new IncidentTracker({}, () => T0);
  for (let i = 0; i < 20; i++) {
    other.record(spike(`D${i}`), testInput({ tsMs: T0 + i, system: `D${i}` }).event, T0 + i);
  }
  assert.equal(tracker.adopt(open(other)), 20);
  assert.equal(open(tracker).length, 10, "adopting never grows past maxOpen");
  assert.deepEqual(
    delta(),
    [60, 35],
    "the adopted ones were forgotten first (theirs to write), not resolved",
  );
  assert.equal(tracker.forcedResolutions, 40);
});
