/**
 * Handler tests: the app is called with `Request`s, no network. The hot tier is {@link MemoryHotTier}.
 */
import assert from "node:assert/strict";
import { createWebApp, type WebDeps } from "../../lib/web/create_web_app.tsx";
import { ROUTES } from "../../routes/_manifest.ts";
import { buildIslandBundle } from "../../lib/web/island_bundler.ts";
import { LiveHub } from "../../lib/web/live_hub.ts";
import { HotTierUnavailableError } from "../../lib/web/opensearch_query_service.ts";
import { makeEvent, makeIncident, MemoryHotTier } from "../../testing/memory_hot_tier.ts";
import { MemoryIncidentControl } from "./memory_incident_control.ts";
import { until } from "../../testing/until.ts";

const XSS_CONTENT = `<img src=x onerror=alert(1)></script><script>alert("pwned")</script>`;
const XSS_FIELD = `<script>alert("field")</script>`;
const bundle = buildIslandBundle({ minify: false });

function setup(overrides: Partial<WebDeps> = {}) {
  const hot = new MemoryHotTier([
    makeEvent({ id: "e0", ts: "2026-11-29T04:01:00Z", content: "disk ok", level: "info" }),
    makeEvent({
      id: "e1",
      ts: "2026-11-29T04:02:00Z",
      content: XSS_CONTENT,
      raw: XSS_CONTENT,
      template: XSS_CONTENT,
      host: "<b>h</b>",
      component: '"onmouseover=alert(1) x="',
      fields: { [XSS_FIELD]: XSS_CONTENT },
      reasons: [XSS_CONTENT],
      level: "error",
      classification: "CRITICAL_ANOMALY",
      score: 0.97,
      templateId: "tX",
    }),
  ]);
  hot.storedIncidents.push(
    makeIncident({
      templateId: "tX",
      severity: "CRITICAL_ANOMALY",
      title: XSS_CONTENT,
      template: XSS_CONTENT,
      host: "<b>h</b>",
      hosts: ["<b>h</b>"],
      component: '"onmouseover=alert(1) x="',
      reasons: [XSS_CONTENT],
      samples: [{
        eventId: "e1",
        ts: "2026-11-29T04:02:00Z",
        host: "<b>h</b>",
        lineNo: 2,
        content: XSS_CONTENT,
      }],
      firstTs: "2026-11-29T04:02:00.000Z",
      lastTs: "2026-11-29T04:02:00.000Z",
    }),
    makeIncident({ templateId: "t1", status: "resolved", lastTs: "2026-11-29T04:03:00.000Z" }),
  );
  const control = new MemoryIncidentControl(hot.storedIncidents, hot.now);
  const hub = new LiveHub();
  const web = createWebApp({
    routes: ROUTES,
    hot,
    incidentControl: control,
    live: hub,
    now: hot.now,
    bundle,
    heartbeatMs: 50,
    ...overrides,
  });
  const get = (path: string, init?: RequestInit) => web.fetch(new Request("http://vigil.test" + path, init));
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    web.fetch(
      new Request("http://vigil.test" + path, {
        method: "POST",
        headers: { "content-type": "application/json", origin: "http://vigil.test", ...headers },
        body: JSON.stringify(body),
      }),
    );
  return { hot, hub, web, get, post, control };
}

/** True when no executable form of the payload survived in the HTML. */
function assertInert(html: string) {
  assert.ok(!html.includes("<script>alert"), "raw <script> from log text");
  assert.ok(!html.includes("<img src=x"), "raw <img> from log text");
  // Attribute values are quoted with inner quotes escaped; outside them no handler attribute may appear.
  const outsideValues = html.replace(/"[^"]*"/g, '""');
  assert.ok(!/<[^>]+\sonerror=/i.test(outsideValues), "live onerror attribute");
  assert.ok(!/<[^>]+\sonmouseover=/i.test(outsideValues), "live onmouseover attribute");
  // Only our own module script tag may appear.
  assert.equal((html.match(/<script\b/g) ?? []).length, 1);
}

