/** `GET /api/timeseries?range=&splitBy=classification|level` — a histogram for the charts. */
import { z } from "zod";
import type { RouteContext } from "../../lib/web/route_module.ts";
import { parseWindowQuery } from "../../lib/web/window_query.ts";

/** Returns `{ window, splitBy, t, series, stepSec }`. */
export async function GET(ctx: RouteContext): Promise<Response> {
  const { window, params } = parseWindowQuery(ctx.url.searchParams, ctx.deps.now(), "15m", {
    splitBy: z.enum(["classification", "level"]).default("classification"),
  });
  const series = await ctx.deps.hot.timeSeries(window, params.splitBy);
  return ctx.hono.json({ window, splitBy: params.splitBy, ...series });
}
