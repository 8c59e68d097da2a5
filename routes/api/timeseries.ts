/**
 * `GET /api/timeseries?range=&splitBy=classification|level` — a histogram for the charts. Before the hot window
 * its buckets come from the archive (`timeSeriesWithArchive`); `archive` says so, or why that part is missing.
 */
import { z } from "zod";
import type { RouteContext } from "../../lib/web/route_module.ts";
import { timeSeriesWithArchive } from "../../lib/web/time_series_with_archive.ts";
import { parseWindowQuery } from "../../lib/web/window_query.ts";

/** Returns `{ window, splitBy, t, series, stepSec, archive? }`. */
export async function GET(ctx: RouteContext): Promise<Response> {
  const now = ctx.deps.now();
  const { window, params } = parseWindowQuery(ctx.url.searchParams, now, "15m", {
    splitBy: z.enum(["classification", "level"]).default("classification"),
  });
  const series = await timeSeriesWithArchive(ctx.deps.hot, window, params.splitBy, now, ctx.deps.archive);
  return ctx.hono.json({ window, splitBy: params.splitBy, ...series });
}
