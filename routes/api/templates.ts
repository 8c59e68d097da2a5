/** `GET /api/templates?range=&size=&system=&source=` — top, newest and rarest templates with sparklines. */
import { z } from "zod";
import type { RouteContext } from "../../lib/web/route_module.ts";
import { parseWindowQuery } from "../../lib/web/window_query.ts";

/** Returns `{ window, top, newest, rarest }`. */
export async function GET(ctx: RouteContext): Promise<Response> {
  const { window, params } = parseWindowQuery(ctx.url.searchParams, ctx.deps.now(), "1h", {
    size: z.coerce.number().int().min(1).max(100).default(20),
    system: z.string().trim().max(128).optional().transform((s) => s || undefined),
    source: z.string().trim().max(4096).optional().transform((s) => s || undefined),
  });
  const filter = { system: params.system, source: params.source };
  return ctx.hono.json({ window, ...await ctx.deps.hot.templates(window, params.size, filter) });
}
