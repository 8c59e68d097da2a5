/**
 * Generators of hostile log lines for the parsing-time budget (issue 12): text shaped to make a format matcher,
 * a token mask or the template miner do more than linear work. Shared by `bench/hostile_line_bench.ts` (64 KiB
 * lines, worst time per step) and the CI test `tests/parsing/hostile_line_budget_test.ts` (smaller lines, work
 * counted). Deterministic: the same length gives the same line.
 * @module
 */
import { LOG_FORMAT_PRESETS } from "../lib/parsing/log_format.ts";

/** One generator: a name and a function building a line of about `chars` UTF-16 code units. */
export interface HostileGenerator {
  readonly name: string;
  /** @param chars the target length. @param header a format-shaped prefix (may be ignored). */
  readonly make: (chars: number, header: string) => string;
}

const fill = (unit: string, chars: number): string =>
  unit.repeat(Math.max(1, Math.ceil(chars / unit.length)));
const cut = (s: string, chars: number): string => s.length > chars ? s.slice(0, chars) : s;

/** Deterministic pseudo-random numbers (mulberry32), so a corpus is the same every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Decodes random bytes as UTF-8 the way the producer does (invalid sequences become U+FFFD). */
function invalidUtf8(chars: number): string {
  const next = random(12_345); // one sequence: a shorter line is a prefix of a longer one
  const bytes = new Uint8Array(chars);
  for (let i = 0; i < bytes.length; i++) {
    bytes[i] = next() < 0.3 ? 0x80 + Math.floor(next() * 0x7f) : 32 + Math.floor(next() * 95);
  }
  return new TextDecoder().decode(bytes);
}

/** The generators (see module doc). `header` is a line prefix that matches the format up to its message. */
export const HOSTILE_GENERATORS: readonly HostileGenerator[] = [
  { name: "spaces", make: (n) => "a" + " ".repeat(Math.max(1, n - 2)) + "b" },
  { name: "header + spaces", make: (n, h) => cut(h + " ".repeat(n), n) + "x" },
  { name: "words, no delimiters", make: (n, h) => cut(h + fill("x ", n), n) },
  {
    name: "header words, no delimiters",
    make: (n, h) => cut(h.replace(/[:\[\]|\-(),]/g, " ") + fill("x ", n), n),
  },
  { name: "long token", make: (n) => "x".repeat(n) },
  { name: "header + long token", make: (n, h) => cut(h + "x".repeat(n), n) },
  { name: "punctuation run", make: (n) => cut(fill("[](){}<>:|-,;'\"", n), n) },
  { name: "brackets", make: (n) => cut(fill("[", n / 2) + fill("]", n / 2), n) },
  { name: "colons", make: (n) => cut(fill(":", n), n) + "x" },
  { name: "pipes", make: (n) => cut(fill("|", n), n) + "x" },
  { name: "dashes and spaces", make: (n) => cut(fill("- ", n), n) + "x" },
  { name: "key= dots", make: (n) => "a=" + ".".repeat(Math.max(1, n - 3)) + "x" },
  { name: "key= runs", make: (n) => cut(fill("a=", n), n) },
  { name: "equals dots", make: (n) => cut(fill("=.", n), n) + "x" },
  { name: "dotted numbers", make: (n) => cut(fill("1.", n), n) + "x" },
  { name: "numbers and words", make: (n) => cut(fill("1a.", n), n) },
  { name: "separated numbers", make: (n) => cut(fill("1 ", n), n) },
  { name: "paths", make: (n) => cut(fill("/a", n), n) },
  { name: "backslashes", make: (n) => cut(fill("\\a", n), n) },
  { name: "wildcard text", make: (n) => cut(fill("<*>x", n), n) },
  { name: "level brackets", make: (n) => "[" + cut(fill(")", n), n) + "x" },
  { name: "level keywords", make: (n) => cut(fill("ERROR: WARN ", n), n) },
  { name: "many tokens", make: (n) => cut(fill("a ", n), n) },
  {
    name: "random tokens",
    make: (n) => {
      const next = random(7);
      let s = "";
      while (s.length < n) s += next().toString(36).slice(2, 2 + 1 + Math.floor(next() * 8)) + " ";
      return cut(s, n);
    },
  },
  { name: "invalid UTF-8", make: (n) => invalidUtf8(n) },
  { name: "header + invalid UTF-8", make: (n, h) => cut(h + invalidUtf8(n), n) },
  { name: "lone surrogates", make: (n) => cut(fill("\ud800a\udc00 ", n), n) },
  { name: "control bytes", make: (n) => cut(fill("\u0000\u0001\u001b[0m", n), n) },
  { name: "newlines", make: (n) => cut(fill("x\n", n), n) },
];

/**
 * A line of a format whose fields are filled with plausible values: the prefix a hostile message can follow
 * (so the matcher gets past the header and works on the hostile part).
 */
export function formatHeader(pattern: string): string {
  const values: Record<string, string> = {
    Date: "081109",
    Time: "203615",
    Pid: "148",
    Level: "INFO",
    Component: "dfs.DataNode",
    Month: "Jun",
    Day: "Sun",
    Label: "-",
    Timestamp: "1117838570",
    Node: "R02-M1-N0-C:J12-U11",
    NodeRepeat: "R02",
    Type: "RAS",
    LogId: "134681",
    State: "state_change.unavailable",
    Flag: "1",
    User: "src@x",
    Location: "y",
    PID: "42",
    Process: "main",
    Id: "7",
    Program: "chrome.exe",
    Logrecord: "nova-api.log",
    ADDR: "req-1",
    Address: "0x1",
  };
  const withFields = pattern.replace(
    /<([A-Za-z_][A-Za-z0-9_]*)>/g,
    (_, f) => f === "Content" ? "" : values[f] ?? "v",
  );
  return withFields.replace(/\\(.)/g, "$1").replace(/\(([^()]*)\)\?/g, "$1");
}

/** Custom format strings the budget also covers (fields side by side, one-character literals, optional parts). */
export const CUSTOM_FORMATS: readonly string[] = [
  "<A> <B> <C> <D> <E> <F> <G> <H> <Content>",
  "<Time>|<Level>|<Component>|<Host>|<Content>",
  "<Date>T<Time> <Level> \\[<Thread>\\] <Logger> - <Content>",
  "<Date> <Time> (\\[<PID>\\])? <Level>: <Component>: <Content>",
  "<Time>,<Level>,<Component>,<Content>,<Tail>",
  "<Level>=<Component>.<Id>.<Sub>=<Content>",
];

/** Every preset by name, then the custom formats as `custom-<i>`. */
export function budgetFormats(): { name: string; pattern: string }[] {
  return [
    ...Object.entries(LOG_FORMAT_PRESETS).map(([name, pattern]) => ({ name, pattern })),
    ...CUSTOM_FORMATS.map((pattern, i) => ({ name: `custom-${i + 1}`, pattern })),
  ];
}
