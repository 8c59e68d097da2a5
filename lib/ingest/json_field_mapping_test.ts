import assert from "node:assert/strict";
import { LogEventSchema } from "../event/log_event.ts";
import { draftToEvent } from "./ingest_event.ts";
import { DEFAULT_JSON_FIELD_MAPPING, jsonDocumentToDraft, jsonFieldMapping } from "./json_field_mapping.ts";

const ctx = { source: "bulk-test", system: "bulk", peerHost: "10.1.1.1", maxChars: 65_536 };
const NOW = Date.UTC(2026, 11, 3, 18, 0, 0);

Deno.test("a Winlogbeat record: host, provider as component, level, event id and record id in fields", () => {
  const doc = {
    "@timestamp": "2026-12-03T17:59:58.123Z",
    message: "An account was successfully logged on.",
    event: { code: "4624", kind: "event", provider: "Microsoft-Windows-Security-Auditing", action: "Logon" },
    log: { level: "information" },
    winlog: {
      channel: "Security",
      provider_name: "Microsoft-Windows-Security-Auditing",
      event_id: "4624",
      record_id: 123456,
      computer_name: "DC01.corp.local",
      event_data: { LogonType: "3", TargetUserName: "alice" },
      keywords: ["Audit Success"],
    },
    host: { name: "dc01" },
    agent: { type: "winlogbeat", version: "8.15.0" },
  };
  const e = draftToEvent(
    jsonDocumentToDraft(doc, JSON.stringify(doc), DEFAULT_JSON_FIELD_MAPPING, NOW),
    ctx,
    NOW,
  );
  assert.equal(e.ts, "2026-12-03T17:59:58.123Z");
  assert.equal(e.host, "dc01");
  assert.equal(e.component, "Microsoft-Windows-Security-Auditing");
  assert.equal(e.level, "info");
  assert.equal(e.content, "An account was successfully logged on.");
  assert.equal(e.fields["winlog.event_id"], "4624");
  assert.equal(e.fields["winlog.record_id"], "123456");
  assert.equal(e.fields["winlog.channel"], "Security");
  assert.equal(e.fields["event.code"], "4624");
  assert.equal(e.fields["winlog.event_data.TargetUserName"], "alice");
  assert.equal(e.fields["winlog.keywords"], '["Audit Success"]');
  assert.equal(e.fields.message, undefined); // mapped, not repeated
  assert.deepEqual(e.flags, []);
  assert.ok(LogEventSchema.safeParse(e).success);
});

Deno.test("dotted keys as Fluent Bit / Vector send them, epoch times, and a configured mapping first", () => {
  const dotted = {
    "@timestamp": 1764784800,
    "log.level": "WARN",
    "host.name": "web-1",
    "service.name": "api",
    message: "slow",
  };
  const d = jsonDocumentToDraft(dotted, "", DEFAULT_JSON_FIELD_MAPPING, NOW);
  assert.equal(d.tsMs, 1764784800_000);
  assert.equal(d.level, "warn");
  assert.equal(d.host, "web-1");
  assert.equal(d.component, "api");
  const mapping = jsonFieldMapping({ message: ["msg_text"], host: ["origin.server"] });
  assert.deepEqual(mapping.message.slice(0, 2), ["msg_text", "message"]);
  const custom = jsonDocumentToDraft(
    { msg_text: "custom", message: "ignored", origin: { server: "s9" } },
    "",
    mapping,
    NOW,
  );
  assert.equal(custom.content, "custom");
  assert.equal(custom.host, "s9");
});

Deno.test("hostile documents: not an object, no message, deep nesting, odd values stay in the schema", () => {
  for (
    const doc of [null, 5, "text", [1, 2], {}, { message: { nested: true } }, {
      "@timestamp": "yesterday-ish",
    }]
  ) {
    const raw = JSON.stringify(doc);
    const e = draftToEvent(jsonDocumentToDraft(doc, raw, DEFAULT_JSON_FIELD_MAPPING, NOW), ctx, NOW);
    assert.ok(LogEventSchema.safeParse(e).success, raw);
  }
  assert.match(jsonDocumentToDraft(5, "5", DEFAULT_JSON_FIELD_MAPPING, NOW).parseError!, /not a JSON object/);
  const noMessage = jsonDocumentToDraft({ a: 1 }, '{"a":1}', DEFAULT_JSON_FIELD_MAPPING, NOW);
  assert.equal(noMessage.content, '{"a":1}'); // the document itself
  let deep: Record<string, unknown> = { leaf: "x" };
  for (let i = 0; i < 2000; i++) deep = { d: deep };
  const e = draftToEvent(jsonDocumentToDraft(deep, "{}", DEFAULT_JSON_FIELD_MAPPING, NOW), ctx, NOW);
  assert.ok(LogEventSchema.safeParse(e).success);
  assert.ok(e.fields["d.d.d.d.d.d"].length <= 8192);
});
