/**
 * What operators can do to incidents, as the dashboard calls it. `deno task start` and `deno task engine` hand
 * the dashboard the engine's own implementation (the incident tracker behind the classifier pool), so an
 * action takes effect on the next event.
 *
 * @module
 */
import type { Incident } from "./incident.ts";
import type { Suppression, SuppressionScope } from "./suppression.ts";

/** Actions on an incident. */
export const INCIDENT_ACTIONS = [
  "acknowledge",
  "resolve",
  "reopen",
  "mute",
  "not_a_problem",
  "real_problem",
] as const;
/** An incident action. */
export type IncidentAction = typeof INCIDENT_ACTIONS[number];

/** One operator action. */
export interface IncidentActionRequest {
  incidentId: string;
  action: IncidentAction;
  /** For `mute` and `not_a_problem`: what it covers. Default `template` (component-level incidents: `component`). */
  scope?: SuppressionScope;
  /** For `mute` and `not_a_problem`: how long it lasts, ms; omitted = `mute` 4 h, `not_a_problem` 30 days. */
  expiresInMs?: number;
  /** Who acted (shown on the incident and the suppressions page). */
  by: string;
}

/** The engine side of incident feedback. */
export interface IncidentControl {
  /**
   * Applies an action; resolves with the incident after it (`undefined` when the id is unknown to this engine).
   * @throws {RangeError} on an invalid scope or expiry.
   */
  act(request: IncidentActionRequest): Promise<Incident | undefined>;
  /** Every suppression in force or expired but not removed, newest first. */
  suppressions(): Suppression[];
  /** Removes a suppression (undo); false when unknown. */
  removeSuppression(id: string, by: string): Promise<boolean>;
  /** Incidents the engine holds in memory (open ones and the recently resolved), most urgent first. */
  incidents(): Incident[];
}
