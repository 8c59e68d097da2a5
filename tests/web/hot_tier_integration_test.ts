/**
 * The OpenSearch query service against the real local OpenSearch (`deno task stack up`), with seeded documents.
 */
import assert from "node:assert/strict";
import { parseEventQuery } from "../../lib/web/event_query.ts";
import { OpenSearchQueryService } from "../../lib/web/opensearch_query_service.ts";
import type { TimeWindow } from "../../lib/web/time_window.ts";
import { makeEvent, makeIncident } from "../../testing/memory_hot_tier.ts";
import { HOT_URL, seedHotTier } from "./seed_hot_tier.ts";

const NOW = new Date("2026-11-29T04:00:00Z");
const at = (secondsAgo: number) => new Date(NOW.getTime() - secondsAgo * 1000).toISOString();

/** 60 events over the last 10 minutes: 50 normal, 8 anomalies, 2 critical; 3 hosts; 4 templates. */
function corpus() {
  return Array.from({ length: 60 }, (_, i) => {
    const classification = i < 50 ? "NORMAL" : i < 58 ? "ANOMALY" : "CRITICAL_ANOMALY";
    return makeEvent({
      id: `e${i}`,
      ts: at(600 - i * 10),
      ingestTs: at(600 - i * 10),
      host: `host-${i % 3}`,
      component: i % 2 ? "dfs.DataNode" : "dfs.FSNamesystem",
      level: classification === "NORMAL" ? "info" : classification === "ANOMALY" ? "warn" : "error",
      classification,
      score: classification === "NORMAL" ? 0.05 : classification === "ANOMALY" ? 0.6 + i / 1000 : 0.99,
      templateId: `t${i % 4}`,
      template: `Receiving block <*> from <*> kind ${i % 4}`,
      content: i === 55
        ? "disk full on /dev/sda1 <script>x</script>"
        : `Receiving block blk_${i} from 10.0.0.${i % 3}`,
      lineNo: i + 1,
      reasons: classification === "NORMAL" ? [] : ["rare template"],
      fields: { "<odd key>": "v", Pid: String(i) },
    });
  });
}

const window: TimeWindow = { from: new Date(NOW.getTime() - 3600_000), to: NOW, range: "1h" };

Deno.test("OpenSearchQueryService answers explorer, detail, overview, series and template queries", async () => {
  const seeded = await seedHotTier(corpus());
  try {
    const hot = new OpenSearchQueryService({ url: HOT_URL, indexPrefix: seeded.prefix, now: () => NOW });
    const q = (qs: string) => parseEventQuery(new URLSearchParams(qs));

    const all = await hot.searchEvents(q("size=200"));
    assert.equal(all.total, 60);
    assert.equal(all.hits[0].id, "e59"); // newest first
    assert.equal(all.hits[0].docId, "vigil.events-0-59");
    assert.equal(all.histogram?.stepSec, 30);
    assert.equal(all.histogram?.counts.reduce((a, b) => a + b, 0), 60);

    const flagged = await hot.searchEvents(
      q("classification=ANOMALY&classification=CRITICAL_ANOMALY&sort=score"),
    );
    assert.equal(flagged.total, 10);
    assert.deepEqual(flagged.hits.slice(0, 2).map((h) => h.classification), [
      "CRITICAL_ANOMALY",
      "CRITICAL_ANOMALY",
    ]);

    assert.equal((await hot.searchEvents(q("host=host-1&level=info"))).total, 17);
    assert.equal((await hot.searchEvents(q("component=dfs.DataNode&templateId=t1"))).total, 15);
    const text = await hot.searchEvents(q('q="disk full"'));
    assert.deepEqual(text.hits.map((h) => h.id), ["e55"]);
    // Operators and syntax junk never fail the query.
    const junk = await hot.searchEvents(q("q=" + encodeURIComponent('disk AND ((( "unclosed ~~ */')));
    assert.ok(junk.total >= 0);
    const paged = await hot.searchEvents(q("size=25&page=3"));
    assert.equal(paged.hits.length, 10);
    assert.equal(
      (await hot.searchEvents(q("range=custom&from=2026-11-29T03:55:00Z&to=2026-11-29T04:00:00Z"))).total,
      30,
    );

    const event = await hot.getEvent("vigil.events-0-55");
    assert.ok(event);
    assert.equal(event.content, "disk full on /dev/sda1 <script>x</script>");
    assert.deepEqual(event.fields, { "<odd key>": "v", Pid: "55" });
    assert.deepEqual(event.kafka, { topic: "vigil.events", partition: 0, offset: "55" });
    assert.equal(await hot.getEvent("nope"), null);
    const around = await hot.neighbours(event, 4);
    assert.deepEqual(around.map((e) => e.id), ["e49", "e52", "e58"]); // host-1, two before and what follows
    const similar = await hot.moreLikeThis(event, 100);
    assert.equal(similar.length, 14);
    assert.ok(similar.every((e) => e.templateId === "t3" && e.docId !== event.docId));

    const stats = await hot.overview(window);
    assert.equal(stats.total, 60);
    assert.deepEqual(stats.byClassification, { NORMAL: 50, ANOMALY: 8, CRITICAL_ANOMALY: 2 });
    assert.deepEqual(stats.byLevel, [{ key: "info", count: 50 }, { key: "warn", count: 8 }, {
      key: "error",
      count: 2,
    }]);
    assert.equal(stats.byComponent.reduce((s, b) => s + b.count, 0), 60);
    assert.equal(stats.topTemplates.length, 4);
    assert.match(stats.topTemplates[0].label ?? "", /^Receiving block <\*> from <\*> kind \d$/);
    assert.equal(stats.recentRate, 6 / 60); // 6 events in the last minute

    const series = await hot.timeSeries(window, "classification");
    assert.equal(series.stepSec, 15);
    assert.equal(series.t.length, 241);
    const sum = (xs: number[] = []) => xs.reduce((a, b) => a + b, 0);
    assert.equal(sum(series.series.NORMAL), 50);
    assert.equal(sum(series.series.ANOMALY), 8);
    assert.equal(sum(series.series.CRITICAL_ANOMALY), 2);

    const templates = await hot.templates(window, 10);
    assert.equal(templates.top.length, 4);
    assert.equal(templates.top.reduce((s, t) => s + t.count, 0), 60);
    assert.ok(templates.top.every((t) => t.spark.length > 0 && sum(t.spark) === t.count));
    // Newest and rarest come from the template registry (all-time), with window sparklines.
    assert.deepEqual(templates.newest.map((t) => t.templateId), ["t3", "t2", "t1", "t0"]);
    assert.equal(templates.newest[0].firstSeen, at(600 - 3 * 10));
    assert.deepEqual(templates.rarest.map((t) => t.count), [15, 15, 15, 15]);
    assert.ok(templates.rarest.every((t) => sum(t.spark) === 15));

    assert.equal(await hot.newestEventTs(), at(600 - 59 * 10));
    // The hot window starts at the oldest daily index: the day of the oldest event (seeded by its own day).
    const oldestMs = Math.min(...corpus().map((e) => Date.parse(e.ts)));
    assert.equal(await hot.oldestEventDay(), new Date(oldestMs - oldestMs % 86_400_000).toISOString());
  } finally {
    await seeded.cleanup();
  }
});

