/**
 * Transplant augmentation: copies of a Loghub stream into which, at a few random points after its first
 * third, 1–3 copies of a message from *another* system are inserted under the host line's header (same time,
 * host, component and level as the line they precede). To the host system such a line is a never-seen
 * pattern in words it has never used: the shape of a new failure that no word list names. The inserted lines
 * are labelled ANOMALY (an episode an operator should look at); the stream's own lines keep their labels.
 *
 * The foreign messages come only from the other training systems' own logs (never from BGL, never from the
 * evaluation's injected wordings), so what the model learns from them is "unfamiliar vocabulary on this
 * system", not a list of failure words.
 *
 * @module
 */
import { SeededRandom } from "../lib/producer/seeded_random.ts";
import type { AugmentedLines } from "./burst_augmentation.ts";

/**
 * Inserts foreign messages.
 * @param lines the host stream.
 * @param headerOf the host line up to its message (the caller parses it), or undefined when it has none.
 * @param foreign messages of other systems to draw from (one per distinct template is best).
 * @param seed the random seed (deterministic output).
 * @param points how many insertion points (default 8).
 */
export function augmentWithTransplants(
  lines: readonly string[],
  headerOf: (line: string) => string | undefined,
  foreign: readonly string[],
  seed: number,
  points = 8,
): AugmentedLines {
  const rnd = new SeededRandom(seed);
  const at = new Map<number, { line: string; n: number }>();
  const from = Math.floor(lines.length / 3);
  for (let p = 0; p < points && foreign.length > 0 && lines.length > from; p++) {
    const pos = from + (rnd.nextUint32() % (lines.length - from));
    const header = headerOf(lines[pos]);
    if (header === undefined) continue;
    at.set(pos, { line: header + foreign[rnd.nextUint32() % foreign.length], n: 1 + (rnd.nextUint32() % 3) });
  }
  const out: string[] = [];
  const injected: number[] = [];
  lines.forEach((line, i) => {
    const t = at.get(i);
    if (t !== undefined) {
      for (let k = 0; k < t.n; k++) {
        out.push(t.line);
        injected.push(1);
      }
    }
    out.push(line);
    injected.push(0);
  });
  return { lines: out, injected: Uint8Array.from(injected) };
}
