import { assert, assertEquals, assertThrows } from "./_test_assert.ts";
import { resolveLogFormat } from "./log_format.ts";
import { LineAssembler } from "./line_assembler.ts";

const f = resolveLogFormat("<Date> <Time> <Level> <Component>: <Content>");
const ctx = { source: "s", host: "h" };

Deno.test("LineAssembler: stack trace lines attach to the previous event; counts in = counts out", () => {
  const a = new LineAssembler(f, ctx);
  const lines = [
    "2020-01-01 00:00:00 ERROR app: boom",
    "java.lang.IllegalStateException: x", // not indented, not matching → its own parse_error event
    "\tat a.b.C.d(C.java:1)",
    "Caused by: java.io.IOException: y",
    "\t... 3 more",
    "",
    "2020-01-01 00:00:01 INFO app: fine",
  ];
  const out = lines.flatMap((text, i) => a.push({ text, lineNo: i + 1 }, 0));
  out.push(...a.flush());
  assertEquals(out.length, 3);
  assertEquals(out[0].content, "boom");
  assertEquals(out[1].parseError !== undefined, true);
  assertEquals(
    out[1].raw,
    "java.lang.IllegalStateException: x\n\tat a.b.C.d(C.java:1)\nCaused by: java.io.IOException: y\n\t... 3 more",
  );
  assert(out[1].flags.includes("multiline"));
  assertEquals(out[2].lineNo, 7);
  assertEquals(a.stats, { lines: 7, empty: 1, continuations: 3, events: 3, parseErrors: 1 });
});

Deno.test("LineAssembler: rules unmatched/none, size cap, bad options", () => {
  const u = new LineAssembler(f, ctx, { continuation: "unmatched", maxEventChars: 50 });
  u.push({ text: "2020-01-01 00:00:00 ERROR app: boom", lineNo: 1 }, 0);
  u.push({ text: "plain continuation", lineNo: 2 }, 0);
  u.push({ text: "x".repeat(100), lineNo: 3 }, 0);
  const [e] = u.flush();
  assert(e.raw.length <= 50);
  assert(e.flags.includes("truncated") && e.flags.includes("multiline"));
  const n = new LineAssembler(f, ctx, { continuation: "none" });
  const out = ["2020-01-01 00:00:00 ERROR app: boom", "\tindented"].flatMap((text, i) =>
    n.push({ text, lineNo: i + 1 }, 0)
  );
  out.push(...n.flush());
  assertEquals(out.length, 2);
  assertThrows(() => new LineAssembler(f, ctx, { maxEventChars: 0 }), RangeError, "current value is 0");
  assertThrows(
    () => new LineAssembler(f, ctx, { continuation: "x" as "none" }),
    RangeError,
    "current value is x",
  );
});

Deno.test("LineAssembler: hostile continuation and header lines cost linear time (30 s per line before)", () => {
  for (const continuation of ["indented", "unmatched"] as const) {
    const a = new LineAssembler(resolveLogFormat("hdfs"), ctx, { continuation });
    const words = Array(5_000).fill("x").join(" ");
    const lines = [
      "081109 203615 148 INFO dfs.DataNode: first",
      "\t081109 203615 148 INFO dfs.DataNode " + words, // a continuation candidate tested against the format
      "081109 203615 148 INFO dfs.DataNode " + words, // a header that almost matches
      "081109 203616 148 INFO dfs.DataNode: last",
    ];
    const t0 = performance.now();
    const out = lines.flatMap((text, i) => a.push({ text, lineNo: i + 1 }, 0));
    out.push(...a.flush());
    const ms = performance.now() - t0;
    assert(ms < 2_000, `${continuation}: ${ms.toFixed(0)} ms`);
    assertEquals(out.map((e) => e.lineNo), continuation === "indented" ? [1, 3, 4] : [1, 4]);
    assertEquals(out[0].flags.includes("multiline"), true);
  }
});
