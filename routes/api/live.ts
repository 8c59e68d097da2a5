/**
 * `GET /api/live?types=tick,alert,incident` — Server-Sent Events of live frames.
 *
 * Frames: `event: tick|alert|incident` with `id:` (for `Last-Event-ID` replay) and JSON data; `event: dropped` when this
 * client fell behind and lost frames (its queue is bounded); comment heartbeats; `event: error` on failure.
 */
import { streamSSE } from "hono/streaming";
import { z } from "zod";
import { BadRequestError, describeIssues } from "../../lib/web/event_query.ts";
import type { RouteContext } from "../../lib/web/route_module.ts";

const TYPES = ["tick", "alert", "incident"] as const;
const LiveQuerySchema = z.strictObject({
  types: z.string().default("tick,alert,incident").transform((s) => s.split(",")).pipe(
    z.array(z.enum(TYPES)).min(1),
  ),
  lastEventId: z.string().max(64).optional(),
});

/** Opens the stream. */
export function GET(ctx: RouteContext): Response {
  const parsed = LiveQuerySchema.safeParse(Object.fromEntries(ctx.url.searchParams));
  if (!parsed.success) throw new BadRequestError(describeIssues(parsed.error), { cause: parsed.error });
  const types = new Set<string>(parsed.data.types);
  const lastEventId = ctx.req.headers.get("last-event-id")?.slice(0, 64) ?? parsed.data.lastEventId;
  const { live, heartbeatMs, sseClientCapacity, metrics } = ctx.deps;

  return streamSSE(ctx.hono, async (stream) => {
    const subscription = live.subscribe({ lastEventId, capacity: sseClientCapacity });
    const stop = new AbortController();
    // Fires when the client goes away (the response body is cancelled).
    stream.onAbort(() => stop.abort());
    metrics.sseClients.inc();
    let reportedDropped = 0;
    try {
      await stream.writeSSE({ event: "hello", data: JSON.stringify({ heartbeatMs }), retry: 2000 });
      while (!stop.signal.aborted) {
        // Wait for the next frame, or the heartbeat period, whichever comes first.
        const beat = new AbortController();
        const timer = setTimeout(() => beat.abort(), heartbeatMs);
        const frame = await subscription.next(AbortSignal.any([stop.signal, beat.signal]));
        clearTimeout(timer);
        if (stop.signal.aborted) break;
        if (frame === undefined) {
          await stream.write(": heartbeat\n\n");
          continue;
        }
        if (subscription.dropped > reportedDropped) {
          metrics.sseDropped.inc(subscription.dropped - reportedDropped);
          reportedDropped = subscription.dropped;
          await stream.writeSSE({ event: "dropped", data: JSON.stringify({ dropped: reportedDropped }) });
        }
        if (!types.has(frame.type)) continue;
        await stream.writeSSE({ event: frame.type, id: frame.id, data: JSON.stringify(frame) });
      }
    } finally {
      subscription.close();
      metrics.sseClients.dec();
    }
  }, (err) => {
    console.error("vigil web: live stream failed", err);
    return Promise.resolve();
  });
}
