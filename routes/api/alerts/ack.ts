/** `POST /api/alerts/ack` `{ eventId }` — acknowledges an alert. */
import { z } from "zod";
import { parseJsonBody } from "../../../lib/web/parse_json_body.ts";
import type { RouteContext } from "../../../lib/web/route_module.ts";

const AckSchema = z.strictObject({ eventId: z.string().min(1).max(256) });

/** Returns `{ ok, eventId }`. */
export async function POST(ctx: RouteContext): Promise<Response> {
  const { eventId } = await parseJsonBody(ctx.req, AckSchema);
  ctx.deps.alerts.acknowledge(eventId);
  return ctx.hono.json({ ok: true, eventId });
}
