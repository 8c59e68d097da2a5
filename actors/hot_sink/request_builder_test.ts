import assert from "node:assert/strict";
import {
  buildBulkOps,
  bulkBody,
  dailySuffix,
  eventsIndex,
  incidentOps,
  incidentsIndex,
  recordOps,
  templateOps,
} from "./request_builder.ts";
import { ARCHIVE_EVENT_TIME_WINDOW, deliveryRecord } from "../../testing/delivery_fixtures.ts";
import { testIncident } from "../../testing/incident_fixture.ts";
import { TemplateStats } from "./template_stats.ts";

Deno.test("dailySuffix formats the UTC date", () => {
  assert.equal(dailySuffix(new Date("2016-09-28T23:59:59.999Z")), "2016.09.28");
  assert.equal(dailySuffix(new Date("2017-01-01T00:00:00Z")), "2017.01.01");
});

Deno.test("eventsIndex uses ts, and ingestTs when ts does not parse", () => {
  assert.equal(
    eventsIndex(
      "vigil",
      { ts: "2016-09-28T04:30:31Z", ingestTs: "2026-01-01T00:00:00Z" },
      ARCHIVE_EVENT_TIME_WINDOW,
    ),
    "vigil-events-2016.09.28",
  );
  assert.equal(
    eventsIndex("vigil", { ts: "garbage", ingestTs: "2026-01-01T00:00:00Z" }, ARCHIVE_EVENT_TIME_WINDOW),
    "vigil-events-2026.01.01",
  );
});

Deno.test("recordOps: one index op with the idempotent _id and the Kafka coordinates in the document", () => {
  const ops = recordOps(deliveryRecord(42, { partition: 3 }), 7, "vigil", ARCHIVE_EVENT_TIME_WINDOW);
  assert.equal(ops.length, 1);
  const [action, source] = ops[0].ndjson.trimEnd().split("\n").map((l) => JSON.parse(l));
  assert.deepEqual(action, { index: { _index: "vigil-events-2016.09.28", _id: "vigil.test-3-42" } });
  assert.deepEqual(source.kafka, { topic: "vigil.test", partition: 3, offset: "42" });
  assert.equal(source.content, "Loaded Servicing Stack v6.1.7601.42 with Core");
  assert.deepEqual(ops[0].records, [7]);
  assert.equal(ops[0].ndjson.split("\n").length, 3, "two lines, each ending in a newline");
});

Deno.test("recordOps: a flagged event is stored once, in the events index (its incident is what operators see)", () => {
  for (const classification of ["ANOMALY", "CRITICAL_ANOMALY"] as const) {
    const ops = recordOps(
      deliveryRecord(1, { event: { classification } }),
      0,
      "vigil",
      ARCHIVE_EVENT_TIME_WINDOW,
    );
    assert.deepEqual(ops.map((o) => o.kind), ["event"]);
    assert.deepEqual(JSON.parse(ops[0].ndjson.split("\n")[0]), {
      index: { _index: "vigil-events-2016.09.28", _id: "vigil.test-0-1" },
    });
  }
});

Deno.test("recordOps: HTML, newlines and odd characters stay inside one JSON line", () => {
  const content = '<script>alert(1)</script>\n\r\u2028\u0000\ud800 "quoted"';
  const ops = recordOps(
    deliveryRecord(5, { event: { content, fields: { "a.b": "x", "": "empty" } } }),
    0,
    "vigil",
  );
  const lines = ops[0].ndjson.split("\n");
  assert.equal(lines.length, 3);
  assert.equal(JSON.parse(lines[1]).content, content);
});

