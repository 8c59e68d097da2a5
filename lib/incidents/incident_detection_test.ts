import assert from "node:assert/strict";
import { type DetectorName, IncidentSchema } from "./incident.ts";
import { detectorInput, IncidentDetection } from "./incident_detection.ts";
import { steady, testInput } from "./test_inputs.ts";

const T0 = Date.UTC(2026, 0, 1);
const ALL: DetectorName[] = ["severity", "new_pattern", "rate", "silence", "model"];

/** 30 min of ordinary traffic on a settled system, so every detector is warm. */
function warm(d: IncidentDetection): number {
  for (const x of steady(T0, 1800, 5, { templates: ["a", "b", "c"] })) d.judge(x);
  return T0 + 1_800_000;
}

const fatal = (tsMs: number, templateId = "disk", extra = {}) =>
  testInput({
    tsMs,
    templateId,
    level: "fatal",
    semantics: true,
    content: "disk failure on /dev/sdb",
    ...extra,
  });

Deno.test("detection: a burst of 1,500 lines of one failure is one incident whose count grows", () => {
  const d = new IncidentDetection({ detectors: ALL });
  const t = warm(d);
  d.drainChanged();
  const verdicts = Array.from({ length: 1500 }, (_, i) => d.judge(fatal(t + i * 10)));
  const ids = new Set(verdicts.map((v) => v.incidentId));
  assert.equal(ids.size, 1);
  assert.ok(verdicts.every((v) => v.classification === "CRITICAL_ANOMALY" && v.score >= 0.5));
  const changed = d.drainChanged();
  const incident = changed.find((i) => i.id === verdicts[0].incidentId)!;
  assert.equal(incident.count, 1500);
  assert.equal(incident.detector, "severity");
  IncidentSchema.parse(incident);
  assert.ok(incident.samples.length <= 5 && incident.reasons.length > 0);
});

Deno.test("detection: ordinary lines stay NORMAL and score below 0.5; the labels agree with the incident", () => {
  const d = new IncidentDetection();
  const v = d.judge(
    testInput({ tsMs: T0, content: "Ending the TrustedInstaller main loop.", modelScore: 0.99 }),
  );
  assert.equal(v.classification, "NORMAL");
  assert.ok(v.score < 0.5);
  assert.equal(v.incidentId, undefined);
});

Deno.test("detection: ids are deterministic — the same events replayed give the same incidents", () => {
  const run = () => {
    const d = new IncidentDetection();
    const t = warm(d);
    for (let i = 0; i < 50; i++) d.judge(fatal(t + i * 100, "disk", { lineNo: 100_000 + i }));
    return d.incidents().map((i) => [i.id, i.count]);
  };
  assert.deepEqual(run(), run());
});

Deno.test("detection: an incident resolves after the quiet period; the next episode is a new incident", () => {
  const d = new IncidentDetection({ tracker: { quietMs: 60_000 } });
  const t = warm(d);
  const first = d.judge(fatal(t)).incidentId;
  // Ordinary traffic for two minutes advances the event-time clock past the quiet period.
  for (const x of steady(t + 1, 120, 5, { templates: ["a", "b", "c"] })) d.judge(x);
  const resolved = d.incidents().find((i) => i.id === first)!;
  assert.equal(resolved.status, "resolved");
  const second = d.judge(fatal(t + 200_000)).incidentId;
  assert.notEqual(second, first);
});

Deno.test("feedback: a mute silences its template (counted) but never a fatal line of another template", async () => {
  const d = new IncidentDetection({ now: () => T0 });
  const t = warm(d);
  const id = d.judge(fatal(t)).incidentId!;
  const muted = await d.act({ incidentId: id, action: "mute", scope: "component", by: "ana" });
  assert.equal(muted?.status, "muted");
  assert.equal(d.judge(fatal(t + 1000)).classification, "NORMAL", "same template, muted");
  assert.equal(d.suppressions()[0].silenced, 1);
  const other = d.judge(fatal(t + 2000, "memory", { content: "Out of memory: Killed process 42" }));
  assert.equal(other.classification, "CRITICAL_ANOMALY", "a fatal line of another template still pages");
  // Undo.
  assert.equal(await d.removeSuppression(d.suppressions()[0].id, "ana"), true);
  assert.notEqual(d.judge(fatal(t + 3000)).classification, "NORMAL");
});

Deno.test("feedback: suppressions expire", async () => {
  let now = T0;
  const d = new IncidentDetection({ now: () => now });
  const t = warm(d);
  const id = d.judge(fatal(t)).incidentId!;
  await d.act({ incidentId: id, action: "mute", expiresInMs: 60_000, by: "ana" });
  assert.equal(d.judge(fatal(t + 1)).classification, "NORMAL");
  now += 61_000;
  assert.notEqual(d.judge(fatal(t + 2)).classification, "NORMAL");
});

