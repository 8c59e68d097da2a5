/** `GET /api/templates?range=&size=&system=&source=` — top, newest and rarest templates with sparklines. */
import { z } from "zod";
import type { RouteContext } from "../../lib/web/route_module.ts";
import { parseWindowQuery } from "../../lib/web/window_query.ts";
import { templatesWithArchive } from "../../lib/web/templates_with_archive.ts";

/**
 * Returns `{ window, top, newest, rarest }`, with the archive's part added (and described in `archive`) when the
 * window reaches before the hot window.
 */
export async function GET(ctx: RouteContext): Promise<Response> {
  const now = ctx.deps.now();
  const { window, params } = parseWindowQuery(ctx.url.searchParams, now, "1h", {
    size: z.coerce.number().int().min(1).max(100).default(20),
    system: z.string().trim().max(128).optional().transform((s) => s || undefined),
    source: z.string().trim().max(4096).optional().transform((s) => s || undefined),
  });
  const filter = { system: params.system, source: params.source };
  const stats = await templatesWithArchive(ctx.deps.hot, window, params.size, filter, now, ctx.deps.archive);
  return ctx.hono.json({ window, ...stats });
}
