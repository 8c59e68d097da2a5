/**
 * Reads the closing summary line of `deno test` (e.g. `FAILED | 2 passed (3 steps) | 2 failed (1 step) |
 * 1 ignored (17ms)`) and turns it into the plain `N passed, N failed` line CI recognises.
 *
 * Counting: steps are counted as tests (a test with three passing steps adds four passes), but a test that
 * fails because of a failing step counts as ONE failure, not two — so `failed` is the number of failing
 * top-level tests and every executed unit is counted once.
 *
 * @module
 */

/** Counts read from a `deno test` summary. */
export interface DenoTestSummary {
  /** Top-level tests that passed. */
  passedTests: number;
  /** Steps that passed. */
  passedSteps: number;
  /** Top-level tests that failed. */
  failedTests: number;
  /** Steps that failed (each also fails its test). */
  failedSteps: number;
  /** Ignored tests plus ignored steps. */
  ignored: number;
  /** Tests left out by `--filter`. */
  filteredOut: number;
}

// deno-lint-ignore no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;
const SUMMARY =
  /^(?:ok|FAILED) \| (\d+) passed(?: \((\d+) steps?\))? \| (\d+) failed(?: \((\d+) steps?\))?(.*)$/;

/**
 * Finds the last `deno test` summary line in `output` (ANSI colours are ignored).
 *
 * @param output everything `deno test` printed on stdout
 * @returns the counts, or undefined when no summary line is present (e.g. a type-check failure)
 */
export function parseDenoTestSummary(output: string): DenoTestSummary | undefined {
  const lines = output.replace(ANSI, "").split(/\r?\n/);
  for (let i = lines.length - 1; i >= 0; i--) {
    const m = lines[i].trim().match(SUMMARY);
    if (!m) continue;
    const rest = m[5];
    const ignored = rest.match(/\| (\d+) ignored(?: \((\d+) steps?\))?/);
    const filtered = rest.match(/\| (\d+) filtered out/);
    return {
      passedTests: Number(m[1]),
      passedSteps: Number(m[2] ?? 0),
      failedTests: Number(m[3]),
      failedSteps: Number(m[4] ?? 0),
      ignored: ignored ? Number(ignored[1]) + Number(ignored[2] ?? 0) : 0,
      filteredOut: filtered ? Number(filtered[1]) : 0,
    };
  }
  return undefined;
}

/** The plain counts CI reads: passed = tests + steps that passed, failed = failing tests. */
export function plainCounts(s: DenoTestSummary): { passed: number; failed: number; skipped: number } {
  return { passed: s.passedTests + s.passedSteps, failed: s.failedTests, skipped: s.ignored };
}

/** Formats `N passed, N failed` (with `, N skipped` when some were ignored). */
export function formatPlainLine(counts: { passed: number; failed: number; skipped: number }): string {
  const skipped = counts.skipped > 0 ? `, ${counts.skipped} skipped` : "";
  return `${counts.passed} passed, ${counts.failed} failed${skipped}`;
}