Deno.test("feedback: 'not a problem' stays rate-aware — a far departure from the baseline still opens an incident", async () => {
  const d = new IncidentDetection({ now: () => T0 });
  const noisy = (tsMs: number) =>
    testInput({ tsMs, templateId: "flaky", semantics: true, level: "error", content: "upload failed" });
  let t = warm(d);
  const first = d.judge(noisy(t));
  assert.notEqual(first.classification, "NORMAL", "a new failure template on a settled system");
  await d.act({ incidentId: first.incidentId!, action: "not_a_problem", scope: "template", by: "ana" });
  // An hour of its usual trickle (one every 30 s) beside ordinary traffic: all NORMAL now.
  for (let s = 0; s < 3600; s += 30) {
    for (const x of steady(t + s * 1000, 30, 2, { templates: ["a", "b", "c"] })) d.judge(x);
    assert.equal(d.judge(noisy(t + s * 1000 + 500)).classification, "NORMAL");
  }
  t += 3_600_000;
  // 60 in two seconds is far above its baseline: the rate detector speaks.
  const burst = Array.from({ length: 60 }, (_, i) => d.judge(noisy(t + 10_000 + i * 30)));
  assert.ok(burst.some((v) => v.classification !== "NORMAL"), "volume far from normal is never silenced");
  // It silenced the rare re-occurrences the new-pattern detector would have flagged.
  assert.ok(d.suppressions()[0].silenced > 0, "the dismissal counts what it silenced");
});

Deno.test("feedback: a dismissed spike does not page again at its own size, only far beyond it", async () => {
  const d = new IncidentDetection({ now: () => T0 });
  const noisy = (tsMs: number) =>
    testInput({ tsMs, templateId: "flaky", semantics: true, level: "error", content: "upload failed" });
  let t = warm(d);
  /** Half an hour of its trickle (one every 10 s) beside ordinary traffic. */
  const trickle = () => {
    for (let s = 0; s < 1800; s += 10) {
      for (const x of steady(t + s * 1000, 10, 2, { templates: ["a", "b", "c"] })) d.judge(x);
      d.judge(noisy(t + s * 1000 + 500));
    }
    t += 1_800_000;
  };
  const spike = (n: number) => {
    const verdicts = Array.from({ length: n }, (_, i) => d.judge(noisy(t + 1000 + i * Math.floor(1500 / n))));
    t += 2000;
    return verdicts;
  };
  trickle();
  const first = spike(40).find((v) => v.incidentId !== undefined && v.reasons[0]?.includes("Spike"));
  assert.ok(first, "a spike of a known failure template opens a volume incident");
  await d.act({ incidentId: first.incidentId!, action: "not_a_problem", scope: "template", by: "ana" });
  assert.ok((d.suppressions()[0].dismissedFactor ?? 0) > 0, "the dismissal remembers the peak it saw");
  trickle();
  assert.ok(
    spike(40).every((v) => v.classification === "NORMAL"),
    "the same spike again: what ana called normal",
  );
  trickle();
  assert.ok(spike(400).some((v) => v.classification !== "NORMAL"), "ten times that: volume far from normal");
});

Deno.test("feedback: 'real problem' keeps flagging the template after its incident resolved", async () => {
  const d = new IncidentDetection({ tracker: { quietMs: 60_000 } });
  const t = warm(d);
  const fail = (tsMs: number) => testInput({ tsMs, templateId: "odd", semantics: true, level: "error" });
  const id = d.judge(fail(t)).incidentId!;
  await d.act({ incidentId: id, action: "real_problem", by: "ana" });
  for (const x of steady(t + 1, 120, 5, { templates: ["a", "b", "c"] })) d.judge(x);
  // Long after, seen many times: no longer new, but confirmed.
  for (let i = 0; i < 10; i++) d.judge(fail(t + 130_000 + i));
  assert.notEqual(d.judge(fail(t + 140_000)).classification, "NORMAL");
});

Deno.test("detection: state survives toJSON/restore — an open incident continues under the same id", () => {
  const d = new IncidentDetection();
  const t = warm(d);
  const id = d.judge(fatal(t)).incidentId;
  const restored = new IncidentDetection();
  restored.restore(JSON.parse(JSON.stringify(d.toJSON())));
  assert.equal(restored.judge(fatal(t + 1000)).incidentId, id);
  assert.equal(restored.incidents().find((i) => i.id === id)?.count, 2);
});

