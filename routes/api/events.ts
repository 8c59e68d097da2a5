/** `GET /api/events?…` — explorer search (parameters: see `EventQuerySchema`). */
import { parseEventQuery } from "../../lib/web/event_query.ts";
import type { RouteContext } from "../../lib/web/route_module.ts";

/** Returns `{ query, total, tookMs, hits }`. */
export async function GET(ctx: RouteContext): Promise<Response> {
  const query = parseEventQuery(ctx.url.searchParams);
  const page = await ctx.deps.hot.searchEvents(query);
  return ctx.hono.json({ query, ...page });
}
