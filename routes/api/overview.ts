/** `GET /api/overview?range=` — KPIs and distributions over a window. */
import type { RouteContext } from "../../lib/web/route_module.ts";
import { parseWindowQuery } from "../../lib/web/window_query.ts";

/** Returns the window and its `OverviewStats`. */
export async function GET(ctx: RouteContext): Promise<Response> {
  const { window } = parseWindowQuery(ctx.url.searchParams, ctx.deps.now(), "15m");
  return ctx.hono.json({ window, stats: await ctx.deps.hot.overview(window) });
}