Deno.test("every page renders with the shell, island markers and a strict CSP", async () => {
  const { get } = setup();
  for (
    const path of [
      "/",
      "/events",
      "/events/vigil.events-0-0",
      "/anomalies",
      "/templates",
      "/pipeline",
      "/suppressions",
    ]
  ) {
    const res = await get(path);
    const html = await res.text();
    assert.equal(res.status, 200, path);
    assert.match(html, /^<!DOCTYPE html>/);
    assert.match(html, /<script type="module" src="\/_assets\/islands-[A-Z0-9]+\.js">/);
    const csp = res.headers.get("content-security-policy") ?? "";
    assert.match(csp, /script-src 'self'/);
    assert.ok(!csp.includes("unsafe-eval") && !/script-src[^;]*unsafe-inline/.test(csp));
    assert.equal(res.headers.get("x-content-type-options"), "nosniff");
  }
  const overview = await (await get("/")).text();
  assert.equal((overview.match(/data-island="RateChart"/g) ?? []).length, 2);
  assert.match(overview, /data-island="LiveKpis"/);
});

Deno.test("log text and field names with HTML/script render inert on every page", async () => {
  const { get } = setup();
  for (
    const path of [
      "/events?range=1h",
      "/events/vigil.events-0-1",
      "/anomalies",
      "/templates",
      "/",
      "/suppressions",
    ]
  ) {
    const html = await (await get(path)).text();
    assertInert(html);
  }
  const detail = await (await get("/events/vigil.events-0-1")).text();
  assert.ok(detail.includes("&lt;img src=x onerror=alert(1)>&lt;/script>"), "content shown literally");
  assert.ok(
    detail.includes("fields.&lt;script>alert(&quot;field&quot;)&lt;/script>"),
    "field name shown literally",
  );
  // Island props are JSON inside an attribute: quotes escaped, so the attribute cannot be closed early.
  const anomalies = await (await get("/anomalies")).text();
  const props = anomalies.match(/data-island="IncidentFeed" data-props="([^"]*)"/);
  assert.ok(props);
  const decoded = JSON.parse(
    props[1].replaceAll("&quot;", '"').replaceAll("&amp;", "&").replaceAll("&lt;", "<"),
  );
  assert.equal(decoded.initial[0].title, XSS_CONTENT);
  assert.equal(decoded.initial[0].samples[0].content, XSS_CONTENT);
  // The server-rendered card shows the text literally.
  assert.ok(
    anomalies.includes(`<h3 class="incident-title">&lt;img src=x onerror=alert(1)>`),
    "title as text",
  );
});

Deno.test("a huge message is clipped in tables and shown whole only on its own page", async () => {
  const huge = "A".repeat(1_000_000);
  const hot = new MemoryHotTier([
    makeEvent({ id: "big", ts: "2026-11-29T04:01:00Z", content: huge, raw: huge }),
  ]);
  const web = createWebApp({ routes: ROUTES, hot, live: new LiveHub(), now: hot.now, bundle });
  const list = await (await web.fetch(new Request("http://vigil.test/events"))).text();
  assert.ok(list.length < 20_000, `explorer page is ${list.length} bytes`);
  assert.match(list, /A{500}…/);
  const detail = await (await web.fetch(new Request("http://vigil.test/events/vigil.events-0-0"))).text();
  assert.ok(detail.includes(huge));
});

Deno.test("explorer filters narrow the results and the table links to each event", async () => {
  const { get } = setup();
  const all = await (await get("/api/events")).json();
  assert.equal(all.total, 2);
  const errors = await (await get("/api/events?level=error")).json();
  assert.equal(errors.total, 1);
  assert.equal(errors.hits[0].id, "e1");
  const html = await (await get("/events?classification=CRITICAL_ANOMALY")).text();
  assert.match(html, /data-total="1"/);
  assert.match(html, /href="\/events\/vigil\.events-0-1"/);
});

Deno.test("bad parameters answer 400 with a message naming the parameter", async () => {
  const { get } = setup();
  const api = await get("/api/events?level=loud&size=9999");
  assert.equal(api.status, 400);
  const body = await api.json();
  assert.match(body.error, /level: .*; size: /);
  const page = await get("/events?sort=%3Cscript%3E");
  assert.equal(page.status, 400);
  const html = await page.text();
  assert.match(html, /Invalid request/);
  assertInert(html);
  assert.equal((await get("/api/timeseries?splitBy=host")).status, 400);
  assert.equal((await get("/api/overview?range=custom")).status, 400);
  assert.equal((await get("/api/live?types=nope")).status, 400);
  assert.equal((await get("/events/" + "x".repeat(600))).status, 400);
  assert.equal((await get("/api/events/nope")).status, 404);
  assert.equal((await get("/no/such/page")).status, 404);
});

