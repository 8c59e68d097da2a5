/**
 * `GET /api/live?types=tick,alert,incident` — Server-Sent Events of live frames.
 *
 * Frames: `event: tick|alert|incident` with `id:` (for `Last-Event-ID` replay) and JSON data; `event: dropped` when this
 * client fell behind and lost frames (its queue is bounded); comment heartbeats; `event: error` on failure.
 *
 * Bounded: at most `sseMaxClients` streams at once (more get 503 with `Retry-After`), and a client whose write
 * waits longer than `sseWriteTimeoutMs` — it stopped reading and its socket is full — is dropped (counted), so a
 * stuck browser holds neither a slot nor a growing buffer.
 */
import { type SSEStreamingApi, streamSSE } from "hono/streaming";
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
  const { live, heartbeatMs, sseClientCapacity, sseSlots, sseWriteTimeoutMs, metrics } = ctx.deps;
  if (!sseSlots.tryAcquire()) {
    metrics.sseRefused.inc();
    return ctx.hono.json(
      { error: `Too many live streams open (${sseSlots.capacity}); retry later` },
      503,
      { "Retry-After": "10" },
    );
  }

  return streamSSE(ctx.hono, async (stream) => {
    const subscription = live.subscribe({ lastEventId, capacity: sseClientCapacity });
    const stop = new AbortController();
    // Fires when the client goes away (the response body is cancelled).
    stream.onAbort(() => stop.abort());
    metrics.sseClients.inc();
    let reportedDropped = 0;
    const send = async (write: (s: SSEStreamingApi) => Promise<unknown>) => {
      if (!(await writesWithin(stream, write, sseWriteTimeoutMs))) {
        metrics.sseStuckDropped.inc();
        stop.abort();
      }
    };
    try {
      await send((s) => s.writeSSE({ event: "hello", data: JSON.stringify({ heartbeatMs }), retry: 2000 }));
      while (!stop.signal.aborted) {
        // Wait for the next frame, or the heartbeat period, whichever comes first.
        const beat = new AbortController();
        const timer = setTimeout(() => beat.abort(), heartbeatMs);
        const frame = await subscription.next(AbortSignal.any([stop.signal, beat.signal]));
        clearTimeout(timer);
        if (stop.signal.aborted) break;
        if (frame === undefined) {
          await send((s) => s.write(": heartbeat\n\n"));
          continue;
        }
        if (subscription.dropped > reportedDropped) {
          metrics.sseDropped.inc(subscription.dropped - reportedDropped);
          reportedDropped = subscription.dropped;
          const data = JSON.stringify({ dropped: reportedDropped });
          await send((s) => s.writeSSE({ event: "dropped", data }));
        }
        if (!types.has(frame.type) || stop.signal.aborted) continue;
        await send((s) => s.writeSSE({ event: frame.type, id: frame.id, data: JSON.stringify(frame) }));
      }
    } finally {
      subscription.close();
      metrics.sseClients.dec();
      sseSlots.release();
    }
  }, (err) => {
    console.error("vigil web: live stream failed", err);
    return Promise.resolve();
  });
}

/**
 * Runs `write` on the stream, giving up after `timeoutMs`: then the stream is aborted (its pending write fails and
 * the response ends) and false is returned. A write waits only when the client's socket is full, so a timeout
 * means the client stopped reading.
 */
async function writesWithin(
  stream: SSEStreamingApi,
  write: (s: SSEStreamingApi) => Promise<unknown>,
  timeoutMs: number,
): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<false>((resolve) => timer = setTimeout(() => resolve(false), timeoutMs));
  try {
    const done = await Promise.race([write(stream).then(() => true as const), timedOut]);
    if (!done) stream.abort();
    return done;
  } finally {
    clearTimeout(timer);
  }
}
