/**
 * Issue 20, defect 6 against the real local OpenSearch: the explorer's search finds the parts of host names,
 * paths and addresses (`marryaldkfaczcz` used to find nothing while `ns.marryaldkfaczcz.com` found the line:
 * the standard analyzer keeps a dotted name whole).
 */
import assert from "node:assert/strict";
import { parseEventQuery } from "../../lib/web/event_query.ts";
import { OpenSearchQueryService } from "../../lib/web/opensearch_query_service.ts";
import { makeEvent } from "../../testing/memory_hot_tier.ts";
import { HOT_URL, seedHotTier } from "./seed_hot_tier.ts";

const NOW = new Date("2026-11-29T04:00:00Z");
const at = (secondsAgo: number) => new Date(NOW.getTime() - secondsAgo * 1000).toISOString();

const LINES = {
  dns:
    "reverse mapping checking getaddrinfo for ns.marryaldkfaczcz.com [173.234.31.186] failed - POSSIBLE BREAK-IN ATTEMPT!",
  path: "Failed to open /var/lib/mysql/ib_logfile0 for writing",
  fqdn: "Connection closed by db-01.prod.example.org port 22",
  unicode: "Ошибка.диска на узле",
  other: "Accepted password for root from 10.0.0.1 port 22 ssh2",
};

Deno.test("search: parts of host names, paths and addresses are words; whole names still match", async () => {
  const events = Object.entries(LINES).map(([id, content], i) =>
    makeEvent({ id, content, raw: content, template: "<*>", ts: at(60 - i), lineNo: i + 1 })
  );
  const seeded = await seedHotTier(events);
  try {
    const hot = new OpenSearchQueryService({ url: HOT_URL, indexPrefix: seeded.prefix, now: () => NOW });
    const ids = async (q: string) =>
      (await hot.searchEvents(parseEventQuery(new URLSearchParams({ q })))).hits.map((h) => h.id).sort();
    assert.deepEqual(await ids("marryaldkfaczcz"), ["dns"]);
    assert.deepEqual(await ids("MARRYALDKFACZCZ"), ["dns"]);
    assert.deepEqual(await ids("ns.marryaldkfaczcz.com"), ["dns"]);
    assert.deepEqual(await ids("marry*"), ["dns"]);
    assert.deepEqual(await ids("173.234.31.186"), ["dns"]);
    assert.deepEqual(await ids("mysql"), ["path"]);
    assert.deepEqual(await ids("ib_logfile0"), ["path"]);
    assert.deepEqual(await ids("/var/lib/mysql/ib_logfile0"), ["path"]);
    assert.deepEqual(await ids("prod example"), ["fqdn"]);
    assert.deepEqual(await ids("db-01.prod.example.org"), ["fqdn"]);
    assert.deepEqual(await ids("диска"), ["unicode"]);
    // Parts are words, not substrings, and every word of the query must match.
    assert.deepEqual(await ids("marryald"), []);
    assert.deepEqual(await ids("marryaldkfaczcz mysql"), []);
    assert.deepEqual(await ids("port 22"), ["fqdn", "other"]);
  } finally {
    await seeded.cleanup();
  }
});
