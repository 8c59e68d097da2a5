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

/**
 * Parses and mines lines.
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
  const assembler = new LineAssembler(format, ctx);
  const rows: CsvRow[] = [];
  const take = (events: LogEvent[]) => {
    for (const e of events) {
      const { clusterId } = mineEvent(miner, e);
      rows.push({ lineNo: e.lineNo, event: e, clusterId, eventId: "", template: "" });
    }
  };
  let n = 0;
  const ingest = Date.now();
  for (const l of lines) {
    n++;
    take(assembler.push(typeof l === "string" ? { text: l, lineNo: n } : l, ingest));
  }
  take(assembler.flush());
  for (const r of rows) {
    const t = miner.clusterTemplate(r.clusterId)!;
    r.eventId = t.templateId;
    r.template = t.template;
  }
  return { rows, miner };
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
