/**
 * Issue 20, defect 6 (second part): a muted incident's card says until when. The incident document only says
 * "muted"; the expiry is the engine's suppression's, which the feed gets from the page and from the action's answer.
 */
import assert from "node:assert/strict";
import { createWebApp } from "../../lib/web/create_web_app.tsx";
import { ROUTES } from "../../routes/_manifest.ts";
import { buildIslandBundle } from "../../lib/web/island_bundler.ts";
import { describeSuppression, suppressionsByIncident } from "../../lib/web/incident_suppressions.ts";
import { LiveHub } from "../../lib/web/live_hub.ts";
import type { Suppression } from "../../lib/incidents/suppression.ts";
import { suppressionNote } from "../../islands/IncidentFeed.tsx";
import { makeIncident, MemoryHotTier } from "../../testing/memory_hot_tier.ts";
import { MemoryIncidentControl } from "./memory_incident_control.ts";

const bundle = buildIslandBundle({ minify: false });

function setup(withEngine: boolean) {
  const hot = new MemoryHotTier([]);
  hot.storedIncidents.push(
    makeIncident({ templateId: "t-ssh", title: "Repeated failures from 183.62.140.253" }),
    makeIncident({
      templateId: "t-old",
      title: "Muted elsewhere",
      status: "muted",
      statusBy: "alice",
      statusTs: "2026-11-29T04:00:00.000Z",
    }),
  );
  const control = new MemoryIncidentControl(hot.storedIncidents, hot.now);
  const web = createWebApp({
    routes: ROUTES,
    hot,
    live: new LiveHub(),
    now: hot.now,
    bundle,
    ...(withEngine ? { incidentControl: control } : {}),
  });
  const page = async () => await (await web.fetch(new Request("http://vigil.test/anomalies"))).text();
  const post = (path: string, body: unknown) =>
    web.fetch(
      new Request("http://vigil.test" + path, {
        method: "POST",
        headers: { "content-type": "application/json", origin: "http://vigil.test" },
        body: JSON.stringify(body),
      }),
    );
  return { hot, page, post };
}

/** The text of the card of incident `id` in the page. */
function card(html: string, id: string): string {
  const start = html.indexOf(`data-incident-id="${id}"`);
  assert.ok(start >= 0, `no card for ${id}`);
  const end = html.indexOf("</li>", html.indexOf('class="incident-foot"', start));
  return html.slice(start, end);
}

Deno.test("a muted incident's card says until when: from the action's answer and on the page", async () => {
  const { hot, page, post } = setup(true);
  const [ssh, old] = hot.storedIncidents;
  const res = await post(`/api/incidents/${ssh.id}/actions`, { action: "mute", expiresInMs: 4 * 3_600_000 });
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.equal(body.incident.status, "muted");
  // The clock is 2026-11-29T04:05Z: four hours later.
  assert.deepEqual(body.suppression, {
    kind: "mute",
    scope: "template",
    expiresTs: "2026-11-29T08:05:00.000Z",
  });
  const html = await page();
  assert.match(card(html, ssh.id), /data-field="suppression">muted until 2026-11-29 08:05 UTC</);
  // Muted, but the engine holds no suppression for it any more.
  assert.match(card(html, old.id), /data-field="suppression">mute expired or removed</);
  const ack = await post(`/api/incidents/${old.id}/actions`, { action: "acknowledge" });
  assert.equal((await ack.json()).suppression, undefined);
});

Deno.test("without the engine, a muted card says where its expiry is known", async () => {
  const { hot, page } = setup(false);
  assert.match(
    card(await page(), hot.storedIncidents[1].id),
    /data-field="suppression">muted \(the expiry is shown where the engine runs\)</,
  );
});

Deno.test("suppressionsByIncident: only those in force; per incident the longest; no expiry lasts longest", () => {
  const sup = (id: string, incidentId: string, expiresTs: string, kind: Suppression["kind"] = "mute") => ({
    id,
    kind,
    scope: "template" as const,
    system: "openssh",
    component: "sshd",
    templateId: "t",
    template: "x",
    host: "",
    incidentId,
    createdTs: "2026-11-29T00:00:00.000Z",
    expiresTs,
    createdBy: "dashboard",
    silenced: 0,
  });
  const now = Date.parse("2026-11-29T04:00:00Z");
  const byIncident = suppressionsByIncident([
    sup("s1", "a", "2026-11-29T05:00:00.000Z"),
    sup("s2", "a", "2026-11-29T09:00:00.000Z"),
    sup("s3", "b", "2026-11-29T03:00:00.000Z"), // expired
    sup("s4", "c", "2026-11-29T05:00:00.000Z"),
    sup("s5", "c", ""),
    sup("s6", "", "2026-11-30T00:00:00.000Z"), // created directly, not from an incident
    sup("s7", "d", "2026-12-01T00:00:00.000Z", "not_a_problem"),
  ], now);
  assert.deepEqual(Object.keys(byIncident).sort(), ["a", "c", "d"]);
  assert.equal(byIncident.a.expiresTs, "2026-11-29T09:00:00.000Z");
  assert.equal(describeSuppression(byIncident.c), "muted with no expiry");
  assert.equal(describeSuppression(byIncident.d), "not a problem until 2026-12-01 00:00 UTC");
  const open = makeIncident({ templateId: "t" });
  assert.equal(suppressionNote(open, undefined, true), undefined);
  assert.equal(suppressionNote(open, byIncident.d, true), "not a problem until 2026-12-01 00:00 UTC");
});
