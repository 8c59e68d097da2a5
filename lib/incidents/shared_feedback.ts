/**
 * Operators' feedback shared by every engine of a consumer group, as documents of one hot-tier index
 * (`<prefix>-feedback`, written and read by `actors/feedback_sync.ts`). An engine applies feedback to the
 * events of its own partitions only, so a mute taken on one engine's dashboard must reach the others: each
 * action writes its change here, and every engine merges what the others wrote ({@link mergeSharedFeedback}).
 *
 * One document per suppression and per confirmed template, its `_id` the suppression's deterministic id (or
 * `conf-<hash of system + template>`), written with an **external version** = `updatedMs`:
 * - a suppression is written at its creation time;
 * - its removal (undo, or "real problem" lifting a "not a problem") rewrites the same document as a
 *   **tombstone** (`removedTs` set) at the removal time, later than the creation: a stale copy of the live
 *   suppression, replayed or re-published by an engine that had not merged the removal yet, meets a version
 *   conflict and is dropped by the index, so an undone mute never comes back;
 * - a confirmation is written at the time it was given (the latest "real problem" on a template wins).
 *
 * A merged suppression also marks this engine's unresolved incidents of its template as the action did where
 * it was taken (muted, or resolved for "not a problem"); an undo changes no status, as on the engine it was
 * taken on. Expiry is the suppression's own (`expiresTs`, checked where it is matched): an expired suppression is not
 * merged into a book that lacks it. Silenced counts are not shared (`silenced` stays each engine's own: how
 * many of *its* events the suppression kept quiet).
 *
 * @module
 */
import { z } from "zod";
import { stableHash } from "../parsing/stable_hash.ts";
import { DETECTORS, INCIDENT_SEVERITIES } from "./incident.ts";
import type { FeedbackChange, TemplateConfirmation } from "./feedback_change.ts";
import type { IncidentDetection } from "./incident_detection.ts";
import { isActive, type Suppression, SuppressionSchema } from "./suppression.ts";

/** A suppression, live or removed (a tombstone), as the feedback index holds it. */
export const SharedSuppressionSchema = z.object({
  kind: z.literal("suppression"),
  id: z.string().min(1),
  /** The external version: creation time for a live one, removal time for a tombstone (ms). */
  updatedMs: z.number().int().positive(),
  /** The suppression's expiry (ms; 0 = never): a read leaves out what expired, so it stays as small as what is in force. */
  expiresMs: z.number().int().nonnegative(),
  suppression: SuppressionSchema,
  /** Wall time ISO of its removal; "" while it is live. */
  removedTs: z.string(),
  removedBy: z.string(),
});
/** A shared suppression document. */
export type SharedSuppression = z.infer<typeof SharedSuppressionSchema>;

/** A template confirmed as a real problem, as the feedback index holds it. */
export const SharedConfirmationSchema = z.object({
  kind: z.literal("confirmation"),
  id: z.string().min(1),
  updatedMs: z.number().int().positive(),
  system: z.string(),
  templateId: z.string().min(1),
  detector: z.enum(DETECTORS),
  severity: z.enum(INCIDENT_SEVERITIES),
  by: z.string(),
});
/** A shared confirmation document. */
export type SharedConfirmation = z.infer<typeof SharedConfirmationSchema>;

/** Any document of the feedback index. */
export const SharedFeedbackSchema = z.discriminatedUnion("kind", [
  SharedSuppressionSchema,
  SharedConfirmationSchema,
]);
/** A document of the feedback index. */
export type SharedFeedback = z.infer<typeof SharedFeedbackSchema>;

/**
 * Validates one raw document of the feedback index.
 * @returns the document, or `undefined` when it is not one (wrong shape, or a suppression stored under
 *   another id than its own).
 */
export function parseSharedFeedback(raw: unknown): SharedFeedback | undefined {
  const r = SharedFeedbackSchema.safeParse(raw);
  if (!r.success) return undefined;
  if (r.data.kind === "suppression" && r.data.suppression.id !== r.data.id) return undefined;
  return r.data;
}

/** The document id of a template's confirmation. */
export function confirmationId(system: string, templateId: string): string {
  return `conf-${stableHash(`${system}\u0000${templateId}`)}`;
}

