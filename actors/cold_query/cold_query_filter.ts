/**
 * What a cold-tier query asks for, and the checks every reader applies: the time range (`from` inclusive,
 * `to` exclusive, on the event's `ts`), levels, an exact component and a case-insensitive substring of the
 * message (pure).
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

/** The columns a row check needs (`content` only with a text filter). */
export function filterColumns(filter: ColdQueryFilter): string[] {
  return filter.text === undefined ? ["ts", "level", "component"] : ["ts", "level", "component", "content"];
}

/** True when a decoded row (`ts` a Date, as hyparquet returns it) passes every filter. */
export function rowMatches(
  row: { ts: Date; level: string; component: string; content?: string },
  filter: ColdQueryFilter,
  needle: string | undefined = filter.text?.toLowerCase(),
): boolean {
  const t = row.ts.getTime();
  return t >= filter.from.getTime() && t < filter.to.getTime() &&
    (filter.levels === undefined || filter.levels.includes(row.level)) &&
    (filter.component === undefined || row.component === filter.component) &&
    (needle === undefined || (row.content ?? "").toLowerCase().includes(needle));
}
