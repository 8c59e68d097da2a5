import assert from "node:assert/strict";
import { NAV, navHref } from "./page_shell.tsx";

const entry = (href: string) => NAV.find((n) => n.href === href)!;

Deno.test("navHref: timed pages keep the chosen window; other parameters and the Pipeline page do not", () => {
  const custom = new URLSearchParams(
    "range=custom&from=2016-09-28T04:30:29.000Z&to=2016-09-29T02:04:01.000Z&level=error&page=3",
  );
  assert.equal(
    navHref(entry("/events"), custom),
    "/events?range=custom&from=2016-09-28T04%3A30%3A29.000Z&to=2016-09-29T02%3A04%3A01.000Z",
  );
  assert.equal(navHref(entry("/anomalies"), new URLSearchParams("range=7d")), "/anomalies?range=7d");
  assert.equal(navHref(entry("/pipeline"), custom), "/pipeline");
  // No window chosen: each page keeps its own default.
  assert.equal(navHref(entry("/templates"), new URLSearchParams("q=disk")), "/templates");
  assert.equal(navHref(entry("/")), "/");
});