Deno.test("OpenSearchQueryService lists incidents by window, status and severity, counts open ones, and finds an incident's events", async () => {
  const inc = (
    templateId: string,
    o: Parameters<typeof makeIncident>[0] extends infer T ? Partial<T> : never,
  ) => makeIncident({ templateId, ...o });
  const incidents = [
    // Opened two hours ago and still growing: overlaps the last hour.
    inc("long", { severity: "CRITICAL_ANOMALY", firstTs: at(7200), lastTs: at(30) }),
    inc("new", { firstTs: at(300), lastTs: at(10), title: "<script>alert(1)</script>" }),
    inc("acked", { status: "acknowledged", firstTs: at(900), lastTs: at(600) }),
    inc("done", { status: "resolved", severity: "CRITICAL_ANOMALY", firstTs: at(1200), lastTs: at(1100) }),
    // Over before the window: never listed for it.
    inc("old", { firstTs: at(9000), lastTs: at(8000) }),
  ];
  const target = incidents[1];
  const events = [
    { ...makeEvent({ id: "in-1", ts: at(20), templateId: "new" }), incidentId: target.id },
    { ...makeEvent({ id: "in-2", ts: at(15), templateId: "new" }), incidentId: target.id },
    makeEvent({ id: "out-1", ts: at(15), templateId: "new" }),
  ];
  const seeded = await seedHotTier(events, "vigil.events", incidents);
  try {
    const hot = new OpenSearchQueryService({ url: HOT_URL, indexPrefix: seeded.prefix, now: () => NOW });
    const all = await hot.incidents(window);
    assert.deepEqual(all.map((i) => i.templateId), ["new", "long", "acked", "done"]); // latest event first
    assert.equal(all[0].title, "<script>alert(1)</script>");
    assert.deepEqual(all[0], target); // the whole document comes back
    assert.deepEqual(
      (await hot.incidents(window, { status: ["open", "acknowledged"] })).map((i) => i.templateId),
      ["new", "long", "acked"],
    );
    assert.deepEqual(
      (await hot.incidents(window, { severity: ["CRITICAL_ANOMALY"] })).map((i) => i.templateId),
      ["long", "done"],
    );
    assert.equal((await hot.incidents(window, { size: 1 })).length, 1);
    assert.deepEqual(await hot.incidentCounts(window), { ANOMALY: 1, CRITICAL_ANOMALY: 1 });
    const past: TimeWindow = {
      from: new Date(NOW.getTime() - 10_000_000),
      to: new Date(NOW.getTime() - 7_900_000),
      range: "custom",
    };
    assert.deepEqual((await hot.incidents(past)).map((i) => i.templateId), ["old"]);

    const linked = await hot.searchEvents(parseEventQuery(new URLSearchParams({ incidentId: target.id })));
    assert.deepEqual(linked.hits.map((h) => h.id).sort(), ["in-1", "in-2"]);
  } finally {
    await seeded.cleanup();
  }
});

Deno.test("OpenSearchQueryService: an unreachable hot tier is a HotTierUnavailableError", async () => {
  const hot = new OpenSearchQueryService({ url: "http://127.0.0.1:9", requestTimeoutMs: 1000 });
  await assert.rejects(() => hot.overview(window), { name: "HotTierUnavailableError" });
  await assert.rejects(() => hot.newestEventTs(), { name: "HotTierUnavailableError" });
  await assert.rejects(() => hot.oldestEventDay(), { name: "HotTierUnavailableError" });
});
