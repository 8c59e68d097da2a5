/** `GET /api/alerts?range=&size=` — recent flagged events, with acknowledgement state and active mutes. */
import { z } from "zod";
import type { RouteContext } from "../../lib/web/route_module.ts";
import { parseWindowQuery } from "../../lib/web/window_query.ts";

/** Returns `{ window, alerts: [{ ...event, acknowledged, muted }], mutes }`. */
export async function GET(ctx: RouteContext): Promise<Response> {
  const { window, params } = parseWindowQuery(ctx.url.searchParams, ctx.deps.now(), "24h", {
    size: z.coerce.number().int().min(1).max(500).default(100),
  });
  const { alerts } = ctx.deps;
  const hits = await ctx.deps.hot.recentAlerts(window, params.size);
  return ctx.hono.json({
    window,
    alerts: hits.map((e) => ({
      ...e,
      acknowledged: alerts.isAcknowledged(e.id),
      muted: alerts.isMuted(e.templateId),
    })),
    mutes: alerts.mutes(),
  });
}
