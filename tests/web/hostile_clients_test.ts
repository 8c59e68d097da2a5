/**
 * The dashboard against hostile or broken clients, over real HTTP (Deno.serve on a free loopback port): the
 * per-client POST rate limit, the body-size limit of every POST route, the SSE connection cap, and a client that
 * stops reading its SSE stream.
 */
import assert from "node:assert/strict";
import { createWebApp, type WebDeps } from "../../lib/web/create_web_app.tsx";
import { LiveHub } from "../../lib/web/live_hub.ts";
import { ROUTES } from "../../routes/_manifest.ts";
import { until } from "../../testing/until.ts";
import { makeIncident, MemoryHotTier } from "../../testing/memory_hot_tier.ts";
import { MemoryIncidentControl } from "./memory_incident_control.ts";

function serve(overrides: Partial<WebDeps> = {}) {
  const hot = new MemoryHotTier([]);
  hot.storedIncidents.push(makeIncident({ templateId: "t1" }));
  const hub = new LiveHub();
  const web = createWebApp({
    routes: ROUTES,
    hot,
    live: hub,
    now: hot.now,
    incidentControl: new MemoryIncidentControl(hot.storedIncidents, hot.now),
    listenHost: "127.0.0.1",
    heartbeatMs: 60_000,
    ...overrides,
  });
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, web.fetch);
  const base = `http://127.0.0.1:${server.addr.port}`;
  const post = (path: string, body: BodyInit, headers: Record<string, string> = {}) =>
    fetch(base + path, {
      method: "POST",
      headers: { "content-type": "application/json", origin: base, ...headers },
      body,
    });
  /** One sample of a metric from `/metrics` (0 when absent). */
  const metric = async (name: string): Promise<number> => {
    const text = await (await fetch(`${base}/metrics`)).text();
    const line = text.split("\n").find((l) => l.startsWith(name + " "));
    return line === undefined ? 0 : Number(line.slice(name.length + 1));
  };
  return { hub, web, server, base, post, metric };
}

Deno.test("POSTs past a client's burst get 429 with Retry-After; reads are not limited; the bucket refills", async () => {
  let nowMs = 0;
  const { server, base, post, metric } = serve({
    postRateLimit: { burst: 3, perSecond: 0.5, now: () => nowMs },
  });
  try {
    for (let i = 0; i < 3; i++) {
      const res = await post("/api/suppressions/none/delete", "{}");
      assert.equal(res.status, 404, "within the burst the route answers");
      await res.body?.cancel();
    }
    const limited = await post("/api/suppressions/none/delete", "{}");
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get("retry-after"), "2", "one request per 2 s");
    assert.match((await limited.json()).error, /Too many requests from 127\.0\.0\.1/);
    const read = await fetch(`${base}/healthz`);
    assert.equal(read.status, 200, "GETs are not limited");
    await read.body?.cancel();
    assert.equal(await metric("vigil_web_rate_limited_total"), 1);
    nowMs += 2_000;
    const again = await post("/api/suppressions/none/delete", "{}");
    assert.equal(again.status, 404, "after Retry-After the client may post again");
    await again.body?.cancel();
  } finally {
    await server.shutdown();
  }
});

Deno.test("every POST route refuses a body past 16 KiB while reading it, declared or chunked", async () => {
  const { server, post } = serve();
  const postRoutes = ROUTES.filter((r) => r.kind === "api" && "POST" in r.module && r.module.POST);
  assert.ok(postRoutes.length >= 2, "the action and undo routes are found");
  try {
    for (const route of postRoutes) {
      const path = route.path.replace(/:(\w+)/g, "x");
      // Declared: refused from Content-Length.
      const declared = await post(path, JSON.stringify({ by: "a".repeat(20_000) }));
      assert.equal(declared.status, 400, `${path} (declared length)`);
      assert.match((await declared.json()).error, /at most 16384 bytes/);
      // Chunked, no length, and more than the limit behind it: refused once 16 KiB are read.
      let sent = 0;
      const endless = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent >= 4 * 1024 * 1024) return controller.close();
          sent += 8192;
          controller.enqueue(new Uint8Array(8192).fill(0x20));
        },
      });
      const chunked = await post(path, endless);
      assert.equal(chunked.status, 400, `${path} (chunked)`);
      assert.match((await chunked.json()).error, /at most 16384 bytes/);
    }
  } finally {
    await server.shutdown();
  }
});

