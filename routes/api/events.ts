/**
 * `GET /api/events?…` — explorer search (parameters: see `EventQuerySchema`). A range reaching before the hot
 * window is answered from both tiers (`searchEventsWithArchive`): archived rows carry `tier: "archive"`, and
 * `archive` says what the cold tier contributed, or why its part is missing.
 */
import { parseEventQuery } from "../../lib/web/event_query.ts";
import { searchEventsWithArchive } from "../../lib/web/search_with_archive.ts";
import type { RouteContext } from "../../lib/web/route_module.ts";

/** Returns `{ query, total, tookMs, hits, histogram, archive? }`. */
export async function GET(ctx: RouteContext): Promise<Response> {
  const query = parseEventQuery(ctx.url.searchParams);
  const page = await searchEventsWithArchive(ctx.deps.hot, query, ctx.deps.now(), ctx.deps.archive);
  return ctx.hono.json({ query, ...page });
}
