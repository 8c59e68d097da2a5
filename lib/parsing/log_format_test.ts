import { assert, assertEquals, assertThrows } from "./_test_assert.ts";
import { compileLogFormat, LOG_FORMAT_PRESETS, resolveLogFormat } from "./log_format.ts";

const SHARED = new URL("../../../shared/loghub/", import.meta.url);

Deno.test("compileLogFormat: fields, spaces match \\s+, anchored last field takes the rest", () => {
  const f = compileLogFormat("<Date> <Time>, <Level>                  <Component>    <Content>", "windows");
  assertEquals(f.fields, ["Date", "Time", "Level", "Component", "Content"]);
  assertEquals(
    f.match("2016-09-28 04:30:30, Info  CBS    Loaded Servicing Stack v6.1 with Core: C:\\x.dll"),
    {
      Date: "2016-09-28",
      Time: "04:30:30",
      Level: "Info",
      Component: "CBS",
      Content: "Loaded Servicing Stack v6.1 with Core: C:\\x.dll",
    },
  );
  assertEquals(f.match("no match here"), null);
});

Deno.test("compileLogFormat: escaped brackets and optional groups", () => {
  const f = compileLogFormat("<Month> <Date> <Time> <Level> <Component>(\\[<PID>\\])?: <Content>");
  assertEquals(
    f.match("Jun 14 15:16:01 combo sshd(pam_unix)[19939]: check pass; user unknown")?.PID,
    "19939",
  );
  const noPid = f.match("Jun 14 15:16:01 combo kernel: hello world");
  assertEquals(noPid?.PID, "");
  assertEquals(noPid?.Component, "kernel");
  assertEquals(noPid?.Content, "hello world");
});

Deno.test("compileLogFormat: multi-line content matches", () => {
  const f = compileLogFormat("<Level>: <Content>");
  assertEquals(f.match("ERROR: boom\n\tat x.y(Z.java:1)")?.Content, "boom\n\tat x.y(Z.java:1)");
});

Deno.test("compileLogFormat: bad patterns throw RangeError/TypeError with the value", () => {
  assertThrows(() => compileLogFormat(""), RangeError, "current length is 0");
  assertThrows(() => compileLogFormat("no fields"), RangeError, "has no <Field>");
  assertThrows(() => compileLogFormat("<A> <A>"), RangeError, "appears twice");
  assertThrows(() => compileLogFormat("<A> ([<B>"), RangeError, "not a valid expression");
  assertThrows(() => compileLogFormat(42 as unknown as string), TypeError, "current type is number");
});

Deno.test("resolveLogFormat: presets case-insensitively, custom strings, unknown names", () => {
  assertEquals(resolveLogFormat("HDFS").name, "hdfs");
  assertEquals(resolveLogFormat("<Level> <Content>").name, "custom");
  assertThrows(() => resolveLogFormat("nosuch"), RangeError, "neither a preset");
  assertEquals(Object.keys(LOG_FORMAT_PRESETS).length, 16);
});

Deno.test("presets equal Loghub's published formats and parse every line of the 8 shared samples", async () => {
  const published = JSON.parse(await Deno.readTextFile(new URL("formats.json", SHARED))) as Record<
    string,
    string
  >;
  for (const [system, pattern] of Object.entries(published)) {
    assertEquals(LOG_FORMAT_PRESETS[system.toLowerCase()], pattern, system);
  }
  for (const system of ["Apache", "BGL", "HDFS", "Hadoop", "Linux", "OpenSSH", "Windows", "Zookeeper"]) {
    const f = resolveLogFormat(system);
    const lines = (await Deno.readTextFile(new URL(`${system}/${system}_2k.log`, SHARED))).split("\n")
      .filter((l) => l.trim() !== "");
    const failed = lines.filter((l) => f.match(l) === null);
    assertEquals(failed.length, 0, `${system}: ${failed[0]}`);
    assert(lines.length === 2000, `${system} has ${lines.length} lines`);
  }
});
