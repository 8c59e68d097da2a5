/**
 * Series colours, chosen for contrast on both the dark and light themes.
 *
 * @module
 */

/** Colour per classification. */
export const CLASS_COLORS: Record<string, string> = {
  NORMAL: "#4f8ff7",
  ANOMALY: "#f5a524",
  CRITICAL_ANOMALY: "#f2555a",
};

/** Colour per level. */
export const LEVEL_COLORS: Record<string, string> = {
  trace: "#6b7280",
  debug: "#8b93a7",
  info: "#4f8ff7",
  notice: "#22b8cf",
  warn: "#f5a524",
  error: "#fb7c3c",
  critical: "#f2555a",
  fatal: "#d946ef",
};

/** Series order for a split. */
export const SERIES_ORDER = {
  classification: ["NORMAL", "ANOMALY", "CRITICAL_ANOMALY"],
  level: ["trace", "debug", "info", "notice", "warn", "error", "critical", "fatal"],
} as const;
