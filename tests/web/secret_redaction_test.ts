/**
 * Secrets in the configuration never reach what the dashboard answers or prints: a hot-tier URL with a password
 * is redacted in 503 bodies, error pages and `deno task web`'s startup banner.
 */
import assert from "node:assert/strict";
import { createWebApp } from "../../lib/web/create_web_app.tsx";
import { ROUTES } from "../../routes/_manifest.ts";
import { LiveHub } from "../../lib/web/live_hub.ts";
import { OpenSearchQueryService } from "../../lib/web/opensearch_query_service.ts";

function freePort(): number {
  const probe = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = probe.addr.port;
  probe.close();
  return port;
}

Deno.test("hot tier down: the 503 body, the page banner and /metrics never show the URL's password", async () => {
  const hotUrl = `http://elastic:hunter2-secret@127.0.0.1:${freePort()}`;
  const web = createWebApp({
    routes: ROUTES,
    hot: new OpenSearchQueryService({
      url: hotUrl,
      password: "basic-auth-secret",
      username: "elastic",
      requestTimeoutMs: 2_000,
    }),
    live: new LiveHub(),
    listenHost: "127.0.0.1",
  });
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, web.fetch);
  const base = `http://127.0.0.1:${server.addr.port}`;
  try {
    const api = await fetch(`${base}/api/overview`);
    assert.equal(api.status, 503);
    const error = (await api.json()).error as string;
    assert.match(error, /The hot tier at http:\/\/elastic:\*\*\*@127\.0\.0\.1:\d+\/ did not answer/);
    const page = await fetch(`${base}/`);
    const html = await page.text();
    const metrics = await (await fetch(`${base}/metrics`)).text();
    for (const shown of [error, html, metrics]) {
      assert.ok(
        !shown.includes("hunter2-secret") && !shown.includes("basic-auth-secret"),
        shown.slice(0, 500),
      );
    }
  } finally {
    await server.shutdown();
  }
});

Deno.test("deno task web prints the hot tier without its password", async () => {
  const port = freePort();
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("../../cli/web.ts", import.meta.url).pathname],
    env: {
      VIGIL_HOT_URL: `http://elastic:hunter2-secret@127.0.0.1:${freePort()}`,
      VIGIL_WEB_PORT: String(port),
      VIGIL_CONFIG: "/nonexistent/vigil.config.json",
    },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stderr = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let errText = "";
  const draining = (async () => {
    while (true) {
      const { value, done } = await stderr.read();
      if (done) return;
      errText += value;
    }
  })();
  try {
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let out = "";
    const deadline = setTimeout(() => child.kill("SIGKILL"), 60_000);
    while (!out.includes("\n")) {
      const { value, done } = await reader.read();
      if (done) break;
      out += value;
    }
    clearTimeout(deadline);
    assert.match(
      out,
      /vigil web: http:\/\/127\.0\.0\.1:\d+\/ \(hot tier http:\/\/elastic:\*\*\*@127\.0\.0\.1:\d+/,
      errText,
    );
    assert.ok(!out.includes("hunter2-secret"), out);
    await reader.cancel();
  } finally {
    child.kill("SIGTERM");
    await child.status;
    await draining;
    assert.ok(!errText.includes("hunter2-secret"), errText);
  }
});
