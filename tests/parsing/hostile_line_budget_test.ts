/**
 * The per-line parsing budget of issue 12 in CI, without timing thresholds: every hostile generator of
 * `testing/hostile_lines.ts` through every preset and the custom formats, in the producer's line → event step
 * (with the continuation check) and the miner, must grow linearly with the line. Each case is timed at n and
 * 4n characters (best of 7, in turns, so a busy machine slows both alike), and the growth is scaled to ×4 of input
 * (the miner's content does not grow exactly with the line); linear work gives ×4, the polynomial
 * backtracking this replaced gave ×16 or more, and the test fails above ×10. Cases whose 4n time is under
 * 1 ms are below what the clock can compare and pass; when every case is (fast code on a quiet machine), the
 * slowest is compared with its runs repeated. The absolute times at 64 KiB are the bench's
 * (`bench/hostile_line_bench.ts`).
 */
import assert from "node:assert/strict";
import { compileLogFormat } from "../../lib/parsing/log_format.ts";
import { lineToEvent } from "../../lib/parsing/line_to_event.ts";
import { LineAssembler } from "../../lib/parsing/line_assembler.ts";
import { TemplateMiner } from "../../lib/parsing/template_miner.ts";
import { budgetFormats, formatHeader, HOSTILE_GENERATORS } from "../../testing/hostile_lines.ts";

const SMALL = 8_192;
const LARGE = 4 * SMALL;
const MAX_GROWTH = 10;
const MEASURABLE_MS = 1;

/**
 * Best times of both cases, measured in turns after a warm-up of each: timing all of one case and then the
 * other let a collection or a re-compilation triggered by the first land on the second (a linear case read ×9
 * under CI load).
 */
function bestPair(runSmall: () => void, runLarge: () => void): [number, number] {
  runSmall();
  runLarge();
  let small = Infinity;
  let large = Infinity;
  for (let r = 0; r < 7; r++) {
    let t0 = performance.now();
    runSmall();
    small = Math.min(small, performance.now() - t0);
    t0 = performance.now();
    runLarge();
    large = Math.min(large, performance.now() - t0);
  }
  return [small, large];
}

Deno.test("hostile lines: line → event, continuation check and mining grow linearly for every format and generator", () => {
  const failures: string[] = [];
  let measured = 0;
  let slowest:
    | {
      label: string;
      runSmall: () => void;
      runLarge: () => void;
      sizeSmall: number;
      sizeLarge: number;
      large: number;
    }
    | undefined;
  for (const { name, pattern } of budgetFormats()) {
    const format = compileLogFormat(pattern, name);
    const header = formatHeader(pattern);
    const ctx = { source: "hostile", host: "h" };
    for (const g of HOSTILE_GENERATORS) {
      // Each step with the size of what it reads: the miner reads the content the format left, which does not
      // grow exactly with the line (a header, invalid bytes that decode to more or fewer characters).
      const steps: Record<string, (text: string) => [() => void, number]> = {
        "line → event": (text) => [() => void lineToEvent({ text, lineNo: 2 }, format, ctx, 0), text.length],
        "continuation check": (text) => [() => {
          const a = new LineAssembler(format, ctx, { continuation: "unmatched" });
          a.push({ text: header + "first", lineNo: 1 }, 0);
          a.push({ text, lineNo: 2 }, 0);
        }, text.length],
        "mine": (text) => {
          const content = lineToEvent({ text, lineNo: 2 }, format, ctx, 0).content;
          return [() => void new TemplateMiner().mine(content, 0), Math.max(content.length, 1)];
        },
      };
      for (const [step, make] of Object.entries(steps)) {
        const [runSmall, sizeSmall] = make(g.make(SMALL, header));
        const [runLarge, sizeLarge] = make(g.make(LARGE, header));
        const label = `${step} / ${name} / ${g.name}`;
        const [small, large] = bestPair(runSmall, runLarge);
        if (slowest === undefined || large > slowest.large) {
          slowest = { label, runSmall, runLarge, sizeSmall, sizeLarge, large };
        }
        if (large < MEASURABLE_MS) continue;
        measured++;
        const failure = judge(label, small, large, sizeSmall, sizeLarge);
        if (failure !== undefined) failures.push(failure);
      }
    }
  }
  // Every case under the clock's resolution (a quiet machine, fast code): the slowest one is compared anyway,
  // each run repeated until the smaller takes a few milliseconds, so the test never passes without comparing.
  if (measured === 0 && slowest !== undefined) {
    const { label, runSmall, runLarge, sizeSmall, sizeLarge } = slowest;
    let reps = 0;
    const t0 = performance.now();
    while (reps === 0 || performance.now() - t0 < 3 * MEASURABLE_MS) {
      runSmall();
      reps++;
    }
    const repeat = (run: () => void) => () => {
      for (let i = 0; i < reps; i++) run();
    };
    const [small, large] = bestPair(repeat(runSmall), repeat(runLarge));
    measured++;
    const failure = judge(`${label} (×${reps} each)`, small, large, sizeSmall, sizeLarge);
    if (failure !== undefined) failures.push(failure);
  }
  assert.deepEqual(failures, [], failures.join("\n"));
  assert.ok(measured > 0, "no case ran: the corpus is empty");
});

/** A failure line when a case grew faster than linear work would, scaled to ×4 of input; else undefined. */
function judge(label: string, small: number, large: number, sizeSmall: number, sizeLarge: number) {
  // Time growth per unit of input growth, times 4: ×4 for linear work whatever the sizes were.
  const growth = (large / Math.max(small, 0.01)) / (sizeLarge / sizeSmall) * (LARGE / SMALL);
  return growth > MAX_GROWTH
    ? `${label}: ${small.toFixed(3)} → ${large.toFixed(3)} ms (×${growth.toFixed(1)})`
    : undefined;
}
