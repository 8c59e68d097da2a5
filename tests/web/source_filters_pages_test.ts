/**
 * Issue 20, defect 3 on the pages (handler tests, {@link MemoryHotTier}): the explorer and Templates take system /
 * source filters, Templates shows each template's system and full dates with the year, and an event's page shows
 * its neighbours of the same host and source.
 */
import assert from "node:assert/strict";
import { createWebApp } from "../../lib/web/create_web_app.tsx";
import { ROUTES } from "../../routes/_manifest.ts";
import { buildIslandBundle } from "../../lib/web/island_bundler.ts";
import { LiveHub } from "../../lib/web/live_hub.ts";
import { makeEvent, MemoryHotTier } from "../../testing/memory_hot_tier.ts";

const bundle = buildIslandBundle({ minify: false });

function setup() {
  const hot = new MemoryHotTier([
    makeEvent({
      id: "ssh-1",
      ts: "2026-11-29T04:01:00Z",
      host: "vm",
      source: "/logs/OpenSSH_2k.log",
      system: "openssh",
      templateId: "t-ssh",
      template: "Failed password for <*>",
      content: "Failed password for root",
    }),
    makeEvent({
      id: "win-1",
      ts: "2026-11-29T04:02:00Z",
      host: "vm",
      source: "/logs/Windows_2k.log",
      system: "windows",
      templateId: "t-win",
      template: "Loaded Servicing Stack <*>",
      content: "Loaded Servicing Stack v6.1",
    }),
    makeEvent({
      id: "ssh-2",
      ts: "2026-11-29T04:03:00Z",
      host: "vm",
      source: "/logs/OpenSSH_2k.log",
      system: "openssh",
      lineNo: 2,
      templateId: "t-ssh",
      template: "Failed password for <*>",
      content: "Failed password for admin",
    }),
  ]);
  const web = createWebApp({
    routes: ROUTES,
    hot,
    live: new LiveHub(),
    now: hot.now,
    bundle,
    heartbeatMs: 50,
  });
  const get = async (path: string) => {
    const res = await web.fetch(new Request("http://vigil.test" + path));
    return { status: res.status, html: await res.text() };
  };
  return { get };
}

Deno.test("explorer: system and source filters narrow the results and are in the filter form", async () => {
  const { get } = setup();
  const ssh = await get("/events?range=1h&system=openssh");
  assert.equal(ssh.status, 200);
  assert.match(ssh.html, /data-total="2"/);
  assert.match(ssh.html, /name="system" value="openssh"/);
  const win = await get("/events?range=1h&source=%2Flogs%2FWindows_2k.log");
  assert.match(win.html, /data-total="1"/);
  assert.match(win.html, /name="source" value="\/logs\/Windows_2k.log"/);
});

Deno.test("templates: a system column, dates with the year, and system / source filters", async () => {
  const { get } = setup();
  const all = await get("/templates?range=1h");
  assert.equal(all.status, 200);
  assert.match(all.html, /<th scope="col">System<\/th>/);
  assert.match(all.html, /<td class="mono nowrap">openssh<\/td>/);
  assert.match(all.html, /<td class="mono nowrap">windows<\/td>/);
  assert.match(all.html, /2026-11-29 04:0\d:00/);
  const ssh = await get("/templates?range=1h&system=openssh");
  assert.match(ssh.html, /Failed password for &lt;\*>/);
  assert.ok(!ssh.html.includes("Loaded Servicing Stack"), "another system's template is listed");
  assert.match(ssh.html, /name="system" value="openssh"/);
  // The link to a template's events keeps the filter.
  assert.match(ssh.html, /href="\/events\?range=1h&amp;templateId=t-ssh&amp;system=openssh"/);
  const win = await get("/templates?range=1h&source=%2Flogs%2FWindows_2k.log");
  assert.ok(!win.html.includes("Failed password"));
  assert.match(win.html, /Loaded Servicing Stack/);
  assert.equal((await get("/templates?range=1h&system=" + "x".repeat(200))).status, 400);
});

Deno.test("event page: around it means the same host and source, never another file's line", async () => {
  const { get } = setup();
  const page = await get("/events/vigil.events-0-0");
  assert.equal(page.status, 200);
  assert.match(page.html, /Around it on vm in \/logs\/OpenSSH_2k.log/);
  assert.match(page.html, /Failed password for admin/);
  assert.ok(!page.html.includes("Loaded Servicing Stack v6.1"), "a Windows line shown around an SSH line");
});
