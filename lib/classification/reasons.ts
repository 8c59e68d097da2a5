/**
 * Short, ranked, human-readable reasons for a classification. For a linear model the ranking is exact: each
 * feature's contribution to the logit (`coefficient × value`) is summed per reason group and the groups that
 * pushed the score up most come first; the text of each group is written from the event's facts.
 *
 * @module
 */
import type { Classification } from "../event/log_event.ts";
import { LEXICON_GROUPS } from "./error_lexicon.ts";
import { FEATURE_NAMES } from "./feature_spec.ts";
import type { FeatureFacts } from "./features.ts";

type Group = "novelty" | "rate" | "componentRate" | "semantics" | "wording" | "format" | "other";
const GROUPS: Group[] = ["novelty", "rate", "componentRate", "semantics", "wording", "format", "other"];

function groupOf(name: string): Group {
  if (name.startsWith("tok_") || name.startsWith("comp_")) return "wording";
  if (name.startsWith("lex_") || name.startsWith("level_") && !name.includes("_x_")) {
    return "semantics";
  }
  if (name === "semantics" || name === "sem_x_level_error" || name === "sem_x_log_count") return "semantics";
  if (name === "component_rate_z") return "componentRate";
  if (["template_rate_z", "burst_share", "share_fast", "sem_x_burst", "rate_warm"].includes(name)) {
    return "rate";
  }
  if (name.startsWith("novel_") || name === "rarity" || name.includes("first") || name.includes("recent")) {
    return "novelty";
  }
  if (name === "parse_error" || name === "repaired") return "format";
  return "other";
}

const GROUP_INDEX: Int8Array = Int8Array.from(FEATURE_NAMES.map((n) => GROUPS.indexOf(groupOf(n))));
const MITIGATION = LEXICON_GROUPS.findIndex((g) => g.name === "mitigation");
const MIN_CONTRIBUTION = 0.25;
const MAX_REASONS = 3;
const LEVEL_TEXT: Record<string, string> = {
  trace: "Trace",
  debug: "Debug",
  info: "Info",
  notice: "Notice",
  warn: "Warning",
  error: "Error",
  critical: "Critical",
  fatal: "Fatal",
};

/** Coefficients in vector order (0 for features the model does not name). */
export function coefficientVector(
  coefficients: Record<string, number> | undefined,
): Float32Array | undefined {
  if (coefficients === undefined) return undefined;
  return Float32Array.from(FEATURE_NAMES.map((n) => coefficients[n] ?? 0));
}

/** Short template label for reasons. */
const tpl = (id: string) => id.slice(0, 9);

function semanticsText(f: FeatureFacts): string {
  const words: string[] = [];
  for (let g = 0; g < f.lexicon.length && words.length < 2; g++) {
    const w = f.lexicon[g];
    if (w !== undefined && g !== MITIGATION && LEXICON_GROUPS[g].name !== "warning") words.push(`'${w}'`);
  }
  const level = `level ${LEVEL_TEXT[f.level] ?? f.level}`;
  return words.length > 0 ? `error semantics: ${words.join(", ")}, ${level}` : `severity: ${level}`;
}

function groupText(g: Group, f: FeatureFacts, component: string): string | undefined {
  switch (g) {
    case "novelty":
      if (f.count === 0) return "first occurrence of this template";
      return f.count < 10 ? `rare template: seen ${f.count}× before` : undefined;
    case "rate":
      if (f.templateRateZ >= 3) {
        return `rate of template ${tpl(f.templateId)} is ${f.templateRateZ.toFixed(0)}σ above baseline`;
      }
      return `template ${tpl(f.templateId)} is ${f.burstRatio.toFixed(0)}× its usual share of recent events`;
    case "componentRate":
      return `rate of component ${component.slice(0, 40) || "(none)"} is ${
        f.componentRateZ.toFixed(0)
      }σ above baseline`;
    case "semantics":
      return semanticsText(f);
    case "wording":
      return "wording resembles known failures";
    case "format":
      return "line does not match the log format";
    default:
      return "message shape (length, share of numbers)";
  }
}

/**
 * Writes the reasons of one event.
 * @param classification the final label.
 * @param facts the event's facts.
 * @param component the event's component.
 * @param coef model coefficients in vector order, or undefined (facts-only ranking).
 * @param x the feature vector, at `offset`.
 * @param feedback what operator feedback did (override label and votes, score change).
 */
export function buildReasons(
  classification: Classification,
  facts: FeatureFacts,
  component: string,
  coef: Float32Array | undefined,
  x: Float32Array,
  offset: number,
  feedback: { override?: Classification; votes?: number; reason?: string; delta: number },
): string[] {
  const reasons: string[] = [];
  if (feedback.override !== undefined && feedback.reason !== undefined) reasons.push(feedback.reason);
  else if (feedback.override !== undefined) {
    reasons.push(
      `operator labelled this template ${feedback.override} (${feedback.votes} label${
        feedback.votes === 1 ? "" : "s"
      })`,
    );
  } else if (Math.abs(feedback.delta) >= 0.1) {
    const why = feedback.reason === undefined ? "" : ` (${feedback.reason})`;
    reasons.push(
      `operator feedback moved the score ${feedback.delta > 0 ? "up" : "down"} by ${
        Math.abs(feedback.delta).toFixed(2)
      }${why}`,
    );
  }
  if (classification === "NORMAL") {
    if (reasons.length === 0) {
      reasons.push(
        facts.count === 0
          ? "new template without error semantics"
          : `recurring template (seen ${facts.count}×)`,
      );
    }
    const m = facts.lexicon[MITIGATION];
    if (m !== undefined) reasons.push(`mitigation: '${m}'`);
    return reasons;
  }
  const sums = new Float64Array(GROUPS.length);
  if (coef !== undefined) {
    for (let i = 0; i < coef.length; i++) sums[GROUP_INDEX[i]] += coef[i] * x[offset + i];
  } else {
    sums[0] = facts.count < 5 ? 1 : 0;
    sums[1] = Math.max(facts.templateRateZ, facts.burstRatio) / 3;
    sums[3] = facts.lexicon.some((w) => w !== undefined) ? 2 : 0;
  }
  const order = [...sums.keys()].filter((g) => sums[g] >= MIN_CONTRIBUTION).sort((a, b) => sums[b] - sums[a]);
  for (const g of order) {
    if (reasons.length >= MAX_REASONS) break;
    const text = groupText(GROUPS[g], facts, component);
    if (text !== undefined) reasons.push(text);
  }
  if (reasons.length === 0) reasons.push(semanticsText(facts));
  return reasons;
}
