/**
 * Issue 20, defect 3 against the real local OpenSearch: events of different files and runs on one host are told
 * apart — system / source filters in the explorer and on Templates, templates name their systems, and an event's
 * neighbours are of its host *and* source, each line once.
 */
import assert from "node:assert/strict";
import { parseEventQuery } from "../../lib/web/event_query.ts";
import { OpenSearchQueryService } from "../../lib/web/opensearch_query_service.ts";
import type { TimeWindow } from "../../lib/web/time_window.ts";
import { makeEvent } from "../../testing/memory_hot_tier.ts";
import { HOT_URL, seedHotTier } from "./seed_hot_tier.ts";

const NOW = new Date("2026-11-29T04:00:00Z");
const at = (secondsAgo: number) => new Date(NOW.getTime() - secondsAgo * 1000).toISOString();
const window: TimeWindow = { from: new Date(NOW.getTime() - 3600_000), to: NOW, range: "1h" };

const SSH = "/logs/OpenSSH_2k.log";
const WIN = "/logs/Windows_2k.log";

/** Six OpenSSH lines on host vm (lines 3 and 4 at the same instant, line 2 delivered twice), two Windows lines. */
function corpus() {
  const ssh = (lineNo: number, secondsAgo: number) =>
    makeEvent({
      id: `ssh-${lineNo}`,
      ts: at(secondsAgo),
      host: "vm",
      source: SSH,
      system: "openssh",
      lineNo,
      templateId: lineNo % 2 ? "t-fail" : "t-accept",
      template: lineNo % 2 ? "Failed password for <*> from <*>" : "Accepted password for <*>",
      content: `sshd line ${lineNo}`,
    });
  const win = (lineNo: number, secondsAgo: number) =>
    makeEvent({
      id: `win-${lineNo}`,
      ts: at(secondsAgo),
      host: "vm",
      source: WIN,
      system: "windows",
      lineNo,
      templateId: "t-cbs",
      template: "Loaded Servicing Stack <*>",
      content: `CBS line ${lineNo}`,
    });
  return [
    ssh(1, 600),
    ssh(2, 590),
    ssh(2, 590), // the same line again (a second run of the same file): another document, the same event id
    ssh(3, 580),
    ssh(4, 580),
    ssh(5, 570),
    ssh(6, 560),
    win(1, 585), // between SSH lines on the same host, from another file
    win(2, 580), // at the very instant of SSH lines 3 and 4
  ];
}

Deno.test("system and source filters, template systems, and neighbours by host and source without duplicates", async () => {
  const seeded = await seedHotTier(corpus());
  try {
    const hot = new OpenSearchQueryService({ url: HOT_URL, indexPrefix: seeded.prefix, now: () => NOW });
    const q = (qs: string) => parseEventQuery(new URLSearchParams(qs));

    assert.equal((await hot.searchEvents(q("size=100"))).total, 9);
    assert.equal((await hot.searchEvents(q("system=openssh"))).total, 7);
    const windows = await hot.searchEvents(q("source=" + encodeURIComponent(WIN)));
    assert.deepEqual(windows.hits.map((h) => h.id).sort(), ["win-1", "win-2"]);
    assert.equal((await hot.searchEvents(q(`system=openssh&source=${encodeURIComponent(WIN)}`))).total, 0);

    const line3 = (await hot.searchEvents(q("system=openssh&q=3"))).hits[0];
    assert.equal(line3.id, "ssh-3");
    assert.deepEqual((await hot.neighbours(line3, 6)).map((e) => e.id), [
      "ssh-1",
      "ssh-2",
      "ssh-4",
      "ssh-5",
      "ssh-6",
    ]);
    const line4 = (await hot.searchEvents(q("system=openssh&q=4"))).hits[0];
    assert.deepEqual((await hot.neighbours(line4, 6)).map((e) => e.id), [
      "ssh-1",
      "ssh-2",
      "ssh-3",
      "ssh-5",
      "ssh-6",
    ]);
    const line2 = (await hot.searchEvents(q("system=openssh&q=2"))).hits[0];
    assert.deepEqual((await hot.neighbours(line2, 4)).map((e) => e.id), ["ssh-1", "ssh-3", "ssh-4"]);

    const all = await hot.templates(window, 10);
    const systemsOf = (list: typeof all.top) =>
      Object.fromEntries(list.map((t) => [t.templateId, t.systems]));
    assert.deepEqual(systemsOf(all.top), {
      "t-fail": ["openssh"],
      "t-accept": ["openssh"],
      "t-cbs": ["windows"],
    });
    // Newest and rarest come from the registry (which has no system): their systems come from the window.
    assert.deepEqual(systemsOf(all.newest), systemsOf(all.top));
    const ssh = await hot.templates(window, 10, { system: "openssh" });
    for (const list of [ssh.top, ssh.newest, ssh.rarest]) {
      assert.deepEqual(list.map((t) => t.templateId).sort(), ["t-accept", "t-fail"]);
    }
    assert.equal(ssh.top.find((t) => t.templateId === "t-accept")?.count, 4); // lines 2 (twice), 4, 6
    const win = await hot.templates(window, 10, { source: WIN });
    assert.deepEqual(win.top.map((t) => [t.templateId, t.count]), [["t-cbs", 2]]);
  } finally {
    await seeded.cleanup();
  }
});
