/**
 * The three small functions the engine benchmarks push through actors — parse a log line, hash its key,
 * score it — sized like per-event pipeline work (tens of ns each), and a fixed input set.
 *
 * @module
 */

/** A parsed line. */
export interface Parsed {
  level: string;
  component: string;
  rest: string;
}

/** A parsed line with its key hash. */
export interface Keyed extends Parsed {
  key: number;
}

/** A scored line. */
export interface Scored {
  key: number;
  score: number;
  level: string;
}

/** Splits `"<level> <component> <rest>"`. */
export function parse(line: string): Parsed {
  const a = line.indexOf(" ");
  const b = line.indexOf(" ", a + 1);
  return { level: line.slice(0, a), component: line.slice(a + 1, b), rest: line.slice(b + 1) };
}

/** FNV-1a of the component: the partition key. */
export function hashKey(p: Parsed): Keyed {
  let h = 0x811c9dc5;
  const s = p.component;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return { level: p.level, component: p.component, rest: p.rest, key: h >>> 0 };
}

/** A toy anomaly score from the level and the message length. */
export function score(k: Keyed): Scored {
  const base = k.level === "ERROR" ? 0.8 : k.level === "WARN" ? 0.4 : 0.1;
  return { key: k.key, score: Math.min(1, base + k.rest.length / 1000), level: k.level };
}

const LEVELS = ["INFO", "INFO", "INFO", "WARN", "ERROR"];

/** 1024 distinct input lines, cycled by the benchmarks. */
export const LINES: readonly string[] = Array.from(
  { length: 1024 },
  (_, i) =>
    `${LEVELS[i % LEVELS.length]} CBS-${i % 37} Session ${i} initialized by client WindowsUpdate, pid ${
      i * 7
    }`,
);

/**
 * Counts messages arriving at a benchmark's last actor; `until(n)` resolves once `n` more have arrived, so an
 * iteration ends exactly when its messages are through.
 */
export function makeCounter() {
  let count = 0;
  let target = 0;
  let resolve: (() => void) | undefined;
  return {
    add(n: number) {
      count += n;
      if (count >= target && resolve !== undefined) {
        const r = resolve;
        resolve = undefined;
        r();
      }
    },
    until(n: number): Promise<void> {
      target = count + n;
      return new Promise((r) => resolve = r);
    },
  };
}
