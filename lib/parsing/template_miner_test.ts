import { assert, assertEquals, assertThrows } from "./_test_assert.ts";
import fc from "fast-check";
import { evictionCount } from "../../engine/eviction_tally.ts";
import { pushWildcardValues, templateIdOf, TemplateMiner, widenTemplateToken } from "./template_miner.ts";
import { TemplateRegistry } from "./template_registry.ts";

Deno.test("TemplateMiner: masks variables, generalises, keeps old ids resolvable, params", () => {
  const m = new TemplateMiner();
  const a = m.mine("Invalid user admin from 10.0.0.1 port 22", 1000);
  assertEquals(a.template, "Invalid user admin from <*> port <*>");
  assertEquals(a.params, ["10.0.0.1", "22"]);
  assertEquals(a.change, "created");
  assertEquals(a.templateId, templateIdOf(a.template));
  const b = m.mine("Invalid user oracle from 10.0.0.2 port 23", 2000);
  assertEquals(b.template, "Invalid user <*> from <*> port <*>");
  assertEquals(b.params, ["oracle", "10.0.0.2", "23"]);
  assertEquals(b.change, "generalised");
  assertEquals(b.clusterId, a.clusterId);
  assertEquals(m.registry.resolve(a.templateId), b.templateId);
  assertEquals(m.registry.get(a.templateId)?.count, 2);
  assertEquals(m.mine("Invalid user x from 1.1.1.1 port 1", 3000).change, "matched");
  const other = m.mine("Accepted password for root from 10.0.0.1 port 22 ssh2", 3000);
  assert(other.clusterId !== a.clusterId);
  assertEquals(m.size, 2);
  assertEquals(m.match("Invalid user y from 2.2.2.2 port 2")?.templateId, b.templateId);
  assertEquals(m.match("Something else entirely"), undefined);
  assertEquals(m.mine("blk_1 stored [10.0.0.1]").params, ["1", "10.0.0.1"]);
});

Deno.test("TemplateMiner: ids agree across processes; toJSON/fromJSON keeps templates, aliases, counts", () => {
  const lines = [
    "Session 12 opened for alice",
    "Session 13 opened for bob",
    "Disk /dev/sda1 full",
    "Session 14 opened for carol",
  ];
  const m1 = new TemplateMiner();
  const ids1 = lines.map((l) => m1.mine(l, 0).templateId);
  const m2 = new TemplateMiner();
  assertEquals(lines.map((l) => m2.mine(l, 0).templateId), ids1);
  const restored = TemplateMiner.fromJSON(JSON.parse(JSON.stringify(m1)));
  assertEquals(restored.size, m1.size);
  const again = restored.mine("Session 99 opened for dave", 0);
  assertEquals(again.change, "matched");
  assertEquals(again.templateId, ids1[3]);
  assertEquals(restored.registry.resolve(ids1[0]), ids1[3]);
  assertEquals(restored.registry.get(ids1[3])?.count, 4);
  assertThrows(() => TemplateMiner.fromJSON({ version: 2 }), TypeError, "version-1");
  assertThrows(() => new TemplateMiner({ similarityThreshold: 0 }), RangeError, "current value is 0");
});

Deno.test("TemplateMiner: settled templates are not generalised by a different plain word", () => {
  const m = new TemplateMiner({ settledSize: 3 });
  for (let i = 0; i < 3; i++) m.mine(`Session ${i} initialized by client WindowsUpdateAgent.`, 0);
  const spp = m.mine("Session 9 initialized by client SPP.", 0);
  assertEquals(spp.change, "created");
  assertEquals(spp.template, "Session <*> initialized by client SPP.");
});

Deno.test("TemplateMiner: hostile content (empty, huge, binary) never throws", () => {
  const m = new TemplateMiner();
  assertEquals(m.mine("", 0).template, "");
  assertEquals(
    m.mine("\uFFFD\uFFFD <script>alert(1)</script>", 0).template,
    "\uFFFD\uFFFD <script>alert(<*>)</script>",
  );
  const big = m.mine("x ".repeat(50_000), 0);
  assert(big.template.length > 0);
});