/** Opens a stream and reads up to its `hello` frame. */
async function openStream(
  base: string,
): Promise<{ res: Response; reader: ReadableStreamDefaultReader<string> }> {
  const res = await fetch(`${base}/api/live`);
  assert.equal(res.status, 200);
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes("event: hello")) {
    const { value, done } = await reader.read();
    if (done) throw new Error("stream ended before hello");
    text += value;
  }
  return { res, reader };
}

Deno.test("SSE: past sseMaxClients a stream is refused with 503 and Retry-After; a freed slot is usable", async () => {
  const { server, base, metric } = serve({ sseMaxClients: 2 });
  try {
    const a = await openStream(base);
    const b = await openStream(base);
    const refused = await fetch(`${base}/api/live`);
    assert.equal(refused.status, 503);
    assert.equal(refused.headers.get("retry-after"), "10");
    assert.match((await refused.json()).error, /Too many live streams open \(2\)/);
    assert.equal(await metric("vigil_web_sse_refused_total"), 1);
    await a.reader.cancel();
    await until(async () => await metric("vigil_web_sse_clients") === 1, {
      what: "the closed stream's slot",
      deadlineMs: 10_000,
      pollMs: 250,
    });
    const c = await openStream(base);
    await b.reader.cancel();
    await c.reader.cancel();
  } finally {
    await server.shutdown();
  }
});

Deno.test("SSE: a client that stops reading is dropped after the write timeout; the others keep streaming", async () => {
  const { server, base, hub, metric } = serve({
    sseMaxClients: 2,
    sseWriteTimeoutMs: 300,
    sseClientCapacity: 4,
  });
  const stuck = await Deno.connect({ hostname: "127.0.0.1", port: server.addr.port });
  let healthy: Awaited<ReturnType<typeof openStream>> | undefined;
  try {
    await stuck.write(new TextEncoder().encode("GET /api/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
    // Read the response head, then never read again.
    const head = new Uint8Array(4096);
    const n = await stuck.read(head);
    assert.match(new TextDecoder().decode(head.subarray(0, n ?? 0)), /^HTTP\/1\.1 200/);
    healthy = await openStream(base);
    const healthyReader = healthy.reader;
    await until(() => hub.stats().subscribers === 2, {
      what: "both streams subscribed",
      deadlineMs: 10_000,
      pollMs: 250,
    });
    // The healthy client keeps reading everything; the stuck one's socket fills up.
    let healthyFrames = 0;
    const reading = (async () => {
      while (true) {
        const { value, done } = await healthyReader.read();
        if (done) return;
        healthyFrames += value.split("event: alert").length - 1;
      }
    })();
    const alert = (i: number) => ({
      type: "alert" as const,
      eventId: `e${i}`,
      ts: "2026-11-29T04:00:00Z",
      host: "h",
      component: "c",
      level: "error" as const,
      classification: "ANOMALY" as const,
      score: 0.9,
      reasons: [],
      content: "x".repeat(64 * 1024),
      templateId: "t",
      template: "t",
      modelVersion: "m",
    });
    let published = 0;
    // Publish until the stuck client is dropped (its socket buffers hold a few MB at most).
    await until(async () => {
      for (let i = 0; i < 20; i++) hub.publish(alert(published++));
      return await metric("vigil_web_sse_stuck_clients_dropped_total") === 1;
    }, { what: "the stuck client to be dropped", deadlineMs: 60_000, pollMs: 250 });
    await until(async () => await metric("vigil_web_sse_clients") === 1, {
      what: "one stream left",
      deadlineMs: 10_000,
      pollMs: 250,
    });
    assert.ok(
      await metric("vigil_web_sse_dropped_frames_total") > 0,
      "the stuck client's queue dropped frames",
    );
    // The healthy client still streams: a frame published now reaches it.
    const before = healthyFrames;
    await until(() => {
      hub.publish(alert(published++));
      return healthyFrames > before;
    }, { what: "the healthy client to receive a new frame", deadlineMs: 10_000, pollMs: 250 });
    // The stuck client's slot is free again.
    const next = await openStream(base);
    await next.reader.cancel();
    await healthyReader.cancel();
    await reading;
  } finally {
    // Streams still open would keep the graceful shutdown waiting (a failed assertion must not hang the run).
    stuck.close();
    await healthy?.reader.cancel().catch(() => {});
    await server.shutdown();
  }
});
