/**
 * Burst augmentation for the weakly labelled Loghub streams: copies of a stream in which, at a few random
 * points, one of the stream's own error/critical/fatal-level lines is
 * repeated 15–60 times in a row — a failure suddenly taking over the log, the pattern of the synthetic source's
 * `error_burst` episodes. The repeated lines are labelled ANOMALY; the original lines keep their weak labels.
 * Generic: no system-specific rule; BGL is never augmented (it is never trained on).
 *
 * @module
 */
import { SeededRandom } from "../lib/producer/seeded_random.ts";

/** Lines with, per line, 1 when it was injected by the augmentation. */
export interface AugmentedLines {
  lines: string[];
  injected: Uint8Array;
}

/**
 * Injects bursts.
 * @param lines the stream.
 * @param seed the random seed (deterministic output).
 * @param isFailure which lines may be repeated (the caller parses them: an error/critical/fatal level).
 * @param bursts how many bursts to inject (default 3).
 */
export function augmentWithBursts(
  lines: readonly string[],
  seed: number,
  isFailure: (line: string) => boolean,
  bursts = 3,
): AugmentedLines {
  const rnd = new SeededRandom(seed);
  const candidates = lines.filter(isFailure);
  if (candidates.length === 0) return { lines: [...lines], injected: new Uint8Array(lines.length) };
  const at = new Map<number, { line: string; n: number }>();
  for (let b = 0; b < bursts; b++) {
    const pos = 200 + (rnd.nextUint32() % Math.max(1, lines.length - 200));
    at.set(pos, { line: candidates[rnd.nextUint32() % candidates.length], n: 15 + (rnd.nextUint32() % 46) });
  }
  const out: string[] = [];
  const injected: number[] = [];
  lines.forEach((line, i) => {
    const burst = at.get(i);
    if (burst !== undefined) {
      for (let k = 0; k < burst.n; k++) {
        out.push(burst.line);
        injected.push(1);
      }
    }
    out.push(line);
    injected.push(0);
  });
  return { lines: out, injected: Uint8Array.from(injected) };
}