Deno.test("TemplateRegistry: rate decays, merge sums, snapshot round-trip, malformed snapshot", () => {
  const r = new TemplateRegistry();
  r.observe("A", "a <*>", 0, "a 1");
  r.observe("A", "a <*>", 0, "a 2");
  assertEquals(r.get("A")?.count, 2);
  assert(Math.abs(r.rateAt("A", 0) - 2 / 60) < 1e-9);
  assert(r.rateAt("A", 60_000) < r.rateAt("A", 0) / 2);
  r.observe("B", "b", 10, "b");
  r.merge("B", "A", "a <*>");
  assertEquals(r.get("B")?.count, 3);
  assertEquals(r.size, 1);
  const back = TemplateRegistry.fromJSON(JSON.parse(JSON.stringify(r)));
  assertEquals(back.toJSON(), r.toJSON());
  assertThrows(() => TemplateRegistry.fromJSON({ version: 1, templates: [{}] }), TypeError, "malformed");
});

Deno.test("property: pushWildcardValues gives the lazy regex's captures, in linear time on hostile tokens", () => {
  fc.assert(
    fc.property(
      fc.array(fc.stringMatching(/^[ab.<*>]{0,3}$/), { minLength: 2, maxLength: 5 }),
      fc.stringMatching(/^[ab.<*>]{0,14}$/),
      (parts: string[], token: string) => {
        const escaped = parts.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
        const m = new RegExp("^" + escaped.join("(.*?)") + "$", "s").exec(token);
        const out = ["before"];
        assertEquals(pushWildcardValues(parts, token, out), m !== null);
        assertEquals(out, m === null ? ["before"] : ["before", ...m.slice(1)]);
      },
    ),
    { numRuns: 5000 },
  );
  // A 64 KiB token of 16k template parts (the regex took 0.7 s): one pass.
  const token = "\u001b[0m".repeat(16_384);
  const out: string[] = [];
  assert(pushWildcardValues(token.split("0"), token, out));
  assertEquals(out.length, 16_384);
});

Deno.test("TemplateMiner: at most maxClusters templates, the least recently matched evicted and counted", () => {
  const m = new TemplateMiner({ maxClusters: 2 });
  const a = m.mine("alpha one two", 1);
  const b = m.mine("beta three four", 2);
  assertEquals(m.mine("alpha one two", 3).clusterId, a.clusterId); // alpha is now the most recent
  const c = m.mine("gamma five six", 4); // evicts beta
  assertEquals([m.size, m.evicted, m.registry.size], [2, 1, 2]);
  assertEquals(m.clusterTemplate(b.clusterId), undefined);
  assertEquals(m.registry.get(b.templateId), undefined);
  assertEquals(m.clusterTemplate(a.clusterId)?.template, "alpha one two");
  const again = m.mine("beta three four", 5); // learnt anew, under a new cluster id; alpha evicted
  assertEquals([again.change, m.evicted], ["created", 2]);
  assert(again.clusterId > c.clusterId);
  // Ids survive a snapshot with gaps, and the recency order too.
  const restored = TemplateMiner.fromJSON(JSON.parse(JSON.stringify(m.toJSON())));
  assertEquals(restored.mine("gamma five six", 6).clusterId, c.clusterId);
  assertEquals(restored.mine("delta seven eight", 7).clusterId, again.clusterId + 1);
  assertEquals(restored.clusterTemplate(again.clusterId), undefined); // beta was the least recent
  // Bounded under a stream of distinct templates (every message its own shape).
  const bounded = new TemplateMiner({ maxClusters: 50 });
  const tallied = evictionCount("miner_clusters");
  for (let i = 0; i < 5_000; i++) {
    bounded.mine(`w${i.toString(36).replace(/\d/g, "q")} x${"y".repeat(i % 7)} z ${i % 13}`, i);
  }
  assert(bounded.size <= 50 && bounded.registry.size <= 50, `${bounded.size} ${bounded.registry.size}`);
  assert(bounded.evicted > 0);
  // The /metrics tally counts the same evictions.
  assertEquals(evictionCount("miner_clusters") - tallied, bounded.evicted);
});

Deno.test("TemplateMiner: a message of more than maxTokens tokens is mined with its tail as one variable", () => {
  const m = new TemplateMiner({ maxTokens: 4 });
  const r = m.mine("a b c d e f g", 0);
  assertEquals([r.template, r.params, r.tokensCapped], ["a b c d <*>", ["e f g"], true]);
  assertEquals(m.mine("a b c", 0).tokensCapped, false);
});

