/**
 * The rules' view of Loghub lines, which carry no ground truth. Since the model was reshaped (issue 11) a line
 * this rule calls a failure is *left out* of training (label unknown, `UNKNOWN_LABEL` in
 * `build_training_set.ts`): the lexicon and level detectors already say what the rule says, and a model taught
 * to copy it adds nothing. The rule: a line is weakly ANOMALY when it has
 * failure semantics (a failure-class lexicon word and no mitigation) or a critical/fatal level, AND its
 * template is new to the stream (fewer than 3 earlier occurrences); or when a critical/fatal-level template is
 * bursting (its share of recent events is at least 3× its share of the whole stream so far). Everything else is NORMAL: a failure that
 * keeps recurring at its usual rate is the background of that system, not news. The rule is generic on purpose —
 * it never looks at a system's name, and BGL is never labelled with it (BGL is not trained on at all).
 *
 * @module
 */
import type { FeatureFacts } from "../lib/classification/features.ts";

/** Occurrences of a template before it stops counting as new for the weak labels. */
export const WEAK_NEW_TEMPLATE_COUNT = 3;

/** The weak label of one line from its features' facts: 1 = anomalous, 0 = normal. */
export function weakLabel(facts: FeatureFacts): 0 | 1 {
  const severeLevel = facts.level === "critical" || facts.level === "fatal";
  if (facts.count < WEAK_NEW_TEMPLATE_COUNT) return facts.semantics || severeLevel ? 1 : 0;
  return severeLevel && facts.burstRatio >= WEAK_BURST_RATIO ? 1 : 0;
}

/** Fast/slow event-share ratio from which a failing template counts as bursting (its share tripled). */
export const WEAK_BURST_RATIO = 3;
