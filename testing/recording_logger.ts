/**
 * Test helper: an engine {@link Logger} that keeps every line, so a test can assert what an adapter reported
 * (and that a secret never appears in it).
 *
 * @module
 */
import type { Logger, LogLevel } from "../engine/logger.ts";

/** One logged line. */
export interface RecordedLine {
  level: LogLevel;
  msg: string;
  fields?: Record<string, unknown>;
}

/** A logger that records its lines, and those lines. */
export interface RecordingLogger extends Logger {
  /** Every line, oldest first. */
  readonly lines: RecordedLine[];
  /** The messages alone, oldest first (the same lines, without level and fields). */
  readonly messages: string[];
}

/**
 * A logger recording every line at every level.
 *
 * @example
 * ```ts
 * import { recordingLogger } from "./recording_logger.ts";
 * const logger = recordingLogger();
 * logger.warn("cluster failing", { attempt: 2 });
 * console.assert(logger.messages[0] === "cluster failing");
 * ```
 */
export function recordingLogger(): RecordingLogger {
  const lines: RecordedLine[] = [];
  const messages: string[] = [];
  const at = (level: LogLevel) => (msg: string, fields?: Record<string, unknown>) => {
    lines.push(fields === undefined ? { level, msg } : { level, msg, fields });
    messages.push(msg);
  };
  return {
    lines,
    messages,
    debug: at("debug"),
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
  };
}
