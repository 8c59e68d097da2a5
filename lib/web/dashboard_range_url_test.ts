import assert from "node:assert/strict";
import { dashboardBaseUrl, dashboardRangeUrl } from "./dashboard_range_url.ts";
import { parseWindowQuery } from "./window_query.ts";

Deno.test("dashboardRangeUrl opens a custom window padded by a second around the event-time range", () => {
  const url = dashboardRangeUrl(
    "http://localhost:8000/",
    "2016-09-28T04:30:30.000Z",
    "2016-09-29T02:04:00.000Z",
  );
  assert.equal(
    url,
    "http://localhost:8000/?range=custom&from=2016-09-28T04%3A30%3A29.000Z&to=2016-09-29T02%3A04%3A01.000Z",
  );
  // Milliseconds round outwards; reversed bounds are put in order; another page keeps the range.
  assert.equal(
    dashboardRangeUrl(
      "http://127.0.0.1:8000/",
      "2016-09-29T00:00:00.900Z",
      "2016-09-28T00:00:00.100Z",
      "/events",
    ),
    "http://127.0.0.1:8000/events?range=custom&from=2016-09-27T23%3A59%3A59.000Z&to=2016-09-29T00%3A00%3A02.000Z",
  );
  assert.throws(
    () => dashboardRangeUrl("http://localhost:8000/", "yesterday", "2016-09-28T00:00:00Z"),
    RangeError,
  );
});

Deno.test("dashboardRangeUrl: the dashboard reads the URL back as a window holding both ends", () => {
  const from = "2016-09-28T04:30:30.250Z";
  const to = "2016-09-29T02:04:00.750Z";
  const url = new URL(dashboardRangeUrl("http://localhost:8000/", from, to));
  const { window } = parseWindowQuery(url.searchParams, new Date("2026-12-03T00:00:00Z"), "15m");
  assert.equal(window.range, "custom");
  assert.ok(window.from.getTime() <= Date.parse(from) && window.to.getTime() >= Date.parse(to));
});

Deno.test("dashboardBaseUrl turns a wildcard listen address into localhost and brackets IPv6", () => {
  assert.equal(dashboardBaseUrl("0.0.0.0", 8000), "http://localhost:8000/");
  assert.equal(dashboardBaseUrl("::", 8000), "http://localhost:8000/");
  assert.equal(dashboardBaseUrl("127.0.0.1", 9000), "http://127.0.0.1:9000/");
  assert.equal(dashboardBaseUrl("::1", 8000), "http://[::1]:8000/");
});
