/**
 * What one operator action changed in incident feedback, as other engines of the group must learn it: the
 * suppressions it added, the suppressions it removed (an undo, or a "real problem" lifting a "not a problem"),
 * and the templates it confirmed as real problems. `IncidentDetection` hands one to
 * `IncidentDetectionOptions.onFeedback` after every action that changed feedback; `shared_feedback.ts` turns it
 * into the documents of the hot tier's feedback index.
 *
 * @module
 */
import type { DetectorName, IncidentSeverity } from "./incident.ts";
import type { Suppression } from "./suppression.ts";

/** An operator's "real problem" on one template: its lines open incidents as that detector and severity. */
export interface TemplateConfirmation {
  system: string;
  templateId: string;
  detector: DetectorName;
  severity: IncidentSeverity;
  /** Who confirmed it. */
  by: string;
}

/** A suppression an operator removed, and when (the tombstone other engines apply). */
export interface RemovedSuppression {
  suppression: Suppression;
  /** Wall time ISO of the removal. */
  removedTs: string;
  removedBy: string;
}

/** What one action changed (see module doc); empty arrays when nothing of that kind changed. */
export interface FeedbackChange {
  put: Suppression[];
  removed: RemovedSuppression[];
  confirmed: TemplateConfirmation[];
}

/** Whether a change carries nothing to share. */
export function isEmptyChange(change: FeedbackChange): boolean {
  return change.put.length === 0 && change.removed.length === 0 && change.confirmed.length === 0;
}
