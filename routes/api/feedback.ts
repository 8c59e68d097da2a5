/**
 * `POST /api/feedback` — an operator's label on a flagged event, forwarded to the classifier's feedback sink.
 * When `docId` is given the stored event is authoritative for classification, score and model version.
 */
import { z } from "zod";
import { CLASSIFICATIONS } from "../../lib/event/log_event.ts";
import { parseJsonBody } from "../../lib/web/parse_json_body.ts";
import type { RouteContext } from "../../lib/web/route_module.ts";
import type { AlertFeedback } from "../../lib/web/web_deps.ts";

const FeedbackSchema = z.strictObject({
  label: z.enum(["false_positive", "confirmed"]),
  eventId: z.string().min(1).max(256),
  docId: z.string().min(1).max(512).optional(),
  templateId: z.string().max(256).default(""),
  classification: z.enum(CLASSIFICATIONS).default("ANOMALY"),
  score: z.number().min(0).max(1).default(0),
  modelVersion: z.string().max(128).default(""),
});

/** Returns `{ ok, feedback }`; 503 when no feedback sink is wired; 404 for an unknown docId. */
export async function POST(ctx: RouteContext): Promise<Response> {
  const body = await parseJsonBody(ctx.req, FeedbackSchema);
  const sink = ctx.deps.feedback;
  if (!sink) return ctx.hono.json({ error: "No feedback sink is configured in this web server" }, 503);
  let feedback: AlertFeedback = {
    eventId: body.eventId,
    docId: body.docId ?? "",
    templateId: body.templateId,
    label: body.label,
    classification: body.classification,
    score: body.score,
    modelVersion: body.modelVersion,
    at: ctx.deps.now().toISOString(),
  };
  if (body.docId) {
    const stored = await ctx.deps.hot.getEvent(body.docId);
    if (!stored) return ctx.hono.json({ error: `No event with id ${body.docId}` }, 404);
    feedback = {
      ...feedback,
      eventId: stored.id || body.eventId,
      templateId: stored.templateId,
      classification: stored.classification,
      score: stored.score,
      modelVersion: stored.modelVersion,
    };
  }
  await sink.record(feedback);
  return ctx.hono.json({ ok: true, feedback });
}
