/**
 * Ground-truth labels of synthetic logs: what each line *is*, so detectors can be trained and scored.
 *
 * ## Label file (`<name>.labels.csv`)
 * CSV with a header, one row per generated line, in line order:
 * ```
 * LineId,Label,Kind,Episode,Component,TemplateKey
 * 1,NORMAL,none,0,CBS,cbs.loaded_stack
 * 812,ANOMALY,error_burst,3,CBS,cbs.err_exec_failed
 * ```
 * - `LineId`: 1-based line number in the generated stream; equals the event's `lineNo` on Kafka.
 * - `Label`: what an event-level detector should output for this line —
 *   - `NORMAL`: ordinary traffic, *including* the benign warnings and failures real servicing logs are full of
 *     (SQM upload failures, manifest attribute warnings, an isolated `STATUS_OBJECT_NAME_NOT_FOUND`...);
 *   - `ANOMALY`: the line is part of an injected abnormal episode that is visible from the stream itself:
 *     a line of an `error_burst` (a known failure template repeated at a high rate), or any line emitted
 *     during a `rate_spike` (normal content, abnormal volume: a *contextual* anomaly);
 *   - `CRITICAL_ANOMALY`: a `novel_failure` line — a failure template that never occurs in normal traffic
 *     (component store corruption, disk full during commit, TrustedInstaller crash, boot-critical failure...).
 * - `Kind`: `none`, `error_burst`, `novel_failure`, `rate_spike`, or `silent_component`.
 * - `Episode`: 1-based id of the injected episode the line belongs to (0 = none). Normal lines that happen to be
 *   emitted *during* an `error_burst` or a `silent_component` episode carry the episode id but keep
 *   `Label=NORMAL` / `Kind=none`: their content is ordinary.
 * - `Component`, `TemplateKey`: the generator's own template identity (ground truth for template mining too).
 *
 * A `silent_component` episode produces **no** lines (the component stops logging), so it labels no line as
 * anomalous; it is described in the episode file, and the lines emitted meanwhile carry its episode id.
 *
 * ## Episode file (`<name>.episodes.json`)
 * A JSON array of {@link EpisodeRecord}: kind, label, first/last line, start/end time, and kind-specific
 * details (`component` for silences, `factor` for spikes, `templates` for bursts and novel failures).
 *
 * @module
 */
import type { Classification } from "../event/log_event.ts";

/** Kinds of injected anomalies. */
export const ANOMALY_KINDS = ["error_burst", "novel_failure", "rate_spike", "silent_component"] as const;
/** A kind of injected anomaly. */
export type AnomalyKind = typeof ANOMALY_KINDS[number];

/** The ground truth of one generated line. */
export interface LineLabel {
  lineNo: number;
  label: Classification;
  kind: AnomalyKind | "none";
  /** Episode id, 0 = none. */
  episode: number;
  component: string;
  templateKey: string;
}

/** One injected episode, as written to the episode file. */
export interface EpisodeRecord {
  id: number;
  kind: AnomalyKind;
  /** The label its anomalous lines carry (`NORMAL` for a silence, which has none). */
  label: Classification;
  /** First and last line emitted during the episode (inclusive); 0 when none was emitted yet. */
  firstLine: number;
  lastLine: number;
  /** Event-time span, ISO 8601 UTC. */
  start: string;
  end: string;
  /** The silenced component (silent_component). */
  component?: string;
  /** Rate multiplier (rate_spike, error_burst). */
  factor?: number;
  /** Template keys injected (error_burst, novel_failure). */
  templates?: string[];
}

/** The header line of a label file. */
export const LABEL_CSV_HEADER = "LineId,Label,Kind,Episode,Component,TemplateKey";

/** Formats one label row (no newline). Fields never contain commas or quotes. */
export function formatLabelRow(l: LineLabel): string {
  return `${l.lineNo},${l.label},${l.kind},${l.episode},${l.component},${l.templateKey}`;
}

/**
 * Parses a label file.
 *
 * @param text the CSV text
 * @throws {SyntaxError} naming the line when a row is malformed
 */
export function parseLabelCsv(text: string): LineLabel[] {
  const rows = text.split(/\r?\n/).filter((l) => l.length > 0);
  if (rows[0] !== LABEL_CSV_HEADER) throw new SyntaxError(`Label file header must be ${LABEL_CSV_HEADER}`);
  return rows.slice(1).map((row, i) => {
    const [lineNo, label, kind, episode, component, templateKey, ...rest] = row.split(",");
    if (rest.length > 0 || templateKey === undefined || !/^\d+$/.test(lineNo) || !/^\d+$/.test(episode)) {
      throw new SyntaxError(`Malformed label row at line ${i + 2}: ${row.slice(0, 200)}`);
    }
    if (label !== "NORMAL" && label !== "ANOMALY" && label !== "CRITICAL_ANOMALY") {
      throw new SyntaxError(`Unknown label ${label} at line ${i + 2}`);
    }
    return {
      lineNo: Number(lineNo),
      label,
      kind: kind as LineLabel["kind"],
      episode: Number(episode),
      component,
      templateKey,
    };
  });
}
