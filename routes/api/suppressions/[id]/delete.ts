/**
 * `POST /api/suppressions/:id/delete` `{ by? }` — removes a suppression (the Undo of a mute or "not a
 * problem"). A POST, not a DELETE, so that the CSRF guard's same-origin JSON rule covers it like every write.
 */
import { z } from "zod";
import { BadRequestError } from "../../../../lib/web/event_query.ts";
import { parseJsonBody } from "../../../../lib/web/parse_json_body.ts";
import type { RouteContext } from "../../../../lib/web/route_module.ts";
import { NO_CONTROL_MESSAGE } from "../../incidents/[id]/actions.ts";

const UndoSchema = z.strictObject({ by: z.string().trim().min(1).max(128).default("dashboard") });

/** Returns `{ ok, id }`; 503 without an engine; 404 for an unknown suppression. */
export async function POST(ctx: RouteContext): Promise<Response> {
  const id = ctx.params.id ?? "";
  if (id.length === 0 || id.length > 256) throw new BadRequestError(["id: must be 1 to 256 characters"]);
  const { by } = await parseJsonBody(ctx.req, UndoSchema);
  const control = ctx.deps.incidentControl;
  if (!control) return ctx.hono.json({ error: NO_CONTROL_MESSAGE }, 503);
  if (!(await control.removeSuppression(id, by))) {
    return ctx.hono.json({ error: `No suppression ${id}` }, 404);
  }
  return ctx.hono.json({ ok: true, id });
}