Deno.test("templateOps: one upsert per gathered template, carrying no record", () => {
  const stats = new TemplateStats();
  stats.add([
    deliveryRecord(0),
    deliveryRecord(10, { event: { templateId: "t-other", template: "Other <*>" } }),
    deliveryRecord(2),
  ], ARCHIVE_EVENT_TIME_WINDOW);
  const ops = templateOps(stats.take(), "vigil");
  assert.equal(ops.length, 2);
  const [action, body] = ops[0].ndjson.trimEnd().split("\n").map((l) => JSON.parse(l));
  assert.deepEqual(action, { update: { _index: "vigil-templates", _id: "t-loaded", retry_on_conflict: 5 } });
  assert.deepEqual(body.upsert, {
    templateId: "t-loaded",
    template: "Loaded Servicing Stack <*> with Core",
    count: 2,
    firstSeen: "2016-09-28T04:30:00.000Z",
    lastSeen: "2016-09-28T04:30:02.000Z",
    example: "Loaded Servicing Stack v6.1.7601.0 with Core",
  });
  assert.equal(body.script.params.count, 2);
  assert.deepEqual(ops[0].records, [], "no event's delivery waits on the registry");
});

Deno.test("buildBulkOps and bulkBody: one op per event (no template upserts), as valid NDJSON", () => {
  const records = [deliveryRecord(0), deliveryRecord(1, { event: { classification: "ANOMALY" } })];
  const ops = buildBulkOps(records, "logs");
  assert.deepEqual(ops.map((o) => o.kind), ["event", "event"]);
  const body = bulkBody(ops);
  assert.ok(body.endsWith("\n"));
  const lines = body.trimEnd().split("\n");
  assert.equal(lines.length, 4);
  for (const l of lines) JSON.parse(l);
});

Deno.test("incidentOps: one externally versioned index op per incident, its records the carrying events", () => {
  const a = testIncident(1);
  const b = testIncident(2, { version: 4 });
  const records = [
    { ...deliveryRecord(0), incidents: [a] },
    deliveryRecord(1),
    { ...deliveryRecord(2), incidents: [b] },
  ];
  const ops = incidentOps(records, "vigil");
  assert.equal(ops.length, 2);
  const [action, source] = ops[0].ndjson.trimEnd().split("\n").map((l) => JSON.parse(l));
  assert.deepEqual(action, {
    index: { _index: "vigil-incidents", _id: a.id, version: 1, version_type: "external" },
  });
  assert.deepEqual(source, a);
  assert.deepEqual(ops[0].records, [0]);
  assert.equal(JSON.parse(ops[1].ndjson.split("\n")[0]).index.version, 4);
  assert.deepEqual(ops[1].records, [2]);
  assert.equal(incidentsIndex("vigil"), "vigil-incidents");
});

Deno.test("incidentOps: an incident carried several times in a batch is written once, at its highest version", () => {
  const v = (version: number) => testIncident(1, { version, count: version });
  const records = [
    { ...deliveryRecord(0), incidents: [v(2)] },
    { ...deliveryRecord(1), incidents: [v(5), testIncident(2)] },
    { ...deliveryRecord(2), incidents: [v(3)] },
  ];
  const ops = incidentOps(records, "vigil");
  assert.equal(ops.length, 2);
  const [action, source] = ops[0].ndjson.trimEnd().split("\n").map((l) => JSON.parse(l));
  assert.equal(action.index.version, 5);
  assert.equal(source.count, 5);
  assert.deepEqual(ops[0].records, [0, 1, 2], "every event that changed it waits for the newest version");
  assert.deepEqual(ops[1].records, [1]);
});

Deno.test("buildBulkOps: incident ops come after the events; the event document has no incidents", () => {
  const records = [{
    ...deliveryRecord(0, { event: { classification: "ANOMALY" } }),
    incidents: [testIncident(1)],
  }];
  const ops = buildBulkOps(records, "vigil");
  assert.deepEqual(ops.map((o) => o.kind), ["event", "incident"]);
  assert.equal(JSON.parse(ops[0].ndjson.split("\n")[1]).incidents, undefined);
  assert.deepEqual(incidentOps([deliveryRecord(0), { ...deliveryRecord(1), incidents: [] }], "vigil"), []);
});
