/**
 * What a cold-tier query asks for, and the checks every reader applies: the time range (`from` inclusive,
 * `to` exclusive, on the event's `ts`), levels, classifications, an exact component, host, system, source or
 * template id, and a case-insensitive substring of the message (pure).
 *
 * `ts`, `level` and `component` prune row groups by their statistics and can prove a whole group matches;
 * `classification`, `host`, `system` and `templateId` only skip groups; `source` and the text are decided row
 * by row on their decoded columns (`row_group_pruning.ts`).
 *
 * @module
 */
import { LEVELS } from "../../lib/event/log_event.ts";

/** The filters of a cold-tier query. */
export interface ColdQueryFilter {
  /** First instant (inclusive), on the event's `ts`. */
  from: Date;
  /** End of the range (exclusive). */
  to: Date;
  /** Any of these levels; absent: every level. */
  levels?: readonly string[];
  /** Exactly this component; absent: every component. */
  component?: string;
  /** The message (`content`) contains this text, case-insensitively; absent: any message. */
  text?: string;
  /** Any of these classifications; absent: every classification. */
  classifications?: readonly string[];
  /** Exactly this host; absent: every host. */
  host?: string;
  /** Exactly this log system (`system`); absent: every system. */
  system?: string;
  /** Exactly this source (the file or stream); absent: every source. */
  source?: string;
  /** Exactly this template id; absent: every template. */
  templateId?: string;
}

/** The exact-match string filters checked row by row (no statistics prune them). */
export const EXACT_ROW_FIELDS = ["host", "system", "source", "templateId"] as const;

/** True when a filter names something only a row check can decide (a row group never matches whole by statistics). */
export function needsRowCheck(filter: ColdQueryFilter): boolean {
  return filter.text !== undefined || filter.classifications !== undefined ||
    EXACT_ROW_FIELDS.some((f) => filter[f] !== undefined);
}

/**
 * Checks a filter at the boundary.
 *
 * @throws {RangeError} when `to` is not after `from`, or a level is not one of {@link LEVELS}
 */
export function validateColdQueryFilter(filter: ColdQueryFilter): ColdQueryFilter {
  if (
    Number.isNaN(filter.from.getTime()) || Number.isNaN(filter.to.getTime()) || !(filter.to > filter.from)
  ) {
    throw new RangeError(
      `Cannot query the cold tier as --to must be after --from: current values are ${filter.from.toISOString?.()} and ${filter.to.toISOString?.()}`,
    );
  }
  for (const level of filter.levels ?? []) {
    if (!(LEVELS as readonly string[]).includes(level)) {
      throw new RangeError(
        `Cannot query the cold tier as a level must be one of ${
          LEVELS.join(", ")
        }: current value is ${level}`,
      );
    }
  }
  return filter;
}

/** The columns a row check needs (`content` only with a text filter, the others only when filtered on). */
export function filterColumns(filter: ColdQueryFilter): string[] {
  const columns = ["ts", "level", "component"];
  if (filter.text !== undefined) columns.push("content");
  if (filter.classifications !== undefined) columns.push("classification");
  for (const f of EXACT_ROW_FIELDS) if (filter[f] !== undefined) columns.push(f);
  return columns;
}

/** True when a decoded row (`ts` a Date, as hyparquet returns it) passes every filter. */
export function rowMatches(
  row: {
    ts: Date;
    level: string;
    component: string;
    content?: string;
    classification?: string;
    host?: string;
    system?: string;
    source?: string;
    templateId?: string;
  },
  filter: ColdQueryFilter,
  needle: string | undefined = filter.text?.toLowerCase(),
): boolean {
  const t = row.ts.getTime();
  return t >= filter.from.getTime() && t < filter.to.getTime() &&
    (filter.levels === undefined || filter.levels.includes(row.level)) &&
    (filter.component === undefined || row.component === filter.component) &&
    (filter.classifications === undefined || filter.classifications.includes(row.classification ?? "")) &&
    EXACT_ROW_FIELDS.every((f) => filter[f] === undefined || row[f] === filter[f]) &&
    (needle === undefined || (row.content ?? "").toLowerCase().includes(needle));
}