Deno.test("hot tier down: pages degrade with a banner, APIs answer 503", async () => {
  const { hot, get } = setup();
  hot.failWith = new HotTierUnavailableError("The hot tier at http://x did not answer: connection refused");
  const res = await get("/");
  assert.equal(res.status, 200);
  assert.match(await res.text(), /Hot tier unavailable/);
  const api = await get("/api/events");
  assert.equal(api.status, 503);
  assert.match((await api.json()).error, /did not answer/);
});

Deno.test("CSRF: cross-origin, cross-site and non-JSON POSTs are refused", async () => {
  const { post, hot, control } = setup();
  const url = `/api/incidents/${hot.storedIncidents[0].id}/actions`;
  const body = { action: "resolve" };
  assert.equal((await post(url, body, { origin: "http://evil.test" })).status, 403);
  assert.equal((await post(url, body, { "sec-fetch-site": "cross-site" })).status, 403);
  assert.equal((await post(url, body, { "content-type": "text/plain" })).status, 403);
  assert.equal((await post(url, "{", {})).status, 400);
  assert.equal(control.calls.length, 0);
});

Deno.test("access token: required everywhere when configured; the query form sets a cookie", async () => {
  const token = "0123456789abcdef-token";
  const { get } = setup({ accessToken: token });
  assert.equal((await get("/")).status, 401);
  assert.equal(
    (await get("/api/events", { headers: { authorization: "Bearer wrong-token-000000" } })).status,
    401,
  );
  assert.equal((await get("/api/events", { headers: { authorization: `Bearer ${token}` } })).status, 200);
  const login = await get(`/events?level=error&access_token=${token}`);
  assert.equal(login.status, 303);
  assert.equal(login.headers.get("location"), "/events?level=error");
  const cookie = login.headers.get("set-cookie") ?? "";
  assert.match(cookie, /vigil_token=.*HttpOnly.*SameSite=Strict/i);
  assert.equal((await get("/", { headers: { cookie: cookie.split(";")[0] } })).status, 200);
  assert.throws(() => setup({ accessToken: "short" }), /at least 16 characters/);
});

Deno.test("the app serves the routes its caller gives it, and refuses to start without a route table", async () => {
  const only = {
    path: "/api/only",
    kind: "api" as const,
    module: { GET: () => Response.json({ only: true }) },
  };
  const web = createWebApp({ routes: [only], hot: new MemoryHotTier([]), live: new LiveHub(), bundle });
  const answer = await web.fetch(new Request("http://127.0.0.1/api/only"));
  assert.deepEqual(await answer.json(), { only: true });
  // The product's routes are not built in: without them in the table, /api/events is not served.
  const events = await web.fetch(new Request("http://127.0.0.1/api/events"));
  assert.equal(events.status, 404);
  await events.body?.cancel();
  assert.throws(
    () => createWebApp({ hot: new MemoryHotTier([]), live: new LiveHub() } as unknown as WebDeps),
    (err: unknown) => err instanceof TypeError && /deps.routes must be a route table/.test(err.message),
  );
});

Deno.test("assets are content-hashed and immutable; /metrics is Prometheus text", async () => {
  const { get, web } = setup();
  const b = await web.bundle();
  const js = await get(b.scriptUrl);
  assert.equal(js.status, 200);
  assert.match(js.headers.get("cache-control") ?? "", /immutable/);
  assert.match(js.headers.get("content-type") ?? "", /javascript/);
  await js.body?.cancel();
  assert.equal((await get("/_assets/islands-NOPE.js")).status, 404);
  const metrics = await (await get("/metrics")).text();
  assert.match(metrics, /vigil_web_requests_total\{route="\/_assets\/:file",status="200"\} 1/);
});

/**
 * Reads SSE frames until `count` non-comment frames and `minComments` comments (heartbeats) are seen; fails
 * when the stream ends or `deadlineMs` passes first.
 */
