/**
 * The classifier's targets, measured on ../shared/loghub with the shipped model through the offline path
 * (same steps as the engine). Targets that are missed are asserted at the measured level as a regression
 * floor (see models/README.md, "Targets"): BGL zero-shot F1 target 0.7, BGL with feedback 0.9, normal systems
 * ≤ 3% flagged (Hadoop misses it), and ≤ 3% on every normal system once an operator dismissed the first alerts.
 */
import assert from "node:assert/strict";
import { evaluateTargets } from "../../models/evaluate_targets.ts";

const loghub = new URL("../../../shared/loghub/", import.meta.url);

Deno.test("classifier targets on Loghub (zero-shot BGL, BGL with feedback, quiet on normal systems)", async () => {
  const m = await evaluateTargets(loghub);
  console.log(JSON.stringify({
    zeroShot: m.bglZeroShot,
    feedback: m.bglFeedback,
    flagged: m.flaggedShare,
    flaggedAfterDismissals: m.flaggedAfterDismissals,
  }));
  // Missed targets: regression floors at the measured level (target 0.7 and 0.9).
  assert.ok(m.bglZeroShot.f1 >= 0.55, `BGL zero-shot F1 ${m.bglZeroShot.f1}`);
  assert.ok(m.bglFeedback.f1 >= 0.78, `BGL feedback F1 ${m.bglFeedback.f1}`);
  for (const [system, share] of Object.entries(m.flaggedShare)) {
    const limit = system === "Hadoop" ? 0.05 : 0.03; // Hadoop: missed (measured 4.7%), floor 5%
    assert.ok(share <= limit, `${system} flagged ${(share * 100).toFixed(1)}%`);
  }
  // Dismissing the alerts of lines 1–1000 keeps every training system (Hadoop included) under 3% afterwards.
  for (const [system, share] of Object.entries(m.flaggedAfterDismissals)) {
    assert.ok(share <= 0.03, `${system} flagged ${(share * 100).toFixed(1)}% after dismissals`);
  }
});
