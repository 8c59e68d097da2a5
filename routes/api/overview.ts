/** `GET /api/overview?range=` — KPIs and distributions over a window. */
import type { RouteContext } from "../../lib/web/route_module.ts";
import { parseWindowQuery } from "../../lib/web/window_query.ts";
import { overviewWithArchive } from "../../lib/web/overview_with_archive.ts";

/**
 * Returns the window and its `OverviewStats`, with the archive's part added (and described in `stats.archive`)
 * when the window reaches before the hot window.
 */
export async function GET(ctx: RouteContext): Promise<Response> {
  const now = ctx.deps.now();
  const { window } = parseWindowQuery(ctx.url.searchParams, now, "15m");
  return ctx.hono.json({
    window,
    stats: await overviewWithArchive(ctx.deps.hot, window, now, ctx.deps.archive),
  });
}
