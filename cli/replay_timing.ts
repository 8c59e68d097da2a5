/**
 * How `deno task start` times a replayed file, from its flags and the configuration: `--retime now|off`,
 * `--replay-speed X` and `--rate N` on the command line, `producer.retime` in the configuration as the default
 * of `--retime` for `--input`. An explicit flag always wins over the configured default: `--rate` (a fixed
 * pace) or `--retime off` keeps the file's own dates even when `producer.retime` is `now`.
 *
 * @module
 */

/** The timing flags as parsed (strings, undefined when absent). */
export interface ReplayTimingFlags {
  input?: string;
  retime?: string;
  "replay-speed"?: string;
  rate?: string;
}

/** What the producer gets: a fixed rate, or the file's own pace (× speed), retimed to now or not. */
export interface ReplayTiming {
  /** Events per second; `Infinity` for unpaced. Undefined when the file's own pace is replayed. */
  rate?: number;
  retime?: "now";
  replaySpeed?: number;
}

/**
 * Resolves the producer's timing, or the one-line error to print (exit code 2).
 *
 * @param configRetime `producer.retime` of the configuration
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { replayTiming } from "./replay_timing.ts";
 * assert.deepEqual(replayTiming({ input: "a.log" }, "now"), { retime: "now" });
 * assert.deepEqual(replayTiming({ input: "a.log", rate: "200" }, "now"), { rate: 200 });
 * assert.deepEqual(replayTiming({ input: "a.log", retime: "off" }, "now"), { rate: Infinity });
 * ```
 */
export function replayTiming(
  flags: ReplayTimingFlags,
  configRetime: "off" | "now",
): ReplayTiming | { error: string } {
  const rate = flags.rate === undefined ? (flags.input ? Infinity : 50) : Number(flags.rate);
  if (!(rate > 0)) return { error: `--rate must be a positive number: current value is ${flags.rate}` };
  if (flags.retime !== undefined && flags.retime !== "now" && flags.retime !== "off") {
    return { error: `--retime takes 'now' or 'off': current value is ${flags.retime}` };
  }
  if ((flags.retime !== undefined || flags["replay-speed"] !== undefined) && flags.input === undefined) {
    return { error: "--retime and --replay-speed apply to --input" };
  }
  if (flags.rate !== undefined && (flags.retime === "now" || flags["replay-speed"] !== undefined)) {
    return { error: "give --rate, or --retime/--replay-speed (the file's own pace), not both" };
  }
  const replaySpeed = flags["replay-speed"] === undefined ? undefined : Number(flags["replay-speed"]);
  if (replaySpeed !== undefined && !(replaySpeed > 0 && Number.isFinite(replaySpeed))) {
    return { error: `--replay-speed must be a positive number: current value is ${flags["replay-speed"]}` };
  }
  if (flags.input === undefined) return { rate };
  // The configured default applies only when no flag chose the pace: --rate and --retime off keep the dates.
  const retime = flags.retime ?? (flags.rate === undefined ? configRetime : "off");
  if (retime === "now") return { retime: "now", ...(replaySpeed === undefined ? {} : { replaySpeed }) };
  if (replaySpeed !== undefined) return { replaySpeed };
  return { rate };
}
