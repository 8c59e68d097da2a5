import assert from "node:assert/strict";
import { parseEventQuery } from "./event_query.ts";
import { incidentEventsUrl } from "./incident_events_url.ts";

Deno.test("incidentEventsUrl is a valid explorer query for the incident over its episode", () => {
  const url = incidentEventsUrl({
    id: "inc-a&b",
    firstTs: "2026-11-29T04:00:00.000Z",
    lastTs: "2026-11-29T04:00:00.000Z",
  });
  const q = parseEventQuery(new URL(url, "http://x").searchParams);
  assert.equal(q.incidentId, "inc-a&b");
  assert.equal(q.range, "custom");
  assert.equal(q.from, "2026-11-29T03:59:59.000Z");
  assert.equal(q.to, "2026-11-29T04:00:01.000Z");
  const broken = incidentEventsUrl({ id: "i", firstTs: "", lastTs: "" });
  assert.equal(parseEventQuery(new URL(broken, "http://x").searchParams).range, "30d");
});
