import assert from "node:assert/strict";
import { SyslogFrameSplitter } from "./syslog_frame_splitter.ts";

const enc = new TextEncoder();

function splitAll(chunks: (string | Uint8Array)[], max = 1024): { text: string; flags: string[] }[] {
  const s = new SyslogFrameSplitter(max);
  const out = [];
  for (const c of chunks) out.push(...s.push(typeof c === "string" ? enc.encode(c) : c));
  out.push(...s.end());
  return out.map((f) => ({ text: f.text, flags: f.flags }));
}

Deno.test("octet counting: messages may hold newlines, counts may be split across reads", () => {
  const a = "<13>1 - h a - - - line one\nline two";
  const b = "<14>1 - h a - - - second";
  const whole = `${enc.encode(a).length} ${a}${enc.encode(b).length} ${b}`;
  assert.deepEqual(splitAll([whole]).map((f) => f.text), [a, b]);
  // Every byte in its own read.
  assert.deepEqual(splitAll([...enc.encode(whole)].map((x) => new Uint8Array([x]))).map((f) => f.text), [
    a,
    b,
  ]);
});

Deno.test("newline framing, CRLF, blank lines and a last message without newline; mixed with counted", () => {
  const out = splitAll(["<13>one\r\n\n<13>tw", "o\n11 <13>counted<13>last"]);
  assert.deepEqual(out.map((f) => f.text), ["<13>one", "<13>two", "<13>counted", "<13>last"]);
});

Deno.test("hostile frames: oversized counted and newline frames are cut, bytes repaired and flagged", () => {
  const big = "<13>" + "x".repeat(5000);
  const out = splitAll([`${big.length} ${big}`, `${big}\n`, "<13>ok\n"], 100);
  assert.equal(out.length, 3);
  assert.equal(out[0].text.length, 100);
  assert.ok(out[0].flags.includes("truncated"));
  assert.equal(out[1].text.length, 100);
  assert.ok(out[1].flags.includes("truncated"));
  assert.deepEqual(out[2], { text: "<13>ok", flags: [] });
  const bad = splitAll([new Uint8Array([60, 49, 51, 62, 0xff, 0xfe, 0x00, 65, 10])]);
  assert.ok(bad[0].flags.includes("invalid_utf8") && bad[0].flags.includes("binary"));
  // A "count" of more than 10 digits is not one: the bytes are read as a line.
  assert.deepEqual(splitAll(["123456789012345 <13>x\n"]).map((f) => f.text), ["123456789012345 <13>x"]);
  // A count cut short by the end of the stream keeps what came, flagged.
  const short = splitAll(["50 <13>only part"]);
  assert.equal(short[0].text, "<13>only part");
  assert.ok(short[0].flags.includes("truncated"));
});
