/**
 * The suppression an incident's card shows ("muted until …"): the incident document says only that it is muted
 * (`status`, `statusBy`, `statusTs`); how long for is in the engine's suppressions, which carry `incidentId` and
 * `expiresTs`.
 *
 * @module
 */
// Types only: islands import this module, and the suppression module's schema would bring zod to the browser.
import type { Suppression, SuppressionKind, SuppressionScope } from "../incidents/suppression.ts";

/** What a card says about the suppression of its incident. */
export interface IncidentSuppression {
  kind: SuppressionKind;
  scope: SuppressionScope;
  /** Wall time ISO of expiry; "" = never expires. */
  expiresTs: string;
}

/**
 * The suppression in force for each incident that has one, by incident id. When an incident has several (a line
 * incident muted per template), the one lasting longest.
 *
 * @param suppressions the engine's suppressions (`IncidentControl.suppressions()`)
 * @param nowMs wall time: expired suppressions are left out
 */
export function suppressionsByIncident(
  suppressions: readonly Suppression[],
  nowMs: number,
): Record<string, IncidentSuppression> {
  const out: Record<string, IncidentSuppression> = {};
  const lasts = (ts: string) => (ts === "" ? Infinity : Date.parse(ts));
  for (const s of suppressions) {
    // In force: as `isActive` of the suppression module.
    if (!s.incidentId || !(lasts(s.expiresTs) > nowMs)) continue;
    const seen = out[s.incidentId];
    if (seen === undefined || lasts(s.expiresTs) > lasts(seen.expiresTs)) {
      out[s.incidentId] = { kind: s.kind, scope: s.scope, expiresTs: s.expiresTs };
    }
  }
  return out;
}

/** `muted until 2026-11-29 08:05 UTC`, `not a problem until …`, or `… with no expiry`. */
export function describeSuppression(s: IncidentSuppression): string {
  const what = s.kind === "mute" ? "muted" : "not a problem";
  if (s.expiresTs === "") return `${what} with no expiry`;
  const d = new Date(s.expiresTs);
  if (Number.isNaN(d.getTime())) return what;
  return `${what} until ${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
