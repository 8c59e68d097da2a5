/** `POST /api/alerts/mute` `{ templateId, minutes }` — mutes a template's alerts for a period (0 unmutes). */
import { z } from "zod";
import { parseJsonBody } from "../../../lib/web/parse_json_body.ts";
import type { RouteContext } from "../../../lib/web/route_module.ts";

const MuteSchema = z.strictObject({
  templateId: z.string().min(1).max(256),
  /** 0 unmutes; at most 7 days. */
  minutes: z.number().int().min(0).max(7 * 24 * 60),
});

/** Returns `{ ok, templateId, until }` (`until` null when unmuted). */
export async function POST(ctx: RouteContext): Promise<Response> {
  const { templateId, minutes } = await parseJsonBody(ctx.req, MuteSchema);
  if (minutes === 0) {
    ctx.deps.alerts.unmute(templateId);
    return ctx.hono.json({ ok: true, templateId, until: null });
  }
  const until = new Date(ctx.deps.now().getTime() + minutes * 60_000);
  ctx.deps.alerts.mute(templateId, until);
  return ctx.hono.json({ ok: true, templateId, until: until.toISOString() });
}
