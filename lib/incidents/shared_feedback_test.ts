import assert from "node:assert/strict";
import { IncidentDetection } from "./incident_detection.ts";
import {
  confirmationDoc,
  feedbackDocs,
  liveSuppressionDoc,
  mergeSharedFeedback,
  parseSharedFeedback,
} from "./shared_feedback.ts";
import type { Suppression } from "./suppression.ts";

const NOW = Date.UTC(2026, 11, 4, 12);
const iso = (ms: number) => new Date(ms).toISOString();

function suppression(id: string, overrides: Partial<Suppression> = {}): Suppression {
  return {
    id,
    kind: "mute",
    scope: "template",
    system: "sys",
    component: "comp",
    templateId: "disk",
    template: "disk failure",
    host: "",
    incidentId: "inc-1",
    createdTs: iso(NOW - 1000),
    expiresTs: iso(NOW + 3_600_000),
    createdBy: "ana",
    silenced: 7,
    ...overrides,
  };
}

Deno.test("feedbackDocs: a removal's tombstone is versioned after its live document, even in the same ms", () => {
  const s = suppression("sup-1", { createdTs: iso(NOW) });
  const [live, tomb] = feedbackDocs({
    put: [s],
    removed: [{ suppression: s, removedTs: iso(NOW), removedBy: "bo" }],
    confirmed: [],
  }, NOW);
  assert.equal(live.updatedMs, NOW);
  assert.ok(tomb.updatedMs > live.updatedMs);
  assert.equal(tomb.kind === "suppression" && tomb.removedTs, iso(NOW));
  assert.equal(live.kind === "suppression" && live.suppression.silenced, 0, "counts are not shared");
});

Deno.test("mergeSharedFeedback: adds others' live suppressions, applies tombstones, skips expired ones", () => {
  const d = new IncidentDetection();
  d.book.put(suppression("sup-mine"));
  d.book.put(suppression("sup-undone"));
  const report = mergeSharedFeedback(d, [
    liveSuppressionDoc(suppression("sup-other", { templateId: "net" })),
    {
      ...liveSuppressionDoc(suppression("sup-undone")),
      updatedMs: NOW,
      removedTs: iso(NOW),
      removedBy: "bo",
    },
    liveSuppressionDoc(suppression("sup-expired", { expiresTs: iso(NOW - 1) })),
    confirmationDoc(
      { system: "sys", templateId: "disk", detector: "severity", severity: "CRITICAL_ANOMALY", by: "bo" },
      NOW,
    ),
  ], NOW);
  assert.deepEqual(
    { added: report.added, removed: report.removed, expired: report.expired, confirmed: report.confirmed },
    { added: 1, removed: 1, expired: 1, confirmed: 1 },
  );
  assert.deepEqual(d.suppressions().map((s) => s.id).sort(), ["sup-mine", "sup-other"]);
  assert.deepEqual(report.missing.map((s) => s.id), ["sup-mine"], "what the index lacks is published again");
  assert.equal(d.book.get("sup-other")?.silenced, 0, "a merged suppression starts its own count");
  assert.equal(d.book.get("sup-mine")?.silenced, 7, "a held one keeps its count");
  // A second merge of the same documents changes nothing.
  const again = mergeSharedFeedback(
    d,
    [liveSuppressionDoc(suppression("sup-other", { templateId: "net" }))],
    NOW,
  );
  assert.equal(again.added + again.removed + again.confirmed, 0);
});

Deno.test("parseSharedFeedback: refuses malformed documents and a suppression stored under another id", () => {
  assert.equal(parseSharedFeedback({ kind: "suppression", id: "x", updatedMs: 5 }), undefined);
  assert.equal(parseSharedFeedback({ hello: "world" }), undefined);
  assert.equal(parseSharedFeedback(null), undefined);
  assert.equal(parseSharedFeedback({ ...liveSuppressionDoc(suppression("sup-1")), id: "sup-2" }), undefined);
  assert.ok(parseSharedFeedback(liveSuppressionDoc(suppression("sup-1"))));
});

Deno.test("IncidentDetection: an undo reports its tombstone; merged confirmations are not reported as actions", async () => {
  const changes: unknown[] = [];
  const d = new IncidentDetection({
    now: () => NOW,
    onFeedback: (c) => Promise.resolve(void changes.push(c)),
  });
  d.book.put(suppression("sup-nap", { kind: "not_a_problem" }));
  assert.equal(await d.removeSuppression("sup-unknown", "bo"), false);
  assert.equal(await d.removeSuppression("sup-nap", "bo"), true);
  assert.deepEqual(changes, [{
    put: [],
    removed: [{
      suppression: suppression("sup-nap", { kind: "not_a_problem" }),
      removedTs: iso(NOW),
      removedBy: "bo",
    }],
    confirmed: [],
  }]);
  assert.equal(
    d.applyConfirmation({ system: "s", templateId: "t", detector: "rate", severity: "ANOMALY", by: "x" }),
    true,
  );
  assert.equal(
    d.applyConfirmation({ system: "s", templateId: "t", detector: "rate", severity: "ANOMALY", by: "y" }),
    false,
  );
  assert.deepEqual(d.confirmations().map((c) => [c.system, c.templateId]), [["s", "t"]]);
  assert.equal(changes.length, 1, "merged confirmations are not reported as this engine's actions");
});
