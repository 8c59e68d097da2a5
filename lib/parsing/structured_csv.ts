/**
 * Loghub's structured CSV (`LineId`, each format field, `Content`, `EventId`, `EventTemplate`) from lines,
 * through exactly the parser actor's steps: {@link LineAssembler} → {@link mineEvent}. Templates are reported
 * as they stand after all lines (offline, as Loghub's tools do), so every line of a group shows the same id.
 * @module
 */
import type { LogFormat } from "./log_format.ts";
import { LineAssembler } from "./line_assembler.ts";
import type { LineContext, RawLineInput } from "./line_to_event.ts";
import { mineEvent } from "./mine_event.ts";
import { TemplateMiner } from "./template_miner.ts";
import { csvRecord } from "./csv.ts";
import type { LogEvent } from "../event/log_event.ts";

/** One output row before final templates are known. */
export interface CsvRow {
  lineNo: number;
  event: LogEvent;
  clusterId: number;
  /** Filled by {@link parseLinesToCsvRows} once all lines are mined. */
  eventId: string;
  template: string;
}

/** Collects mined rows line by line; {@link CsvRowCollector.finish} fills in the final templates. */
export class CsvRowCollector {
  readonly miner: TemplateMiner;
  readonly #assembler: LineAssembler;
  readonly #rows: CsvRow[] = [];
  readonly #ingestMs = Date.now();

  /**
   * @param format the line format.
   * @param ctx source and host.
   * @param miner the miner (default: a new one with default options).
   */
  constructor(format: LogFormat, ctx: LineContext, miner: TemplateMiner = new TemplateMiner()) {
    this.miner = miner;
    this.#assembler = new LineAssembler(format, ctx);
  }

  /** Counts of the underlying {@link LineAssembler}. */
  get stats() {
    return this.#assembler.stats;
  }

  /** Adds one line. */
  push(line: RawLineInput): void {
    this.#take(this.#assembler.push(line, this.#ingestMs));
  }

  /** Flushes the last event and returns all rows with their final template. */
  finish(): CsvRow[] {
    this.#take(this.#assembler.flush());
    for (const r of this.#rows) {
      const t = this.miner.clusterTemplate(r.clusterId);
      if (t === undefined) continue;
      r.eventId = t.templateId;
      r.template = t.template;
    }
    return this.#rows;
  }

  #take(events: LogEvent[]): void {
    for (const e of events) {
      const { clusterId, event } = mineEvent(this.miner, e);
      // The template at mining time stands when the cluster is evicted before the end (maxClusters).
      this.#rows.push({
        lineNo: e.lineNo,
        event: e,
        clusterId,
        eventId: event.templateId,
        template: event.template,
      });
    }
  }
}

/**
 * Parses and mines lines in one call (see {@link CsvRowCollector}).
 * @param lines raw lines (strings get 1-based line numbers in order).
 * @param format the line format.
 * @param ctx source and host.
 * @param miner the miner (default: a new one with default options).
 */
export function parseLinesToCsvRows(
  lines: Iterable<string | RawLineInput>,
  format: LogFormat,
  ctx: LineContext,
  miner: TemplateMiner = new TemplateMiner(),
): { rows: CsvRow[]; miner: TemplateMiner } {
  const collector = new CsvRowCollector(format, ctx, miner);
  let n = 0;
  for (const l of lines) {
    n++;
    collector.push(typeof l === "string" ? { text: l, lineNo: n } : l);
  }
  return { rows: collector.finish(), miner };
}

/** The CSV header for a format: `LineId`, its fields (Content last), `EventId`, `EventTemplate`. */
export function csvHeader(format: LogFormat): string[] {
  return ["LineId", ...format.fields.filter((f) => f !== "Content"), "Content", "EventId", "EventTemplate"];
}

/** One CSV record for a row (no line ending); a line that did not match has empty format fields. */
export function csvRow(format: LogFormat, row: CsvRow): string {
  const fields = format.fields.filter((f) => f !== "Content").map((f) => row.event.fields[f] ?? "");
  return csvRecord([String(row.lineNo), ...fields, row.event.content, row.eventId, row.template]);
}