Deno.test("detection: unresolved incidents are bounded; the oldest is resolved early and counted", () => {
  const d = new IncidentDetection({ tracker: { maxOpen: 10 } });
  for (let i = 0; i < 50; i++) d.judge(fatal(T0 + i, `tpl-${i}`));
  assert.ok(d.incidents().filter((i) => i.status !== "resolved").length <= 10);
  assert.equal(d.tracker.forcedResolutions, 40);
});

Deno.test("detection: failure words qualified as the intended outcome are not failure semantics", () => {
  const x = detectorInput(
    testInput({ tsMs: T0, content: "Idle processing thread terminated normally" }).event,
    { semantics: true, severeSemantics: true, failureWord: "terminated" },
    0.5,
  );
  assert.equal(x.semantics, false);
  const y = detectorInput(
    testInput({ tsMs: T0, content: "Worker thread terminated unexpectedly" }).event,
    { semantics: true, severeSemantics: true, failureWord: "terminated" },
    0.5,
  );
  assert.equal(y.semantics, true);
});

Deno.test("several engines: an adopted incident is continued under its id, never resolved or written while foreign", () => {
  const a = new IncidentDetection();
  const t = warm(a);
  const id = a.judge(fatal(t)).incidentId!;
  const stored = a.drainChanged().find((i) => i.id === id)!;
  // Engine B adopts what A stored; its own traffic moves its clock far past A's quiet period.
  const b = new IncidentDetection({ tracker: { quietMs: 60_000 } });
  warm(b);
  assert.equal(b.tracker.adopt([stored]), 1);
  for (const x of steady(t + 1, 300, 5, { templates: ["a", "b", "c"] })) b.judge(x);
  assert.equal(b.drainChanged().some((i) => i.id === id), false, "foreign: not resolved, not written");
  // The partition moves to B: the episode's next line continues the same incident with a later version.
  const v = b.judge(fatal(t + 1000));
  assert.equal(v.incidentId, id);
  const continued = b.drainChanged().find((i) => i.id === id)!;
  assert.equal(continued.count, 2);
  assert.ok(continued.version > stored.version);
  // Resolved elsewhere: a foreign incident missing from the next adoption is forgotten.
  const c = new IncidentDetection();
  c.tracker.adopt([stored]);
  c.tracker.adopt([]);
  assert.equal(c.incidents().length, 0);
});

Deno.test("IncidentDetection.evicted counts what its bounded detector state forgot", () => {
  const detection = new IncidentDetection({ newPattern: { maxKeys: 2 } });
  assert.equal(detection.evicted, 0);
  for (let i = 0; i < 5; i++) {
    detection.judge(testInput({ templateId: `t${i}`, template: `template ${i}`, tsMs: 1_000 + i }));
  }
  assert.equal(detection.evicted, 3, "five templates through a two-key new-pattern memory");
});

Deno.test("a template that generalises keeps its incident and its operators' verdicts under its new id", async () => {
  // The miner's registry, as the engine passes it: "disk" generalised into "disk-v2" after the first lines.
  const aliases = new Map<string, string>();
  const current = (id: string) => aliases.get(id) ?? id;
  const d = new IncidentDetection({ now: () => T0, currentTemplateId: current });
  const t = warm(d);
  const first = d.judge(fatal(t)).incidentId!;
  aliases.set("disk", "disk-v2");
  const later = d.judge(fatal(t + 1000, "disk-v2"));
  assert.equal(later.incidentId, first, "the incident grows under the template's new id");
  assert.equal(d.incidents().filter((i) => i.status === "open").length, 1);

  // A mute given under the old id covers the template's new id ...
  const e = new IncidentDetection({ now: () => T0, currentTemplateId: current });
  aliases.clear();
  const u = warm(e);
  const id = e.judge(fatal(u)).incidentId!;
  await e.act({ incidentId: id, action: "mute", by: "ana" });
  aliases.set("disk", "disk-v2");
  assert.equal(e.judge(fatal(u + 1000, "disk-v2")).classification, "NORMAL", "muted under its new id");
  assert.equal(e.suppressions()[0].silenced, 1);
  // ... and still never a fatal line of another template.
  const other = e.judge(fatal(u + 2000, "memory", { content: "Out of memory: Killed process 42" }));
  assert.equal(other.classification, "CRITICAL_ANOMALY");

  // Without the registry (ids never change), the renamed template is another template: both differences show.
  const f = new IncidentDetection({ now: () => T0 });
  const v = warm(f);
  const gid = f.judge(fatal(v)).incidentId!;
  await f.act({ incidentId: gid, action: "mute", by: "ana" });
  assert.equal(f.judge(fatal(v + 1000, "disk-v2")).classification, "CRITICAL_ANOMALY");
});