Deno.test("widenTemplateToken keeps shared affixes at word boundaries, never inside a variable or a word", () => {
  assertEquals(widenTemplateToken("PWD=/var", "PWD=/srv"), "PWD=<*>");
  assertEquals(widenTemplateToken("(admin)", "(carol)"), "(<*>)");
  assertEquals(widenTemplateToken("alice(uid=<*>)", "bob(uid=<*>)"), "<*>(uid=<*>)");
  assertEquals(widenTemplateToken('"GET', '"POST'), '"<*>');
  assertEquals(widenTemplateToken("abc", "abd"), "<*>"); // no word is split
  // a joiner does not end a kept word (the masker joins variables across it), but punctuation alone is kept
  assertEquals(widenTemplateToken("FF:x", "FF:y"), "<*>");
  assertEquals(widenTemplateToken("x+", "z+"), "<*>+");
  assertEquals(widenTemplateToken("alice.", "bob."), "<*>.");
  assertEquals(widenTemplateToken("orders.service:", "auth.service:"), "<*>:");
  // with `joiners` (the miner's readableAffixes), a joiner between a kept word and a differing word ends an affix
  assertEquals(widenTemplateToken("orders.service:", "auth.service:", true), "<*>.service:");
  assertEquals(widenTemplateToken("orders_backend/<*>", "billing_backend/<*>", true), "<*>_backend/<*>");
  assertEquals(
    widenTemplateToken("{Name:a,Attempt:<*>,}", "{Name:b,Attempt:<*>,}", true),
    "{Name:<*>,Attempt:<*>,}",
  );
  // ...but never next to a variable (one host, one id) nor after punctuation (the root of a path)
  assertEquals(widenTemplateToken("orders-<*>.internal", "auth-<*>.internal", true), "<*>");
  assertEquals(widenTemplateToken("PWD=/var", "PWD=/srv", true), "PWD=<*>");
  assertEquals(widenTemplateToken("FF:x", "FF:y", true), "FF:<*>");
  assertEquals(widenTemplateToken("<*>", "anything"), "<*>");
  assertEquals(widenTemplateToken("(<*>)", "(dave)"), "(<*>)"); // fits: unchanged
  assertEquals(widenTemplateToken("(<*>)", "[dave]"), "<*>");
  assertEquals(widenTemplateToken("a", "aa"), "<*>");
  // every token fitting the result: both inputs
  fc.assert(
    fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), fc.boolean(), (a, b, joiners) => {
      const w = widenTemplateToken(a, b, joiners);
      const parts = w.split("<*>");
      return w === a || (pushWildcardValues(parts, a, []) && pushWildcardValues(parts, b, []));
    }),
  );
});

Deno.test("TemplateMiner: readable template text; grouping unchanged; params follow the text; snapshot keeps it", () => {
  const lines = [
    "alice : TTY=pts/1 ; PWD=/var ; USER=root",
    "alice : TTY=pts/2 ; PWD=/srv ; USER=root",
    "pam_unix(cron:session): session opened for user alice(uid=1000) by (uid=0)",
    "pam_unix(cron:session): session opened for user bob(uid=1001) by (uid=0)",
  ];
  const readable = new TemplateMiner();
  const plain = new TemplateMiner({ readableTemplates: false });
  const r = lines.map((l) => readable.mine(l, 0));
  const p = lines.map((l) => plain.mine(l, 0));
  assertEquals(r.map((x) => x.clusterId), p.map((x) => x.clusterId));
  assertEquals(r[1].template, "alice : TTY=pts/<*> ; PWD=<*> ; USER=root");
  assertEquals(p[1].template, "alice : TTY=pts/<*> ; <*> ; USER=root");
  assertEquals(r[1].params, ["2", "/srv"]);
  assertEquals(r[3].template, "pam_unix(cron:session): session opened for user <*>(uid=<*>) by (uid=<*>)");
  assertEquals(r[3].params, ["bob", "1001", "0"]);
  const restored = TemplateMiner.fromJSON(JSON.parse(JSON.stringify(readable)));
  const again = restored.mine("alice : TTY=pts/3 ; PWD=/opt ; USER=root", 0);
  assertEquals([again.template, again.templateId, again.change], [r[1].template, r[1].templateId, "matched"]);
  // a snapshot written before readable templates (no `display`) restores with its tokens as text
  const old = JSON.parse(JSON.stringify(plain));
  for (const c of old.clusters) delete c.display;
  assertEquals(TemplateMiner.fromJSON(old).match(lines[1])?.template, p[1].template);
  const bad = JSON.parse(JSON.stringify(readable));
  bad.clusters[0].display = ["too", "short"];
  assertThrows(() => TemplateMiner.fromJSON(bad), TypeError, "malformed");
});

