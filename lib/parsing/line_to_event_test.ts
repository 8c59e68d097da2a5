import { assert, assertEquals } from "./_test_assert.ts";
import { LogEventSchema } from "../event/log_event.ts";
import { resolveLogFormat } from "./log_format.ts";
import { EVENT_ID_SOURCE_CACHE, eventId, lineToEvent } from "./line_to_event.ts";
import { evictionCount } from "../../engine/eviction_tally.ts";
import { parseTimeText } from "./event_timestamp.ts";
import { normaliseLevel } from "./log_level.ts";

const INGEST = Date.UTC(2026, 0, 10, 12, 0, 0);
const ctx = { source: "/logs/x.log", host: "h1" };

Deno.test("lineToEvent: Windows line → full event, schema-valid", () => {
  const e = lineToEvent(
    {
      text: "2016-09-28 04:30:31, Warning               CSI    00000001@2016/9/27:20:30:31.455 Wcp called",
      lineNo: 7,
    },
    resolveLogFormat("windows"),
    ctx,
    INGEST,
  );
  LogEventSchema.parse(e);
  assertEquals(e.ts, "2016-09-28T04:30:31.000Z");
  assertEquals(e.level, "warn");
  assertEquals(e.component, "CSI");
  assertEquals(e.content, "00000001@2016/9/27:20:30:31.455 Wcp called");
  assertEquals(e.fields, { Date: "2016-09-28", Time: "04:30:31", Level: "Warning", Component: "CSI" });
  assertEquals(e.flags, []);
  assertEquals(e.system, "windows");
  assertEquals(e.id, eventId("/logs/x.log", 7));
  assertEquals(e.lineNo, 7);
});

Deno.test("lineToEvent: timestamps of every shared Loghub system (UTC, year-less from ingest year)", () => {
  const cases: [string, string, string][] = [
    [
      "hdfs",
      "081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 terminating",
      "2008-11-09T20:36:15.000Z",
    ],
    [
      "bgl",
      "- 1117838570 2005.06.03 R02-M1-N0-C:J12-U11 2005-06-03-15.42.50.675872 R02-M1-N0-C:J12-U11 RAS KERNEL FATAL x",
      "2005-06-03T15:42:50.675Z",
    ],
    ["hadoop", "2015-10-18 18:01:47,978 INFO [main] org.a.B: Created", "2015-10-18T18:01:47.978Z"],
    [
      "zookeeper",
      "2015-07-29 17:41:44,747 - WARN  [QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2181:FastLeaderElection@774] - x",
      "2015-07-29T17:41:44.747Z",
    ],
    ["apache", "[Sun Dec 04 04:47:44 2005] [error] mod_jk child", "2005-12-04T04:47:44.000Z"],
    [
      "linux",
      "Jun 14 15:16:01 combo sshd(pam_unix)[19939]: check pass; user unknown",
      "2025-06-14T15:16:01.000Z",
    ],
    ["openssh", "Jan  9 06:55:46 LabSZ sshd[24200]: Invalid user webmaster", "2026-01-09T06:55:46.000Z"],
    [
      "android",
      "03-17 16:13:38.811  1702  2395 D WindowManager: printFreezingDisplayLogsopening",
      "2025-03-17T16:13:38.811Z",
    ],
    [
      "healthapp",
      "20171223-22:15:29:606|Step_LSC|30002312|onStandStepChanged 3579",
      "2017-12-23T22:15:29.606Z",
    ],
    ["spark", "17/06/09 20:10:40 INFO executor.Executor: hello", "2017-06-09T20:10:40.000Z"],
    [
      "hpc",
      "134681 node-246 unix.hw state_change.unavailable 1077804742 1 Component State Change",
      "2004-02-26T14:12:22.000Z",
    ],
  ];
  for (const [preset, line, ts] of cases) {
    const e = lineToEvent({ text: line, lineNo: 1 }, resolveLogFormat(preset), ctx, INGEST);
    assertEquals(e.parseError, undefined, preset);
    assertEquals(e.ts, ts, preset);
    assert(!e.flags.includes("ts_from_ingest"), preset);
  }
  // Android's 03-17 is in the past of the ingest year only after mid-March: Jan 10 ingest → previous year
  assertEquals(parseTimeText("03-17 16:13:38.811", INGEST), Date.UTC(2025, 2, 17, 16, 13, 38, 811));
  assertEquals(parseTimeText("2020-01-01T10:00:00+02:00", INGEST), Date.UTC(2020, 0, 1, 8));
  assertEquals(parseTimeText("2020-02-31 10:00:00", INGEST), undefined);
});

Deno.test("lineToEvent: level normalisation incl. BGL and Windows spellings", () => {
  const expected: Record<string, string> = {
    FATAL: "fatal",
    SEVERE: "error",
    FAILURE: "critical",
    WARNING: "warn",
    Info: "info",
    Error: "error",
    notice: "notice",
    crit: "critical",
    emerg: "fatal",
    DEBUG: "debug",
    TRACE: "trace",
    "[warn]": "warn",
  };
  for (const [word, level] of Object.entries(expected)) assertEquals(normaliseLevel(word), level, word);
  assertEquals(normaliseLevel("combo"), undefined);
  const linux = lineToEvent(
    { text: "Jun 14 15:16:01 combo kernel: ERROR disk failed", lineNo: 1 },
    resolveLogFormat("linux"),
    ctx,
    INGEST,
  );
  assertEquals(linux.level, "error"); // host in <Level>: falls back to the keyword in the line
});

