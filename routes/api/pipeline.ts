/** `GET /api/pipeline` — the engine's metrics snapshot. */
import type { RouteContext } from "../../lib/web/route_module.ts";

/** Returns the `PipelineSnapshot`. */
export async function GET(ctx: RouteContext): Promise<Response> {
  return ctx.hono.json(await ctx.deps.pipeline.snapshot(), 200, { "Cache-Control": "no-store" });
}
