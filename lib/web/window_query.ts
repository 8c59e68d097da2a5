/**
 * Validated time-window parameters (`range`, `from`, `to`) for pages and APIs other than the explorer.
 *
 * @module
 */
import { z } from "zod";
import { BadRequestError, describeIssues, IsoInstantSchema } from "./event_query.ts";
import { RANGE_NAMES, type RangeName, resolveTimeWindow, type TimeWindow } from "./time_window.ts";

/** Schema of window parameters plus the extra keys a route allows. */
export function windowQuerySchema<E extends z.ZodRawShape>(defaultRange: RangeName, extra: E) {
  return z.strictObject({
    range: z.enum(RANGE_NAMES as [RangeName, ...RangeName[]]).default(defaultRange),
    from: IsoInstantSchema.optional(),
    to: IsoInstantSchema.optional(),
    ...extra,
  });
}

/**
 * Parses window parameters (and a route's extra keys) and resolves the window.
 *
 * @throws {BadRequestError} for invalid or unknown parameters, or a bad custom range
 */
export function parseWindowQuery<E extends z.ZodRawShape>(
  params: URLSearchParams,
  now: Date,
  defaultRange: RangeName,
  extra: E = {} as E,
): { window: TimeWindow; params: z.infer<ReturnType<typeof windowQuerySchema<E>>> } {
  const schema = windowQuerySchema(defaultRange, extra);
  const raw = Object.fromEntries([...params].filter(([, v]) => v !== ""));
  const result = schema.safeParse(raw);
  if (!result.success) throw new BadRequestError(describeIssues(result.error), { cause: result.error });
  const p = result.data as { range: RangeName; from?: string; to?: string };
  try {
    const window = resolveTimeWindow(p.range, now, {
      from: p.from ? new Date(p.from) : undefined,
      to: p.to ? new Date(p.to) : undefined,
    });
    return { window, params: result.data };
  } catch (err) {
    throw new BadRequestError([(err as Error).message], { cause: err });
  }
}
