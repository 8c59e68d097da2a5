/**
 * Stateful line → event assembly for one source: attaches continuation lines (stack traces, wrapped messages)
 * to the event before them, skips empty lines (counted), and turns every other line into exactly one event.
 *
 * An event is returned once the next header line arrives (it may still gain continuation lines until then);
 * call {@link LineAssembler.flush} at end of input or when the source goes idle.
 * @module
 */
import type { EventFlag, LogEvent } from "../event/log_event.ts";
import type { LogFormat } from "./log_format.ts";
import { type LineContext, lineToEvent, type RawLineInput } from "./line_to_event.ts";
import { addFlag, DEFAULT_MAX_LINE_CHARS, sanitizeText } from "./sanitize_text.ts";

/**
 * Which lines that do not match the format count as continuations of the previous event:
 * - `indented`: lines starting with a space or TAB, and Java/Python trace lines (`Caused by:`, `... N more`,
 *   `Traceback`); other non-matching lines become `parse_error` events. The default.
 * - `unmatched`: every non-matching line (when there is a previous event).
 * - `none`: no line; every non-matching line is its own `parse_error` event.
 */
export type ContinuationRule = "indented" | "unmatched" | "none";

/** Options of {@link LineAssembler}. */
export interface LineAssemblerOptions {
  /** Which lines are continuations. Default `indented`. */
  continuation?: ContinuationRule;
  /** Longest multi-line event kept (raw, in UTF-16 code units); further lines are counted, cut, flagged `truncated`. Default 1 MiB. */
  maxEventChars?: number;
}

/** Counts kept by a {@link LineAssembler}. */
export interface LineAssemblerStats {
  /** Lines pushed. */
  lines: number;
  /** Empty or blank lines skipped. */
  empty: number;
  /** Lines attached to a previous event. */
  continuations: number;
  /** Events emitted. */
  events: number;
  /** Events with `parseError`. */
  parseErrors: number;
}

const NON_BLANK = /\S/;
const TRACE_LINE = /^(?:[ \t]|Caused by:|\.\.\. \d+ more|Traceback \(most recent)/;

/** Assembles the lines of one source into events (see module doc). */
export class LineAssembler {
  readonly #format: LogFormat;
  readonly #ctx: LineContext;
  readonly #rule: ContinuationRule;
  readonly #maxEventChars: number;
  #pending: LogEvent | undefined;
  readonly #stats: LineAssemblerStats = { lines: 0, empty: 0, continuations: 0, events: 0, parseErrors: 0 };

  /**
   * @param format the compiled line format.
   * @param ctx source, host and system of the lines.
   * @param options continuation rule and size limit.
   * @throws {RangeError} on an unknown rule or a non-positive `maxEventChars`.
   */
  constructor(format: LogFormat, ctx: LineContext, options: LineAssemblerOptions = {}) {
    const rule = options.continuation ?? "indented";
    if (!["indented", "unmatched", "none"].includes(rule)) {
      throw new RangeError(
        `Cannot create LineAssembler as continuation must be indented, unmatched or none: current value is ${rule}`,
      );
    }
    const max = options.maxEventChars ?? 1 << 20;
    if (!Number.isInteger(max) || max <= 0) {
      throw new RangeError(
        `Cannot create LineAssembler as maxEventChars must be a positive integer: current value is ${max}`,
      );
    }
    this.#format = format;
    this.#ctx = ctx;
    this.#rule = rule;
    this.#maxEventChars = max;
  }

  /** Counts so far (a live view; do not mutate). */
  get stats(): Readonly<LineAssemblerStats> {
    return this.#stats;
  }

  /** Whether an event is held back waiting for possible continuation lines. */
  get hasPending(): boolean {
    return this.#pending !== undefined;
  }

  /**
   * Adds one line.
   * @param line the line.
   * @param ingestMs when it was read (ms since the epoch). Default now.
   * @returns events completed by this line (zero or one).
   */
  push(line: RawLineInput, ingestMs: number = Date.now()): LogEvent[] {
    this.#stats.lines++;
    const text = line.text;
    if (!NON_BLANK.test(text)) {
      this.#stats.empty++;
      return [];
    }
    const pending = this.#pending;
    if (pending !== undefined && this.#rule !== "none" && this.#isContinuationCandidate(text)) {
      if (this.#format.match(text) === null) {
        this.#attach(pending, line);
        return [];
      }
    }
    const event = lineToEvent(line, this.#format, this.#ctx, ingestMs);
    this.#pending = event;
    return pending === undefined ? [] : [this.#emit(pending)];
  }

  /** Returns the held-back event, if any (end of input, or the source went idle). */
  flush(): LogEvent[] {
    const pending = this.#pending;
    this.#pending = undefined;
    return pending === undefined ? [] : [this.#emit(pending)];
  }

  #isContinuationCandidate(text: string): boolean {
    return this.#rule === "unmatched" || TRACE_LINE.test(text);
  }

  #emit(event: LogEvent): LogEvent {
    this.#stats.events++;
    if (event.parseError !== undefined) this.#stats.parseErrors++;
    return event;
  }

  #attach(event: LogEvent, line: RawLineInput): void {
    this.#stats.continuations++;
    const flags: EventFlag[] = event.flags;
    addFlag(flags, "multiline");
    for (const f of line.flags ?? []) addFlag(flags, f);
    const room = this.#maxEventChars - event.raw.length - 1;
    if (room <= 0) {
      addFlag(flags, "truncated");
      return;
    }
    const lineFlags: EventFlag[] = [];
    const text = sanitizeText(
      line.text,
      lineFlags,
      Math.min(room, this.#ctx.maxLineChars ?? DEFAULT_MAX_LINE_CHARS),
    );
    for (const f of lineFlags) addFlag(flags, f);
    event.raw += "\n" + text;
    event.content += "\n" + text;
  }
}