Deno.test("TemplateMiner: a framed routing token taking three values with the same rest merges; bare words do not", () => {
  const m = new TemplateMiner();
  const ids = ["orders", "auth", "billing", "search"].map((w) =>
    m.mine(`${w}.service: Deactivated successfully.`, 0).clusterId
  );
  const final = new Set(ids.map((id) => m.currentClusterId(id)));
  assertEquals(final.size, 1);
  assertEquals(m.clusterTemplate(ids[0])?.template, "<*>.service: Deactivated successfully.");
  // the first ids stay resolvable to the merged template
  assertEquals(
    m.registry.resolve(templateIdOf("orders.service: Deactivated successfully.")),
    m.clusterTemplate(ids[0])?.templateId,
  );
  assertEquals(m.mine("ledger.service: Deactivated successfully.", 0).clusterId, m.currentClusterId(ids[0]));
  // two values are two events; bare words differing whole are event names
  const n = new TemplateMiner();
  const pair = ["Accepted", "Failed"].map((w) => n.mine(`(${w}) password for root`, 0).clusterId);
  assertEquals(new Set(pair.map((id) => n.currentClusterId(id))).size, 2);
  const words = ["cupsd", "syslogd", "klogd", "portmap"].map((w) =>
    n.mine(`${w} startup succeeded`, 0).clusterId
  );
  assertEquals(new Set(words.map((id) => n.currentClusterId(id))).size, 4);
  // merged templates survive a snapshot round trip
  const restored = TemplateMiner.fromJSON(JSON.parse(JSON.stringify(m)));
  assertEquals(restored.mine("gateway.service: Deactivated successfully.", 0).change, "matched");
});

Deno.test("TemplateMiner: an early template a generalised one now covers joins it, unless larger or an enum state", () => {
  const m = new TemplateMiner();
  const first = m.mine("connection authorized: user=svc database=payments app=psql", 0).clusterId;
  const second = m.mine("connection authorized: user=alice database=orders app=psql", 0).clusterId;
  assert(first !== second); // two differing tokens of six: below the similarity threshold
  m.mine("connection authorized: user=bob database=orders app=psql", 0);
  m.mine("connection authorized: user=bob database=ledger app=psql", 0);
  assertEquals(m.currentClusterId(first), m.currentClusterId(second));
  assertEquals(m.clusterTemplate(first)?.template, "connection authorized: user=<*> database=<*> app=psql");
  const n = new TemplateMiner();
  const a = n.mine("task 1 moved from NEW to RUNNING", 0).clusterId;
  n.mine("task 2 moved from RUNNING to DONE", 0);
  n.mine("task 3 moved from RUNNING to FAILED", 0);
  n.mine("task 4 moved from QUEUED to FAILED", 0);
  assertEquals(n.clusterTemplate(a)?.template, "task <*> moved from NEW to RUNNING");
});

Deno.test("TemplateMiner: JSON lines group by their members; template text keeps the JSON as written", () => {
  const m = new TemplateMiner();
  const users = ["alice", "bob", "carol", "dave"];
  const ids = users.map((u, i) =>
    m.mine(`{"level":"info","ts":"2026-01-0${i + 1}T10:00:00Z","msg":"user logged in","user":"${u}"}`, 0)
      .clusterId
  );
  assertEquals(new Set(ids.map((id) => m.currentClusterId(id))).size, 1);
  const t = m.clusterTemplate(ids[0])!.template;
  assertEquals(t, '{"level":"info","ts":"<*>","msg":"user logged in","user":"<*>"}');
  const restored = TemplateMiner.fromJSON(JSON.parse(JSON.stringify(m)));
  assertEquals(
    restored.mine('{"level":"info","ts":"x1","msg":"user logged in","user":"erin"}', 0).template,
    t,
  );
});

Deno.test("TemplateMiner: framed tokens with variables taking three values at one position of a leaf merge", () => {
  const m = new TemplateMiner();
  const ids = ["auth-1.eu/catalog:1", "search-2.us/ledger:2", "orders-3.dc/gateway:3"].map((img) =>
    m.mine(`"Pulling image" image="registry.${img}"`, 0).clusterId
  );
  assertEquals(new Set(ids.map((id) => m.currentClusterId(id))).size, 1);
  // plain words at one position of a short message stay apart (no variable where they differ)
  const n = new TemplateMiner();
  const words = ["(start)", "(stop)", "(reload)"].map((w) => n.mine(`service x ${w}`, 0).clusterId);
  assertEquals(new Set(words.map((id) => n.currentClusterId(id))).size, 3);
});

