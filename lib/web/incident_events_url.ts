/**
 * The explorer link of an incident: its events (`incidentId`) over its episode, padded by a second each side
 * so the first and latest events are inside the window whatever the rounding.
 *
 * @module
 */
import type { Incident } from "../incidents/incident.ts";

/**
 * The `/events?…` URL listing an incident's events.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { incidentEventsUrl } from "./incident_events_url.ts";
 * assert.equal(
 *   incidentEventsUrl({
 *     id: "inc-1", firstTs: "2026-11-29T04:00:00.000Z", lastTs: "2026-11-29T04:01:00.000Z",
 *   }),
 *   "/events?incidentId=inc-1&range=custom" +
 *     "&from=2026-11-29T03%3A59%3A59.000Z&to=2026-11-29T04%3A01%3A01.000Z",
 * );
 * ```
 */
export function incidentEventsUrl(incident: Pick<Incident, "id" | "firstTs" | "lastTs">): string {
  const first = Date.parse(incident.firstTs);
  const last = Date.parse(incident.lastTs);
  const p = new URLSearchParams({ incidentId: incident.id });
  if (Number.isFinite(first) && Number.isFinite(last)) {
    p.set("range", "custom");
    p.set("from", new Date(first - 1000).toISOString());
    p.set("to", new Date(Math.max(last, first) + 1000).toISOString());
  } else {
    p.set("range", "30d");
  }
  return "/events?" + p.toString();
}
