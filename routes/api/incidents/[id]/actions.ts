/**
 * `POST /api/incidents/:id/actions` `{ action, scope?, expiresInMs?, by? }` — an operator's action on an
 * incident (acknowledge, resolve, reopen, mute, not a problem, real problem), applied by the engine's incident
 * tracker. Same-origin JSON only (CSRF guard) and behind the access token like every route.
 */
import { z } from "zod";
import { INCIDENT_ACTIONS } from "../../../../lib/incidents/incident_control.ts";
import { SUPPRESSION_SCOPES } from "../../../../lib/incidents/suppression.ts";
import { BadRequestError } from "../../../../lib/web/event_query.ts";
import { parseJsonBody } from "../../../../lib/web/parse_json_body.ts";
import type { RouteContext } from "../../../../lib/web/route_module.ts";
import { suppressionsByIncident } from "../../../../lib/web/incident_suppressions.ts";

/** Longest mute / not-a-problem the dashboard offers: 90 days. */
const MAX_EXPIRY_MS = 90 * 86_400_000;

const ActionSchema = z.strictObject({
  action: z.enum(INCIDENT_ACTIONS),
  scope: z.enum(SUPPRESSION_SCOPES).optional(),
  expiresInMs: z.number().int().min(60_000).max(MAX_EXPIRY_MS).optional(),
  /** Who acted, as shown on the incident and the suppressions page. */
  by: z.string().trim().min(1).max(128).default("dashboard"),
});

/** The message both action APIs answer with when no engine is wired into this web server. */
export const NO_CONTROL_MESSAGE =
  "Incident actions need the engine: this web server runs without one (deno task web). Use deno task start, " +
  "or act where the engine's dashboard runs.";

/**
 * Returns `{ ok, incident, suppression? }` (`suppression`: the one in force for the incident after the action, e.g.
 * a mute with its expiry); 503 without an engine; 404 for an incident the engine does not hold.
 */
export async function POST(ctx: RouteContext): Promise<Response> {
  const id = ctx.params.id ?? "";
  if (id.length === 0 || id.length > 256) throw new BadRequestError(["id: must be 1 to 256 characters"]);
  const body = await parseJsonBody(ctx.req, ActionSchema);
  const control = ctx.deps.incidentControl;
  if (!control) return ctx.hono.json({ error: NO_CONTROL_MESSAGE }, 503);
  let incident;
  try {
    incident = await control.act({
      incidentId: id,
      action: body.action,
      scope: body.scope,
      expiresInMs: body.expiresInMs,
      by: body.by,
    });
  } catch (err) {
    if (err instanceof RangeError) throw new BadRequestError([err.message], { cause: err });
    throw err;
  }
  if (!incident) {
    return ctx.hono.json({ error: `No incident ${id} is held by the engine (resolved long ago?)` }, 404);
  }
  const suppression = suppressionsByIncident(control.suppressions(), ctx.deps.now().getTime())[incident.id];
  return ctx.hono.json({ ok: true, incident, ...(suppression ? { suppression } : {}) });
}