/** The document of a live suppression (its version: its creation time). */
export function liveSuppressionDoc(s: Suppression): SharedSuppression {
  return {
    kind: "suppression",
    id: s.id,
    updatedMs: Math.max(1, Date.parse(s.createdTs) || 1),
    expiresMs: s.expiresTs === "" ? 0 : Math.max(1, Date.parse(s.expiresTs) || 1),
    suppression: { ...s, silenced: 0 },
    removedTs: "",
    removedBy: "",
  };
}

/**
 * The documents of one action's change (see module doc for their versions).
 * @param nowMs wall time of the action (the version of its confirmations)
 */
export function feedbackDocs(change: FeedbackChange, nowMs: number): SharedFeedback[] {
  const docs: SharedFeedback[] = change.put.map(liveSuppressionDoc);
  for (const r of change.removed) {
    const created = liveSuppressionDoc(r.suppression).updatedMs;
    docs.push({
      ...liveSuppressionDoc(r.suppression),
      // Strictly later than the live document, even when both fall in one millisecond.
      updatedMs: Math.max(created + 1, Date.parse(r.removedTs) || 0),
      removedTs: r.removedTs,
      removedBy: r.removedBy,
    });
  }
  for (const c of change.confirmed) docs.push(confirmationDoc(c, nowMs));
  return docs;
}

/** The document of a confirmation given at `nowMs`. */
export function confirmationDoc(c: TemplateConfirmation, nowMs: number): SharedConfirmation {
  return {
    kind: "confirmation",
    id: confirmationId(c.system, c.templateId),
    updatedMs: Math.max(1, Math.floor(nowMs)),
    system: c.system,
    templateId: c.templateId,
    detector: c.detector,
    severity: c.severity,
    by: c.by,
  };
}

/**
 * Marks this engine's unresolved incidents of a merged suppression's template as the action did where it was
 * taken (a mute: muted; "not a problem": resolved), so this engine's feed agrees. Only incidents of the
 * suppression's own template (and host, for a template + host scope): a component-wide verdict never touches
 * another template's incident, as it never silences another template's fatal lines.
 * @returns how many incidents changed.
 */
function markInScope(detection: IncidentDetection, s: Suppression, nowMs: number): number {
  if (s.templateId === "") return 0;
  let n = 0;
  for (const i of detection.tracker.all()) {
    if (i.status !== "open" && i.status !== "acknowledged") continue;
    if (i.system !== s.system || i.component !== s.component || i.templateId !== s.templateId) continue;
    if (s.scope === "template_host" && i.host !== s.host) continue;
    const status = s.kind === "mute" ? "muted" : "resolved";
    if (detection.tracker.setStatus(i.id, status, s.createdBy, nowMs) !== undefined) n++;
  }
  return n;
}

/** What one merge did. */
export interface MergeReport {
  /** Suppressions of other engines added to the book. */
  added: number;
  /** Suppressions removed from the book because their document is a tombstone. */
  removed: number;
  /** Expired suppressions not merged. */
  expired: number;
  /** Confirmations applied (new or changed). */
  confirmed: number;
  /** This engine's unresolved incidents of an added suppression's template marked muted / resolved. */
  statusChanged: number;
  /**
   * The book's live suppressions the index holds no document of (a write that failed, an index recreated):
   * the caller publishes them again.
   */
  missing: Suppression[];
}

/**
 * Merges the feedback index's documents into `detection` (see module doc): tombstones remove, live unexpired
 * suppressions are added where missing, confirmations are applied. Never touches `silenced` counts.
 * @param nowMs wall time, for expiry
 */
export function mergeSharedFeedback(
  detection: IncidentDetection,
  docs: readonly SharedFeedback[],
  nowMs: number,
): MergeReport {
  const report: MergeReport = {
    added: 0,
    removed: 0,
    expired: 0,
    confirmed: 0,
    statusChanged: 0,
    missing: [],
  };
  const known = new Set<string>();
  for (const doc of docs) {
    known.add(doc.id);
    if (doc.kind === "confirmation") {
      if (detection.applyConfirmation(doc)) report.confirmed++;
      continue;
    }
    if (doc.removedTs !== "") {
      if (detection.book.remove(doc.id)) report.removed++;
      continue;
    }
    if (detection.book.has(doc.id)) continue;
    if (!isActive(doc.suppression, nowMs)) {
      report.expired++;
      continue;
    }
    if (!detection.book.put(doc.suppression)) continue;
    report.added++;
    report.statusChanged += markInScope(detection, doc.suppression, nowMs);
  }
  for (const s of detection.book.list()) {
    if (!known.has(s.id) && isActive(s, nowMs)) report.missing.push(s);
  }
  return report;
}
