/**
 * Operator feedback on incidents, safe by construction. A suppression always has a **scope** (one template,
 * one template on one host, or one component) and a **kind**:
 * - `mute`: events in scope open or grow no incident until `expiresTs` — except fatal/critical-level lines of
 *   another template than the muted one, which no suppression ever silences;
 * - `not_a_problem`: the line-level detectors (severity, new pattern, model) stop flagging the template, but the
 *   rate detector still opens an incident when its rate departs far from its learned baseline (see
 *   {@link NOT_A_PROBLEM_RATE_FACTOR}) and from the peak the operator dismissed, and a silence is never
 *   suppressed by it.
 *
 * Every suppression counts the events it silenced, can expire, and can be removed (undo).
 *
 * @module
 */
import { z } from "zod";
import type { Level } from "../event/log_event.ts";
import type { DetectorName } from "./incident.ts";

/** What a suppression covers. */
export const SUPPRESSION_SCOPES = ["template", "template_host", "component"] as const;
/** A suppression scope. */
export type SuppressionScope = typeof SUPPRESSION_SCOPES[number];

/** What a suppression does (see module doc). */
export const SUPPRESSION_KINDS = ["mute", "not_a_problem"] as const;
/** A suppression kind. */
export type SuppressionKind = typeof SUPPRESSION_KINDS[number];

/**
 * A `not_a_problem` template still opens a rate incident when its bucket count is at least this many times its
 * learned baseline (and the rate detector's own surprise test passes).
 */
export const NOT_A_PROBLEM_RATE_FACTOR = 5;

/** A `not_a_problem` volume incident's template speaks again past this many times the peak it dismissed. */
export const DISMISSED_PEAK_MARGIN = 2;

/** Schema of a stored suppression. */
export const SuppressionSchema = z.object({
  id: z.string().min(1),
  kind: z.enum(SUPPRESSION_KINDS),
  scope: z.enum(SUPPRESSION_SCOPES),
  system: z.string(),
  component: z.string(),
  /** The template (for `template` and `template_host` scopes; "" for `component`). */
  templateId: z.string(),
  template: z.string(),
  /** The host (for `template_host`; "" otherwise). */
  host: z.string(),
  /** The incident it was created from ("" when created directly). */
  incidentId: z.string(),
  /** Wall time ISO of creation, and of expiry ("" = never expires). */
  createdTs: z.string(),
  expiresTs: z.string(),
  createdBy: z.string(),
  /** Events it kept from opening or growing an incident. */
  silenced: z.number().int().nonnegative(),
  /**
   * For a `not_a_problem` given on a volume incident: its peak ÷ baseline. The operator has seen that much
   * and called it normal, so only a departure well beyond it ({@link DISMISSED_PEAK_MARGIN}×) speaks again.
   */
  dismissedFactor: z.number().nonnegative().optional(),
});
/** A suppression (see module doc). */
export type Suppression = z.infer<typeof SuppressionSchema>;

/** What a suppression is matched against: one event and the detector that would flag it. */
export interface SuppressionProbe {
  detector: DetectorName;
  system: string;
  component: string;
  templateId: string;
  host: string;
  level: Level;
}

/** Whether `s` is in force at wall time `nowMs`. */
export function isActive(s: Suppression, nowMs: number): boolean {
  return s.expiresTs === "" || Date.parse(s.expiresTs) > nowMs;
}

/** Whether `s` covers the event of `probe` (scope only; kind and detector rules are in {@link suppresses}). */
export function inScope(s: Suppression, probe: SuppressionProbe): boolean {
  if (s.system !== probe.system || s.component !== probe.component) return false;
  switch (s.scope) {
    case "component":
      return true;
    case "template":
      return s.templateId === probe.templateId;
    case "template_host":
      return s.templateId === probe.templateId && s.host === probe.host;
  }
}

/**
 * Whether `s` keeps the detector of `probe` from flagging its event (see module doc for the rules).
 * @param rateFactor for the rate detector: the bucket count ÷ baseline that triggered it.
 */
export function suppresses(s: Suppression, probe: SuppressionProbe, rateFactor = 0): boolean {
  if (!inScope(s, probe)) return false;
  const severeLevel = probe.level === "fatal" || probe.level === "critical";
  // A fatal/critical line is never silenced by feedback given on another template.
  if (severeLevel && s.templateId !== probe.templateId) return false;
  if (s.kind === "mute") return true;
  // not_a_problem: line-level judgements of the template only; volume far from normal and silence still speak.
  if (probe.detector === "rate") {
    return rateFactor < Math.max(NOT_A_PROBLEM_RATE_FACTOR, DISMISSED_PEAK_MARGIN * (s.dismissedFactor ?? 0));
  }
  return probe.detector !== "silence";
}
