import assert from "node:assert/strict";
import {
  DEFAULT_EVENT_TIME_WINDOW,
  eventTimeWindowFromConfig,
  KEEP_FOREVER_MAX_AGE_DAYS,
  routingIso,
  routingTime,
} from "./routing_time.ts";
import { parseConfig } from "../lib/config/vigil_config.ts";
import { recordOps } from "./hot_sink/request_builder.ts";
import { objectKey } from "./cold_sink/object_key.ts";
import type { DeliveryRecord } from "./delivery_record.ts";
import type { ClassifiedEvent } from "../lib/event/log_event.ts";

const DAY = 86_400_000;
const window = { maxAgeMs: 30 * DAY, maxAheadMs: DAY };
const ingestTs = "2026-12-03T12:00:00.000Z";
const now = () => Date.parse("2026-12-03T12:00:05.000Z");

Deno.test("routingTime: a ts inside the window routes as is", () => {
  const r = routingTime({ ts: "2026-11-20T08:00:00.000Z", ingestTs }, window, now);
  assert.deepEqual(r, { date: new Date("2026-11-20T08:00:00.000Z"), clamped: false });
});

Deno.test("routingTime: 1970 and 9999 are clamped to the window's edges around ingestTs", () => {
  assert.deepEqual(routingTime({ ts: "1970-01-01T00:00:00.000Z", ingestTs }, window, now), {
    date: new Date("2026-11-03T12:00:00.000Z"),
    clamped: true,
  });
  assert.deepEqual(routingTime({ ts: "9999-12-31T23:59:59.000Z", ingestTs }, window, now), {
    date: new Date("2026-12-04T12:00:00.000Z"),
    clamped: true,
  });
  assert.deepEqual(routingTime({ ts: "not a time", ingestTs }, window, now), {
    date: new Date(ingestTs),
    clamped: true,
  });
});

Deno.test("routingTime: redelivered days later, an event routes the same way (window around ingestTs, not now)", () => {
  const event = { ts: "1970-01-01T00:00:00.000Z", ingestTs };
  const first = routingTime(event, window, now);
  const later = routingTime(event, window, () => now() + 20 * DAY);
  assert.deepEqual(later, first);
});

Deno.test("routingTime: a hostile ingestTs is itself clamped around now, so it cannot spread indices either", () => {
  const r = routingTime(
    { ts: "9999-01-01T00:00:00.000Z", ingestTs: "9999-01-01T00:00:00.000Z" },
    window,
    now,
  );
  assert.deepEqual(r.date, new Date(now() + 2 * DAY)); // anchor now + 1 day, then + 1 day ahead
  const old = routingTime(
    { ts: "0001-01-01T00:00:00.000Z", ingestTs: "0001-01-01T00:00:00.000Z" },
    window,
    now,
  );
  assert.deepEqual(old.date, new Date(now() - 60 * DAY));
});

Deno.test("hot index and cold partition use the same clamp; the document keeps its ts and says tsClamped", () => {
  // recordOps and objectKey read the wall clock: ingest now, so the anchor is the event's own ingestTs.
  const event = {
    ts: "9999-12-31T23:59:59.000Z",
    ingestTs: new Date().toISOString(),
    classification: "NORMAL",
  } as ClassifiedEvent;
  const record = { event, kafka: { topic: "t", partition: 0, offset: "5" } } as DeliveryRecord;
  const [action, source] = recordOps(record, 0, "vigil", window)[0].ndjson.trim().split("\n").map((l) =>
    JSON.parse(l)
  );
  const routed = routingTime(event, window).date;
  assert.equal(routed.getTime(), Date.parse(event.ingestTs) + DAY);
  const day = routed.toISOString().slice(0, 10);
  assert.equal(action.index._index, `vigil-events-${day.replaceAll("-", ".")}`);
  assert.equal(source.ts, "9999-12-31T23:59:59.000Z");
  assert.equal(source.tsClamped, true);
  const hour = routed.toISOString().slice(11, 13);
  assert.match(
    objectKey("", event, record.kafka, 100, window),
    new RegExp(`^events/dt=${day}/hour=${hour}/`),
  );
  const inside = { ...record, event: { ...event, ts: event.ingestTs } };
  assert.equal(
    JSON.parse(recordOps(inside, 0, "vigil", window)[0].ndjson.split("\n")[1]).tsClamped,
    undefined,
  );
});

Deno.test("routingTime: computed once per event and window (both sinks see the same time); routingIso matches", () => {
  const ingest = Date.now();
  const event = { ts: new Date(ingest - 3 * DAY).toISOString(), ingestTs: new Date(ingest).toISOString() };
  const first = routingTime(event);
  assert.equal(
    routingTime(event, { ...DEFAULT_EVENT_TIME_WINDOW }),
    first,
    "an equal window is the same window",
  );
  assert.equal(routingIso(event), event.ts);
  const narrow = { maxAgeMs: DAY, maxAheadMs: DAY };
  assert.notEqual(
    routingTime(event, narrow).date.getTime(),
    first.date.getTime(),
    "another window routes anew",
  );
});

Deno.test("eventTimeWindowFromConfig: retention-sized by default (hot.retentionDays … + 24 h), explicit days win", () => {
  const of = (settings: Record<string, unknown>) => eventTimeWindowFromConfig(parseConfig(settings, {}));
  assert.deepEqual(of({}), { maxAgeMs: 7 * DAY, maxAheadMs: DAY }, "hot.retentionDays defaults to 7");
  assert.deepEqual(of({}), DEFAULT_EVENT_TIME_WINDOW, "a sink built without a config agrees");
  assert.deepEqual(of({ hot: { retentionDays: 30 } }), { maxAgeMs: 30 * DAY, maxAheadMs: DAY });
  assert.deepEqual(
    of({ hot: { retentionDays: 0 } }).maxAgeMs,
    KEEP_FOREVER_MAX_AGE_DAYS * DAY,
    "kept for ever",
  );
  assert.equal(of({ hot: { retentionDays: 2 / 86_400 } }).maxAgeMs, 2_000, "fractions round to whole ms");
  assert.deepEqual(
    of({ hot: { retentionDays: 30 }, delivery: { eventTimeMaxAgeDays: 7305, eventTimeMaxAheadHours: 2 } }),
    { maxAgeMs: 7305 * DAY, maxAheadMs: 2 * 3_600_000 },
  );
});

Deno.test("routingTime with the default window: a Loghub 2016 line ingested now routes 7 days back, ts kept", () => {
  const ingest = "2026-12-03T12:00:00.000Z";
  const r = routingTime({ ts: "2016-09-28T04:30:00.000Z", ingestTs: ingest }, DEFAULT_EVENT_TIME_WINDOW, now);
  assert.deepEqual(r, { date: new Date(Date.parse(ingest) - 7 * DAY), clamped: true });
  const recent = "2026-11-27T00:00:00.000Z";
  assert.deepEqual(routingTime({ ts: recent, ingestTs: ingest }, DEFAULT_EVENT_TIME_WINDOW, now), {
    date: new Date(recent),
    clamped: false,
  });
});