async function readFrames(
  res: Response,
  count: number,
  minComments = 0,
  deadlineMs = 10_000,
): Promise<{ frames: string[]; comments: number }> {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buf = "";
  const frames: string[] = [];
  let comments = 0;
  const timer = setTimeout(() => reader.cancel(), deadlineMs);
  try {
    while (frames.length < count || comments < minComments) {
      const { value, done } = await reader.read();
      if (done) {
        throw new Error(
          `SSE stream ended (or ${deadlineMs} ms passed) with ${frames.length}/${count} frames and ` +
            `${comments}/${minComments} comments: ${frames.join(" | ")}`,
        );
      }
      buf += value;
      let i;
      while ((i = buf.indexOf("\n\n")) >= 0) {
        const frame = buf.slice(0, i);
        buf = buf.slice(i + 2);
        if (frame.startsWith(":")) comments++;
        else frames.push(frame);
      }
    }
  } finally {
    clearTimeout(timer);
  }
  await reader.cancel();
  return { frames, comments };
}

Deno.test("SSE: headers, hello, ids, JSON data, heartbeats, incident frames, unsubscribe on disconnect", async () => {
  const { get, hub } = setup();
  const res = await get("/api/live");
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "text/event-stream");
  assert.equal(res.headers.get("cache-control"), "no-cache");
  // Wait until the stream subscribed, then publish.
  await until(() => hub.stats().subscribers > 0, { what: "the SSE stream to subscribe" });
  const base = {
    eventId: "x",
    ts: "2026-11-29T04:00:00Z",
    host: "h",
    component: "c",
    level: "error" as const,
  };
  const alert = {
    ...base,
    type: "alert" as const,
    classification: "ANOMALY" as const,
    score: 0.8,
    reasons: ["r\nwith newline"],
    content: "line1\nline2 </script>",
    templateId: "t",
    template: "t",
    modelVersion: "m",
  };
  const published = hub.publish(alert);
  hub.publish({ type: "tick", t: 1, total: 0, byClassification: {}, byLevel: {} });
  const incident = makeIncident({ templateId: "live", title: "</script><script>alert(1)</script>" });
  const incidentFrame = hub.publish({ type: "incident", incident });
  // Reading goes on until a heartbeat comment (every 50 ms) came too.
  const { frames, comments } = await readFrames(res, 4, 1);
  assert.ok(comments >= 1, "heartbeat comments were sent");
  assert.match(frames[0], /^event: hello\ndata: \{"heartbeatMs":50\}\nretry: 2000$/);
  assert.equal(
    frames[1],
    `event: alert\ndata: ${JSON.stringify({ ...alert, id: published.id })}\nid: ${published.id}`,
  );
  assert.match(frames[2], /^event: tick\n/);
  assert.equal(
    frames[3],
    `event: incident\ndata: ${
      JSON.stringify({ type: "incident", incident, id: incidentFrame.id })
    }\nid: ${incidentFrame.id}`,
  );
  // The client went away: the server must unsubscribe.
  await until(() => hub.stats().subscribers === 0, { what: "the hub to drop the disconnected subscriber" });
});

Deno.test("SSE: Last-Event-ID replays missed frames; a slow client gets a dropped notice", async () => {
  const { get, hub } = setup({ sseClientCapacity: 2 });
  const first = hub.publish({ type: "tick", t: 1, total: 1, byClassification: {}, byLevel: {} });
  hub.publish({ type: "tick", t: 2, total: 2, byClassification: {}, byLevel: {} });
  const res = await get("/api/live?types=tick", { headers: { "last-event-id": first.id } });
  const { frames } = await readFrames(res, 2);
  assert.match(frames[1], /"t":2/);
  // Slow client: publish more than its queue holds before it reads.
  const slow = await get("/api/live?types=tick");
  await until(() => hub.stats().subscribers > 0, { what: "the slow client to subscribe" });
  for (let i = 0; i < 10; i++) {
    hub.publish({ type: "tick", t: 100 + i, total: 0, byClassification: {}, byLevel: {} });
  }
  const got = await readFrames(slow, 5); // hello, t=100 (in flight), dropped, t=108, t=109
  assert.ok(got.frames.some((f) => f.startsWith("event: dropped")), got.frames.join("\n---\n"));
  assert.ok(got.frames.some((f) => f.includes('"t":109')));
});

