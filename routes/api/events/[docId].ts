/** `GET /api/events/:docId` — one event with its neighbours on the same host and "more like this". */
import { BadRequestError } from "../../../lib/web/event_query.ts";
import type { RouteContext } from "../../../lib/web/route_module.ts";

/** Validates a document id from the URL. */
export function checkDocId(docId: string): string {
  if (docId.length === 0 || docId.length > 512) {
    throw new BadRequestError([`docId: must be 1 to 512 characters: current length is ${docId.length}`]);
  }
  return docId;
}

/** Returns `{ event, neighbours, similar }` or 404. */
export async function GET(ctx: RouteContext): Promise<Response> {
  const docId = checkDocId(ctx.params.docId ?? "");
  const event = await ctx.deps.hot.getEvent(docId);
  if (!event) return ctx.hono.json({ error: `No event with id ${docId}` }, 404);
  const [neighbours, similar] = await Promise.all([
    ctx.deps.hot.neighbours(event, 10),
    ctx.deps.hot.moreLikeThis(event, 10),
  ]);
  return ctx.hono.json({ event, neighbours, similar });
}