Deno.test("TemplateMiner: a path or URL masked whole keeps the message's quotes and brackets in the text", () => {
  const m = new TemplateMiner();
  m.mine('open() "/srv/a/b.html" failed, client: 10.0.0.1', 0);
  const r = m.mine('open() "/var/www/c.js" failed, client: 10.0.0.2', 0);
  assertEquals(r.template, 'open() "<*>" failed, client: <*>');
  assertEquals(r.params, ["/var/www/c.js", "10.0.0.2"]);
  // grouping is unchanged: the same path unquoted joins the template, whose text then widens
  assertEquals(m.mine("open() /x/y/z failed, client: 10.0.0.3", 0).clusterId, r.clusterId);
});

Deno.test("TemplateMiner: mergeTemplates and jsonMembers off give the miner's grouping before them", () => {
  const lines = ["(alice) CMD run", "(bob) CMD run", "(carol) CMD run"];
  const off = new TemplateMiner({ mergeTemplates: false });
  assertEquals(new Set(lines.map((l) => off.currentClusterId(off.mine(l, 0).clusterId))).size, 3);
  const on = new TemplateMiner();
  const ids = lines.map((l) => on.mine(l, 0).clusterId);
  assertEquals(new Set(ids.map((id) => on.currentClusterId(id))).size, 1);
  const json = new TemplateMiner({ jsonMembers: false });
  assertEquals(json.mine('{"a":"x","b":"y"}', 0).template, '{"a":"x","b":"y"}');
  assertEquals(TemplateMiner.fromJSON(JSON.parse(JSON.stringify(json))).options.jsonMembers, false);
});

Deno.test("TemplateMiner: readableAffixes keeps joined words and URL schemes in the text, grouping unchanged", () => {
  const lines = [
    "orders.service: Deactivated successfully.",
    "auth.service: Deactivated successfully.",
    "search.service: Deactivated successfully.",
    'upstream: "http://10.0.0.1:8080/a/b", host: "x"',
    'upstream: "http://10.0.0.2:9090/c/d", host: "x"',
    'Killing containerID="containerd://0a1b2c3d4e5f" gracePeriod=30',
    'Killing containerID="containerd://9f8e7d6c5b4a" gracePeriod=30',
    "Server DOWN, reason: refused backend orders_backend/orders12",
    "Server DOWN, reason: refused backend billing_backend/billing24",
  ];
  const on = new TemplateMiner();
  const off = new TemplateMiner({ readableAffixes: false });
  const a = lines.map((l) => on.mine(l, 0).clusterId).map((id) => on.currentClusterId(id));
  const b = lines.map((l) => off.mine(l, 0).clusterId).map((id) => off.currentClusterId(id));
  assertEquals(a, b); // the same groups
  const text = (m: TemplateMiner, ids: number[]) =>
    [...new Set(ids)].map((id) => m.clusterTemplate(id)?.template);
  assertEquals(text(on, a), [
    "<*>.service: Deactivated successfully.",
    'upstream: "http://<*>", host: "x"',
    'Killing containerID="containerd://<*>" gracePeriod=<*>',
    "Server DOWN, reason: refused backend <*>_backend/<*>",
  ]);
  assertEquals(text(off, b), [
    "<*>: Deactivated successfully.",
    'upstream: "<*>", host: "x"',
    'Killing containerID=<*>" gracePeriod=<*>',
    "Server DOWN, reason: refused backend <*>",
  ]);
  // params are read against the text: the scheme is not part of the value
  assertEquals(on.mine('upstream: "http://10.0.0.3:80/e/f", host: "x"', 0).params, ["10.0.0.3:80/e/f"]);
});

Deno.test("TemplateMiner: readablePaths shows an id-named file's shape in the text; params are the path parts", () => {
  const lines = [
    "Deleting block blk_1 file /mnt/dfs/data/current/subdir5/blk_1",
    "Deleting block blk_2 file /mnt/dfs/data/current/blk_2",
  ];
  const on = new TemplateMiner();
  const off = new TemplateMiner({ readablePaths: false });
  const r = lines.map((l) => on.mine(l, 0));
  const s = lines.map((l) => off.mine(l, 0));
  assertEquals(r.map((x) => x.clusterId), s.map((x) => x.clusterId)); // the same groups
  assertEquals(r[1].template, "Deleting block blk_<*> file /<*>/blk_<*>");
  assertEquals(s[1].template, "Deleting block blk_<*> file <*>");
  assertEquals(r[1].params, ["2", "mnt/dfs/data/current", "2"]);
});
