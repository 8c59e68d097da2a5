import assert from "node:assert/strict";
import fc from "fast-check";
import { LogEventSchema } from "../event/log_event.ts";
import { draftToEvent } from "./ingest_event.ts";
import { parseSyslog } from "./syslog_message.ts";

const RECEIVED = Date.UTC(2026, 11, 3, 18, 0, 0);
const ctx = { source: "syslog-test", system: "syslog", peerHost: "10.0.0.9", maxChars: 65_536 };

Deno.test("RFC 5424: header, structured data (escapes) and BOM'd message become the event's fields", () => {
  const text =
    '<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog 1234 ID47 [exampleSDID@32473 iut="3" eventSource="Appl\\"ica\\]tion" eventID="1011"][examplePriority@32473 class="high"] \uFEFFAn application event';
  const d = parseSyslog(text, [], RECEIVED);
  assert.equal(d.parseError, undefined);
  assert.equal(d.tsMs, Date.UTC(2003, 9, 11, 22, 14, 15, 3));
  assert.equal(d.host, "mymachine.example.com");
  assert.equal(d.component, "evntslog");
  assert.equal(d.level, "notice"); // 165 = local4.notice
  assert.equal(d.content, "An application event");
  assert.deepEqual(d.fields, {
    facility: "local4",
    severity: "notice",
    appName: "evntslog",
    procId: "1234",
    msgId: "ID47",
    "exampleSDID@32473.iut": "3",
    "exampleSDID@32473.eventSource": 'Appl"ica]tion',
    "exampleSDID@32473.eventID": "1011",
    "examplePriority@32473.class": "high",
  });
});

Deno.test("RFC 5424 with nil values and no message; severities map to levels", () => {
  const d = parseSyslog("<8>1 - - - - - -", [], RECEIVED);
  assert.equal(d.parseError, undefined);
  assert.equal(d.tsMs, undefined);
  assert.equal(d.level, "fatal"); // user.emerg
  assert.equal(d.content, "");
  const e = draftToEvent(d, ctx, RECEIVED);
  assert.equal(e.host, "10.0.0.9"); // the peer when the message names no host
  assert.ok(e.flags.includes("ts_from_ingest"));
  const levels = [0, 1, 2, 3, 4, 5, 6, 7].map((s) =>
    parseSyslog(`<${8 + s}>1 - h a - - - m`, [], RECEIVED).level
  );
  assert.deepEqual(levels, ["fatal", "critical", "critical", "error", "warn", "notice", "info", "debug"]);
});

Deno.test("RFC 3164: time, host, tag[pid]; without host (local senders); with an ISO time", () => {
  const a = parseSyslog(
    "<34>Oct 11 22:14:15 mymachine su[230]: 'su root' failed for lonvick on /dev/pts/8",
    [],
    RECEIVED,
  );
  assert.equal(a.tsMs, Date.UTC(2026, 9, 11, 22, 14, 15));
  assert.equal(a.host, "mymachine");
  assert.equal(a.component, "su");
  assert.equal(a.fields.procId, "230");
  assert.equal(a.level, "critical"); // auth.crit
  assert.equal(a.content, "'su root' failed for lonvick on /dev/pts/8");
  const b = parseSyslog("<13>Dec  3 18:05:00 root: hello there", [], RECEIVED);
  assert.equal(b.host, "");
  assert.equal(b.component, "root");
  assert.equal(b.content, "hello there");
  const c = parseSyslog("<30>2026-12-03T18:05:00.123+01:00 web01 nginx: GET /", [], RECEIVED);
  assert.equal(c.tsMs, Date.UTC(2026, 11, 3, 17, 5, 0, 123));
  assert.equal(c.host, "web01");
  assert.equal(c.component, "nginx");
  assert.equal(c.content, "GET /");
});

Deno.test("hostile syslog: bad PRI, missing fields, broken structured data are kept and flagged, never thrown", () => {
  for (
    const text of ["", "no pri at all", "<>x", "<999>1 x", "<01>x", "<1234>x", "<13", "<13>1", "<13>1 -"]
  ) {
    const d = parseSyslog(text, [], RECEIVED);
    const e = draftToEvent(d, ctx, RECEIVED);
    assert.ok(LogEventSchema.safeParse(e).success, text);
    assert.equal(e.raw, text);
  }
  assert.match(parseSyslog("no pri at all", [], RECEIVED).parseError!, /<PRI>/);
  assert.match(parseSyslog("<13>1 -", [], RECEIVED).parseError!, /incomplete/);
  const sd = parseSyslog('<13>1 - h a - - [id x="unterminated', [], RECEIVED);
  assert.match(sd.parseError!, /unterminated/);
  const sd2 = parseSyslog('<13>1 - h a - - [id x="1" y] msg', [], RECEIVED);
  assert.match(sd2.parseError!, /bad parameter/);
  assert.equal(sd2.fields["id.x"], "1");
});

Deno.test("hostile syslog: a huge message is cut to the limit, control bytes and lone surrogates are flagged", () => {
  const huge = "<13>1 - h app - - - " + "A".repeat(2_000_000);
  const e = draftToEvent(parseSyslog(huge, [], RECEIVED), { ...ctx, maxChars: 65_536 }, RECEIVED);
  assert.ok(e.raw.length <= 65_536 && e.content.length <= 65_536);
  assert.ok(e.flags.includes("truncated"));
  const bin = draftToEvent(
    parseSyslog("<13>1 - h\x00ost app - - - a\x01b\uD800c", [], RECEIVED),
    ctx,
    RECEIVED,
  );
  assert.ok(bin.flags.includes("binary") && bin.flags.includes("invalid_utf8"));
  assert.ok(LogEventSchema.safeParse(bin).success);
});

Deno.test("any text parses within the schema (property)", () => {
  fc.assert(
    fc.property(
      fc.oneof(
        fc.string({ unit: "binary", maxLength: 300 }),
        fc.tuple(fc.integer({ min: -5, max: 300 }), fc.string({ unit: "binary", maxLength: 200 })).map((
          [p, s],
        ) => `<${p}>1 ${s}`),
        fc.string({ unit: "binary", maxLength: 200 }).map((s) => `<13>Dec  3 18:05:00 ${s}`),
        fc.array(fc.constantFrom("[", "]", '"', "\\", "=", " ", "a", "-", "1"), { maxLength: 60 }).map((cs) =>
          `<13>1 - h a - - ${cs.join("")}`
        ),
      ),
      (text) => {
        const e = draftToEvent(parseSyslog(text, [], RECEIVED), ctx, RECEIVED);
        const r = LogEventSchema.safeParse(e);
        assert.ok(r.success, JSON.stringify(text));
      },
    ),
    { numRuns: 2000 },
  );
});