Deno.test("incident feed: cards ordered unresolved and most severe first, with sparkline, reasons, samples and an explorer link", async () => {
  const { get, hot } = setup();
  hot.storedIncidents.push(
    makeIncident({ templateId: "newer-anomaly", lastTs: "2026-11-29T04:04:00.000Z", spark: [1, 5, 9, 2] }),
  );
  const html = await (await get("/anomalies")).text();
  const order = [...html.matchAll(/data-incident-id="([^"]+)"/g)].map((m) => m[1]);
  const idOf = (t: string) => hot.storedIncidents.find((i) => i.templateId === t)!.id;
  // Open critical, then open anomaly, then the resolved one (in its own group).
  assert.deepEqual(order, [idOf("tX"), idOf("newer-anomaly"), idOf("t1")]);
  assert.match(html, /Resolved and muted/);
  assert.match(html, /<svg class="spark"[^>]*><polygon/);
  assert.match(html, /peak <b>8.0<\/b> vs baseline <b>0.5<\/b>/);
  assert.match(html, new RegExp(`href="/events\\?incidentId=${idOf("tX")}&amp;range=custom&amp;from=`));
  assert.match(html, /<ol class="reasons ranked">/);
});

Deno.test("incident actions: acknowledge and mute reach the engine; bad input 400, unknown 404, CSRF 403", async () => {
  const { post, hot, control } = setup();
  const id = hot.storedIncidents[0].id;
  const ack = await post(`/api/incidents/${id}/actions`, { action: "acknowledge" });
  assert.equal(ack.status, 200);
  assert.equal((await ack.json()).incident.status, "acknowledged");
  const mute = await post(`/api/incidents/${id}/actions`, {
    action: "mute",
    scope: "template_host",
    expiresInMs: 3_600_000,
  });
  assert.equal((await mute.json()).incident.status, "muted");
  assert.deepEqual(control.calls.map((c) => [c.action, c.scope, c.expiresInMs, c.by]), [
    ["acknowledge", undefined, undefined, "dashboard"],
    ["mute", "template_host", 3_600_000, "dashboard"],
  ]);
  assert.equal((await post(`/api/incidents/${id}/actions`, { action: "delete" })).status, 400);
  assert.equal((await post(`/api/incidents/${id}/actions`, { action: "mute", expiresInMs: -1 })).status, 400);
  assert.equal(
    (await post(`/api/incidents/${id}/actions`, { action: "mute", scope: "everything" })).status,
    400,
  );
  assert.equal((await post(`/api/incidents/inc-nope/actions`, { action: "resolve" })).status, 404);
  const cross = await post(`/api/incidents/${id}/actions`, { action: "resolve" }, {
    origin: "http://evil.test",
  });
  assert.equal(cross.status, 403);
  // Invalid and cross-site requests never reach the engine; the unknown id did (the engine said no).
  assert.deepEqual(control.calls.slice(2).map((c) => c.incidentId), ["inc-nope"]);
  // The page shows the engine's newer version over the hot tier's.
  const html = await (await setupPage(control, hot)).text();
  assert.match(html, new RegExp(`data-incident-id="${id}" data-status="muted"`));
});

async function setupPage(control: MemoryIncidentControl, hot: MemoryHotTier) {
  const web = createWebApp({
    routes: ROUTES,
    hot,
    live: new LiveHub(),
    now: hot.now,
    incidentControl: control,
    bundle,
  });
  return await web.fetch(new Request("http://vigil.test/anomalies"));
}

Deno.test("suppressions page lists scope, kind, who, when, expiry and silenced count; Undo removes one", async () => {
  const { post, get, hot, control } = setup();
  await post(`/api/incidents/${hot.storedIncidents[0].id}/actions`, { action: "not_a_problem" });
  control.addSuppression({
    id: "sup-old",
    kind: "mute",
    scope: "component",
    system: "test",
    component: "<i>c</i>",
    templateId: "",
    template: "",
    host: "",
    incidentId: "",
    createdTs: "2026-11-28T00:00:00.000Z",
    expiresTs: "2026-11-28T01:00:00.000Z",
    createdBy: "alice",
    silenced: 12_345,
  });
  const html = await (await get("/suppressions")).text();
  assertInert(html);
  assert.match(html, /data-suppression-id="sup-1"/);
  assert.match(html, /not a problem/);
  assert.match(html, /<tr data-suppression-id="sup-old" class="expired">/);
  assert.match(html, /component test\/&lt;i>c&lt;\/i>/);
  assert.match(html, /12.3k/);
  assert.match(html, />alice</);
  const undo = await post("/api/suppressions/sup-old/delete", {});
  assert.equal(undo.status, 200);
  assert.deepEqual(control.removed, [{ id: "sup-old", by: "dashboard" }]);
  assert.equal((await post("/api/suppressions/sup-old/delete", {})).status, 404);
  assert.equal(
    (await post("/api/suppressions/sup-1/delete", {}, { "sec-fetch-site": "cross-site" })).status,
    403,
  );
});

