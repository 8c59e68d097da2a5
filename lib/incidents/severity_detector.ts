/**
 * The severity detector: lines whose own level field says fatal or critical, and lines that report a
 * page-worthy failure ({@link pageWorthyFailure}) whatever their level. Stateless. A level vigil inferred from
 * a line's words (flag `level_inferred`: the format has no level) is not a level the application chose, so it
 * does not count here.
 *
 * Severity: CRITICAL_ANOMALY for a page-worthy failure, or a fatal/critical level *with* failure semantics;
 * ANOMALY for a fatal/critical level alone (some systems log routine events at those levels).
 *
 * @module
 */
import { type DetectorInput, type DetectorSignal, templateScope } from "./detector_signal.ts";
import { pageWorthyFailure } from "./page_worthy_failures.ts";

/** Judges one event (see module doc); `undefined` when it is not severe. */
export function detectSeverity(input: DetectorInput): DetectorSignal | undefined {
  const failure = pageWorthyFailure(input.event.content);
  const severeLevel = (input.level === "fatal" || input.level === "critical") &&
    !input.event.flags.includes("level_inferred");
  if (failure === undefined && !severeLevel) return undefined;
  const reasons: string[] = [];
  if (failure !== undefined) reasons.push(`page-worthy failure: ${failure}`);
  if (severeLevel) reasons.push(`level ${input.level}`);
  if (input.semantics && input.failureWord !== "") reasons.push(`failure wording ("${input.failureWord}")`);
  const critical = failure !== undefined || input.semantics;
  return {
    detector: "severity",
    severity: critical ? "CRITICAL_ANOMALY" : "ANOMALY",
    scope: templateScope(input.event.templateId),
    host: "*",
    evidence: critical ? 0.95 : 0.8,
    reasons,
  };
}
