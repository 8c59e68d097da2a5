import assert from "node:assert/strict";
import type { LogEvent } from "../event/log_event.ts";
import { LineAssembler } from "../parsing/line_assembler.ts";
import { resolveLogFormat } from "../parsing/log_format.ts";
import { ORIGINAL_TS_FIELD, Retimer } from "./retime.ts";

/** Windows CBS lines parsed the way the producer parses them. */
function events(...texts: string[]): LogEvent[] {
  const assembler = new LineAssembler(resolveLogFormat("windows"), {
    source: "CBS.log",
    host: "h",
    system: "windows",
    loop: 0,
    maxLineChars: 10_000,
  });
  const out: LogEvent[] = [];
  texts.forEach((text, i) => out.push(...assembler.push({ lineNo: i + 1, text, flags: [] })));
  out.push(...assembler.flush());
  return out;
}

const NOW = Date.parse("2026-12-03T16:00:00.000Z");

Deno.test("Retimer: the file plays from now at its own pace × speed; the original time stays in fields", () => {
  const [a, b, c] = events(
    "2016-09-28 04:30:30, Info                  CBS    Loaded Servicing Stack v6.1.7601.23505",
    "2016-09-28 04:30:40, Info                  CBS    SQM: Initializing online with Windows opt-in: False",
    "2016-09-28 04:40:30, Info                  CBS    SQM: Cleaning up report files older than 10 days.",
  );
  const speed2 = new Retimer(2, () => NOW);
  assert.equal(speed2.retime(a, Date.parse(a.ts)), NOW);
  assert.equal(speed2.retime(b, Date.parse(b.ts)), NOW + 5_000);
  assert.equal(speed2.retime(c, Date.parse(c.ts)), NOW + 300_000);
  assert.deepEqual([a.ts, b.ts, c.ts], [
    "2026-12-03T16:00:00.000Z",
    "2026-12-03T16:00:05.000Z",
    "2026-12-03T16:05:00.000Z",
  ]);
  assert.deepEqual([a, b, c].map((e) => e.fields[ORIGINAL_TS_FIELD]), [
    "2016-09-28T04:30:30.000Z",
    "2016-09-28T04:30:40.000Z",
    "2016-09-28T04:40:30.000Z",
  ]);
  assert.equal(a.fields.Time, "04:30:30", "the format's own fields are kept");
});

Deno.test("Retimer: the clock is read once, at the first timed event; a new loop starts at the clock again", () => {
  let clock = NOW;
  const r = new Retimer(1, () => clock);
  const [a, b] = events(
    "2016-09-28 04:30:30, Info                  CBS    one",
    "2016-09-28 04:30:31, Info                  CBS    two",
  );
  r.retime(a, Date.parse(a.ts));
  clock += 60_000; // a late send does not move the schedule
  assert.equal(r.retime(b, Date.parse(b.ts)), NOW + 1000);
  r.rebase();
  const [again] = events("2016-09-28 04:30:30, Info                  CBS    one");
  assert.equal(r.retime(again, Date.parse(again.ts)), NOW + 60_000);
});

Deno.test("Retimer: an event without a time of its own is left alone; a bad speed is refused", () => {
  const [e] = events("no timestamp on this line at all");
  const before = structuredClone(e);
  assert.ok(Number.isNaN(new Retimer(1, () => NOW).retime(e, NaN)));
  assert.deepEqual(e, before);
  assert.throws(() => new Retimer(0), RangeError);
  assert.throws(() => new Retimer(Infinity), RangeError);
});