Deno.test("lineToEvent: non-matching line → parse_error event with raw kept, ingest time flagged", () => {
  const e = lineToEvent(
    { text: "garbage <script>alert(1)</script>", lineNo: 3 },
    resolveLogFormat("hdfs"),
    ctx,
    INGEST,
  );
  LogEventSchema.parse(e);
  assert(e.parseError?.includes("does not match"));
  assertEquals(e.raw, "garbage <script>alert(1)</script>");
  assertEquals(e.content, e.raw);
  assertEquals(e.flags, ["parse_error", "ts_from_ingest", "level_inferred"]);
  assertEquals(e.ts, new Date(INGEST).toISOString());
});

Deno.test("lineToEvent: hostile text — CR, NUL, lone surrogate, huge line", () => {
  const f = resolveLogFormat("<Level> <Content>");
  const e = lineToEvent(
    { text: "INFO a\u0000b\ud800c\r", lineNo: 1 },
    f,
    { ...ctx, maxLineChars: 100 },
    INGEST,
  );
  assertEquals(e.content, "a\uFFFDb\uFFFDc");
  assertEquals(e.flags.sort(), ["binary", "invalid_utf8", "ts_from_ingest"]);
  const big = lineToEvent(
    { text: "INFO " + "x".repeat(1000), lineNo: 2 },
    f,
    { ...ctx, maxLineChars: 100 },
    INGEST,
  );
  assertEquals(big.raw.length, 100);
  assert(big.flags.includes("truncated"));
  const kept = lineToEvent({ text: "INFO ok", lineNo: 3, flags: ["invalid_utf8"] }, f, ctx, INGEST);
  assert(kept.flags.includes("invalid_utf8"));
  assertEquals(eventId("s", 1, 2), eventId("s", 1) + ":2");
});

Deno.test("lineToEvent: OpenSSH and Linux presets map fields by meaning: host from the line, program, inferred level", () => {
  const ssh = resolveLogFormat("openssh");
  const at = (text: string, format = ssh) => lineToEvent({ text, lineNo: 1 }, format, ctx, INGEST);
  const breakIn = at(
    "Dec 10 06:55:46 LabSZ sshd[24200]: reverse mapping checking getaddrinfo for ns.marryaldkfaczcz.com " +
      "[173.234.31.186] failed - POSSIBLE BREAK-IN ATTEMPT!",
  );
  assertEquals([breakIn.host, breakIn.component, breakIn.level], ["LabSZ", "sshd", "warn"]);
  assertEquals(breakIn.fields.Pid, "24200");
  assertEquals(breakIn.flags.includes("level_inferred"), true);
  const levels = [
    "Dec 10 07:07:38 LabSZ sshd[24206]: Failed password for invalid user test9 from 52.80.34.196 port 36060 ssh2",
    "Dec 10 09:32:20 LabSZ sshd[24680]: error: Received disconnect from 5.36.59.76: 3: Auth fail [preauth]",
    "Dec 10 11:03:40 LabSZ sshd[25448]: fatal: Write failed: Connection reset by peer [preauth]",
    "Dec 10 06:55:48 LabSZ sshd[24200]: pam_unix(sshd:auth): authentication failure; logname= uid=0",
    "Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user webmaster from 173.234.31.186",
    "Dec 10 07:02:47 LabSZ sshd[24203]: Connection closed by 212.47.254.145 [preauth]",
  ].map((l) => at(l).level);
  assertEquals(levels, ["warn", "error", "error", "warn", "warn", "info"]);

  const linux = resolveLogFormat("linux");
  const pam = at(
    "Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure; logname= uid=0 euid=0 rhost=218.188.2.4",
    linux,
  );
  assertEquals([pam.host, pam.component, pam.level], ["combo", "sshd(pam_unix)", "warn"]);
  const fine = at("Jun 14 15:16:02 combo sshd(pam_unix)[19937]: check pass; user unknown", linux);
  assertEquals([fine.host, fine.level], ["combo", "info"]);
  // A custom format with the same field names is taken by its names (no preset roles).
  const custom = at(
    "Jun 14 15:16:02 combo app: hello",
    resolveLogFormat("<Month> <Date> <Time> <Level> <Component>: <Content>"),
  );
  assertEquals([custom.host, custom.component], ["h1", "app"]);
  // Formats without a host field keep the context's host.
  assertEquals(at("081109 203615 148 INFO dfs.DataNode: x", resolveLogFormat("hdfs")).host, "h1");
});

Deno.test("eventId: the per-source cache is bounded; each prefix dropped is tallied, ids unchanged", () => {
  const before = evictionCount("event_id_sources");
  const first = eventId("/src/bounded-0", 7);
  // Whatever the cache held before (fewer than its capacity), 2 × capacity new sources empty it exactly twice.
  for (let i = 1; i <= 2 * EVENT_ID_SOURCE_CACHE; i++) eventId(`/src/bounded-${i}`, 1);
  assertEquals(evictionCount("event_id_sources") - before, 2 * EVENT_ID_SOURCE_CACHE);
  assertEquals(eventId("/src/bounded-0", 7), first, "a re-hashed source keeps its id");
});
