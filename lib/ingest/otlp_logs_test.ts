import assert from "node:assert/strict";
import { LogEventSchema } from "../event/log_event.ts";
import { draftToEvent } from "./ingest_event.ts";
import { otlpLogsToDrafts, OtlpShapeError, severityNumberLevel } from "./otlp_logs.ts";

const ctx = { source: "otlp-test", system: "otlp", peerHost: "127.0.0.1", maxChars: 65_536 };

Deno.test("OTLP JSON: resource, scope, record fields map to the event as documented", () => {
  const drafts = otlpLogsToDrafts({
    resourceLogs: [{
      resource: {
        attributes: [
          { key: "service.name", value: { stringValue: "checkout" } },
          { key: "host.name", value: { stringValue: "web-7" } },
          { key: "k8s.pod.uid", value: { stringValue: "abc" } },
        ],
      },
      scopeLogs: [{
        scope: { name: "app.logger" },
        logRecords: [
          {
            timeUnixNano: "1544712660300000000",
            observedTimeUnixNano: "1544712660400000000",
            severityNumber: 17,
            severityText: "Error",
            body: { stringValue: "payment failed" },
            attributes: [
              { key: "http.status", value: { intValue: "502" } },
              { key: "retry", value: { boolValue: true } },
              {
                key: "tags",
                value: { arrayValue: { values: [{ stringValue: "a" }, { doubleValue: 1.5 }] } },
              },
            ],
            traceId: "5b8efff798038103d269b633813fc60c",
            spanId: "eee19b7ec3c1b174",
          },
          {
            observedTimeUnixNano: 1544712660400000000,
            severityText: "WARN",
            body: { kvlistValue: { values: [{ key: "a", value: { intValue: 1 } }] } },
          },
          { body: { stringValue: "ERROR something" } },
        ],
      }],
    }],
  });
  assert.equal(drafts.length, 3);
  const [a, b, c] = drafts.map((d) => draftToEvent(d, ctx, Date.UTC(2026, 0, 1)));
  assert.equal(a.ts, "2018-12-13T14:51:00.300Z");
  assert.equal(a.level, "error");
  assert.equal(a.host, "web-7");
  assert.equal(a.component, "checkout");
  assert.equal(a.content, "payment failed");
  assert.deepEqual(a.fields, {
    "resource.k8s.pod.uid": "abc",
    "http.status": "502",
    retry: "true",
    tags: '["a",1.5]',
    scope: "app.logger",
    severityText: "Error",
    traceId: "5b8efff798038103d269b633813fc60c",
    spanId: "eee19b7ec3c1b174",
  });
  assert.deepEqual(a.flags, []);
  assert.equal(b.ts, "2018-12-13T14:51:00.400Z"); // observed time when there is no event time
  assert.equal(b.level, "warn");
  assert.equal(b.content, '{"a":"1"}');
  assert.ok(c.flags.includes("ts_from_ingest") && c.flags.includes("level_inferred"));
  assert.equal(c.level, "error");
  for (const e of [a, b, c]) assert.ok(LogEventSchema.safeParse(e).success);
});

Deno.test("severityNumber ranges", () => {
  assert.deepEqual(
    [1, 4, 5, 9, 12, 13, 17, 21, 24].map(severityNumberLevel),
    ["trace", "trace", "debug", "info", "info", "warn", "error", "fatal", "fatal"],
  );
  assert.equal(severityNumberLevel(0), undefined);
  assert.equal(severityNumberLevel(25), undefined);
});

Deno.test("hostile OTLP: wrong shapes throw OtlpShapeError; deep nesting, huge times and odd values stay in the schema", () => {
  for (
    const bad of [null, 7, "x", [], { resourceLogs: {} }, { resourceLogs: [1] }, {
      resourceLogs: [{ scopeLogs: [{ logRecords: [null] }] }],
    }]
  ) {
    assert.throws(() => otlpLogsToDrafts(bad), OtlpShapeError);
  }
  assert.deepEqual(otlpLogsToDrafts({}), []);
  let deep: unknown = { stringValue: "bottom" };
  for (let i = 0; i < 5000; i++) deep = { arrayValue: { values: [deep] } };
  const drafts = otlpLogsToDrafts({
    resourceLogs: [{
      scopeLogs: [{
        logRecords: [
          { body: deep, timeUnixNano: "-5", severityNumber: "x" },
          {
            body: { stringValue: "a\u0000b\uD800" },
            attributes: [{ key: "\u0000k", value: { stringValue: "v".repeat(100_000) } }],
          },
          {
            attributes: Array.from(
              { length: 500 },
              (_, i) => ({ key: `k${i}`, value: { stringValue: "v" } }),
            ),
          },
        ],
      }],
    }],
  });
  const events = drafts.map((d) => draftToEvent(d, ctx));
  for (const e of events) assert.ok(LogEventSchema.safeParse(e).success, JSON.stringify(e).slice(0, 200));
  assert.ok(events[0].flags.includes("ts_from_ingest"));
  assert.ok(events[1].flags.includes("binary") && events[1].flags.includes("truncated"));
  assert.equal(events[2].fields.droppedFields, "372");
});
