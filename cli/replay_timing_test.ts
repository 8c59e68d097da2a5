import assert from "node:assert/strict";
import { replayTiming } from "./replay_timing.ts";

Deno.test("replayTiming: producer.retime is --input's default; explicit flags win", () => {
  const file = { input: "Windows_2k.log" };
  // Configured off (the default): the file's own dates, unpaced.
  assert.deepEqual(replayTiming(file, "off"), { rate: Infinity });
  // Configured now: retimed to now at the file's own pace, × --replay-speed when given.
  assert.deepEqual(replayTiming(file, "now"), { retime: "now" });
  assert.deepEqual(replayTiming({ ...file, "replay-speed": "600" }, "now"), {
    retime: "now",
    replaySpeed: 600,
  });
  // --rate or --retime off on the command line keep the file's dates despite the configuration.
  assert.deepEqual(replayTiming({ ...file, rate: "200" }, "now"), { rate: 200 });
  assert.deepEqual(replayTiming({ ...file, retime: "off" }, "now"), { rate: Infinity });
  assert.deepEqual(replayTiming({ ...file, retime: "off", "replay-speed": "2" }, "now"), { replaySpeed: 2 });
  // --retime now works without any configuration, as before.
  assert.deepEqual(replayTiming({ ...file, retime: "now" }, "off"), { retime: "now" });
  // The synthetic source ignores the configured default (its time is now anyway).
  assert.deepEqual(replayTiming({}, "now"), { rate: 50 });
});

Deno.test("replayTiming: contradictory or malformed flags are one-line errors", () => {
  const err = (flags: Parameters<typeof replayTiming>[0]) => {
    const r = replayTiming(flags, "off");
    assert.ok("error" in r, JSON.stringify(r));
    return r.error;
  };
  assert.match(
    err({ input: "a", retime: "yesterday" }),
    /--retime takes 'now' or 'off': current value is yesterday/,
  );
  assert.match(err({ retime: "now" }), /apply to --input/);
  assert.match(err({ input: "a", retime: "now", rate: "5" }), /not both/);
  assert.match(err({ input: "a", "replay-speed": "0" }), /--replay-speed must be a positive number/);
  assert.match(err({ rate: "-1" }), /--rate must be a positive number/);
});
