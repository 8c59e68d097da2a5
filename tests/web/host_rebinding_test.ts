/** The dashboard app refuses DNS-rebound requests when it runs without an access token. */
import assert from "node:assert/strict";
import { createWebApp } from "../../lib/web/create_web_app.tsx";
import { ROUTES } from "../../routes/_manifest.ts";
import { LiveHub } from "../../lib/web/live_hub.ts";
import { MemoryHotTier } from "../../testing/memory_hot_tier.ts";

Deno.test("web app on loopback without a token: Host evil.example gets 421 on pages, APIs and /metrics", async () => {
  const web = createWebApp({
    routes: ROUTES,
    hot: new MemoryHotTier([]),
    live: new LiveHub(),
    listenHost: "127.0.0.1",
  });
  for (const path of ["/healthz", "/metrics", "/api/incidents"]) {
    assert.equal((await web.fetch(new Request(`http://evil.example:8080${path}`))).status, 421, path);
  }
  const post = await web.fetch(
    new Request("http://evil.example:8080/api/incidents/x/actions", {
      method: "POST",
      headers: { "content-type": "application/json", origin: "http://evil.example:8080" },
      body: "{}",
    }),
  );
  assert.equal(post.status, 421);
  assert.equal((await web.fetch(new Request("http://127.0.0.1:8080/healthz"))).status, 200);
  assert.equal((await web.fetch(new Request("http://localhost:8080/healthz"))).status, 200);
});