Deno.test("without an engine: incident actions and undo answer 503 with a clear message; buttons are disabled", async () => {
  const { post, get, hot } = setup({ incidentControl: undefined });
  const res = await post(`/api/incidents/${hot.storedIncidents[0].id}/actions`, { action: "acknowledge" });
  assert.equal(res.status, 503);
  assert.match((await res.json()).error, /need the engine.*deno task web/);
  assert.equal((await post("/api/suppressions/x/delete", {})).status, 503);
  const html = await (await get("/anomalies")).text();
  assert.match(html, /Actions are disabled/);
  assert.match(html, /<button type="button" class="btn-acknowledge" disabled/);
  assert.match(await (await get("/suppressions")).text(), /runs without one/);
});

Deno.test("overview: open incidents by severity replace the anomaly rate and link to the feed", async () => {
  const { get, hot } = setup();
  hot.storedIncidents.push(makeIncident({ templateId: "a2", lastTs: "2026-11-29T04:04:00.000Z" }));
  const html = await (await get("/?range=1h")).text();
  assert.doesNotMatch(html, /Anomaly rate/);
  const props = html.match(/data-island="LiveKpis" data-props="([^"]*)"/);
  assert.ok(props);
  const decoded = JSON.parse(props[1].replaceAll("&quot;", '"').replaceAll("&amp;", "&"));
  assert.deepEqual(decoded.openIncidents, { ANOMALY: 1, CRITICAL_ANOMALY: 1 }); // the resolved one is not open
  assert.equal(decoded.openIncidentIds.length, 2);
  assert.equal(decoded.live, true);
  assert.match(html, /<a href="\/anomalies" class="crit" data-kpi="open-critical">1<\/a>/);
  // A window that ended in the past does not follow live frames.
  const past = await (await get("/?range=custom&from=2026-11-28T06:00&to=2026-11-28T12:00")).text();
  assert.match(past, /&quot;live&quot;:false/);
});

Deno.test("an empty window offers the newest data's range; the picker takes absolute ranges in the URL", async () => {
  const { get } = setup();
  // The seeded events are at 04:01–04:02 on 2026-11-29; this window is a day earlier.
  for (
    const path of [
      "/?range=custom&from=2026-11-28T06:00&to=2026-11-28T12:00",
      "/events?range=custom&from=2026-11-28T06:00&to=2026-11-28T12:00&level=error",
      "/anomalies?range=custom&from=2026-11-28T06:00&to=2026-11-28T12:00",
    ]
  ) {
    const html = await (await get(path)).text();
    const link = html.match(/<a href="([^"]+)" data-newest-data="true">Newest data: ([^<]+)<\/a>/);
    assert.ok(link, path);
    const target = new URL(link[1].replaceAll("&amp;", "&"), "http://vigil.test");
    assert.equal(target.pathname, new URL(path, "http://vigil.test").pathname);
    assert.equal(target.searchParams.get("range"), "custom");
    assert.equal(target.searchParams.get("to"), "2026-11-29T04:03");
    assert.equal(target.searchParams.get("from"), "2026-11-28T22:03"); // same 6 h width
    // The absolute range (the picker's form; the explorer's own filter form) is prefilled with the window.
    assert.match(html, /name="from"[^>]*value="2026-11-28T06:00"/, path);
  }
  const feed = await (await get("/anomalies?range=custom&from=2026-11-28T06:00&to=2026-11-28T12:00")).text();
  assert.match(feed, /<form class="absolute-range active" method="get" action="\/anomalies">/);
  // A window holding data offers nothing.
  assert.doesNotMatch(await (await get("/?range=1h")).text(), /data-newest-data/);
});
