import assert from "node:assert/strict";
import fc from "fast-check";
import { LinearRegex } from "./linear_regex.ts";

/** What V8 gives, as an array (holes as `undefined`). */
function v8(source: string, text: string): (string | undefined)[] | null {
  const m = new RegExp(source, "s").exec(text);
  return m === null ? null : [...m];
}

Deno.test("LinearRegex: the captures V8 gives, lazy and greedy, on hand-picked cases", () => {
  const cases: [string, string][] = [
    ["^(.*?)\\s+(.*?)$", "a b c"],
    ["^(.*?)\\s+(.*?)\\s+(.*?)$", "a  b"], // V8 backtracks into \s+ to give the middle field ""
    ["^(a|ab)(c|bcd)(d*)$", "abcd"],
    ["(\\d+)-(\\d+)", "xx 12-345 yy"],
    ["^(.*?)(\\[(.*?)\\])?:\\s+(.*?)$", "sshd(pam_unix)[19939]: check pass"],
    ["^(.*?)(\\[(.*?)\\])?:\\s+(.*?)$", "foo[1] bar[2]: x"],
    ["^(.*?)(\\[(.*?)\\])?:\\s+(.*?)$", "kernel: hello"],
    ["^[^\\]a-c]+x{2,3}?(x*)$", "zzdxxxx"],
    ["\\bfoo\\b", "a foo b"],
    ["\\Boo\\B", "a foo b fooo"],
    ["^(?<k>\\w+)=(?:[\\d.]+|none)$", "ttl=1.5"],
    ["^(.*?)\\|(.*?)\\|(.*?)$", "a|b|c|d"],
    ["^(.*?)\\u0041\\x42[\\s\\S]?(.*?)$", "xAB\u00a0y"],
    ["^(.*?)\\s+(.*?)$", "tab\tand\u2028line"],
    ["a{2}b{1,}c{0,1}", "zaabbbc"],
    ["^(.*?)$", ""],
    ["x*?y", "xxxy"],
    ["^((a)|b)c", "bc"],
  ];
  for (const [source, text] of cases) {
    assert.deepEqual(new LinearRegex(source, true).exec(text), v8(source, text), `/${source}/ on ${text}`);
  }
});

Deno.test("LinearRegex: refuses lookarounds and back-references, and invalid syntax", () => {
  for (const source of ["(?=a)b", "(?!a)b", "(?<=a)b", "(a)\\1", "(?<n>a)\\k<n>", "(a", "a)", "*a", "a**"]) {
    assert.throws(() => new LinearRegex(source), SyntaxError, source);
  }
  assert.throws(() => new LinearRegex("(?=a)"), /linear time/);
});

Deno.test("LinearRegex: work is bounded by program size × line length on lines that make V8 backtrack", () => {
  // The HDFS format's expression: V8 takes ~0.2 s on 80 words of this line and minutes on 300.
  const re = new LinearRegex("^(.*?)\\s+(.*?)\\s+(.*?)\\s+(.*?)\\s+(.*?):\\s+(.*?)$", true);
  for (const words of [200, 2_000, 20_000]) {
    const line = "081109 203615 148 INFO dfs.DataNode " + Array(words).fill("x").join(" ");
    assert.equal(re.exec(line), null);
    assert.ok(re.lastSteps <= 40 * line.length, `${re.lastSteps} steps for ${line.length} chars`);
  }
  // Nested quantifiers, the classic exponential case for backtracking engines.
  const nested = new LinearRegex("^(a+)+$");
  const text = "a".repeat(10_000) + "!";
  assert.equal(nested.exec(text), null);
  assert.ok(nested.lastSteps <= 20 * text.length, `${nested.lastSteps} steps`);
});

// Formats as log_format builds them: fields `(.*?)` between literals where spaces become `\s+`, with
// optional bracketed groups; lines over an alphabet rich in those delimiters.
const LITERALS = [
  "\\s+",
  ":\\s+",
  "\\s+-\\s+",
  "\\|",
  "\\s+\\[",
  "\\]\\s+",
  ",\\s+",
  "@",
  "(\\[(.*?)\\])?:\\s+",
];
const formatArb = fc.array(fc.constantFrom(...LITERALS), { minLength: 1, maxLength: 5 }).map((lits) =>
  "^" + lits.map((l) => "(.*?)" + l).join("") + "(.*?)$"
);
const wordArb = fc.stringMatching(/^[a-z0-9.:\[\]\-| @,]{0,6}$/);

Deno.test("property: same captures as V8 on random format expressions and random lines", () => {
  fc.assert(
    fc.property(formatArb, fc.array(wordArb, { maxLength: 8 }), (source, words) => {
      const line = words.join(" ");
      assert.deepEqual(new LinearRegex(source, true).exec(line), v8(source, line));
    }),
    { numRuns: 3000 },
  );
});

Deno.test("property: same captures as V8 on well-formed lines (fields joined by the format's literals)", () => {
  const render: Record<string, (g: string) => string> = {
    "\\s+": () => " ",
    ":\\s+": () => ": ",
    "\\s+-\\s+": () => " - ",
    "\\|": () => "|",
    "\\s+\\[": () => " [",
    "\\]\\s+": () => "] ",
    ",\\s+": () => ",  ",
    "@": () => "@",
    "(\\[(.*?)\\])?:\\s+": (g) => (g === "" ? ": " : `[${g}]: `),
  };
  fc.assert(
    fc.property(
      fc.array(fc.constantFrom(...LITERALS), { minLength: 1, maxLength: 6 }),
      fc.array(fc.stringMatching(/^[A-Za-z0-9_.$\/]{1,8}$/), { minLength: 14, maxLength: 14 }),
      fc.array(wordArb, { maxLength: 6 }),
      (lits, values, content) => {
        const source = "^" + lits.map((l) => "(.*?)" + l).join("") + "(.*?)$";
        const line = lits.map((l, i) => values[i] + render[l](values[13 - i])).join("") + content.join(" ");
        const got = new LinearRegex(source, true).exec(line);
        assert.deepEqual(got, v8(source, line));
      },
    ),
    { numRuns: 3000 },
  );
});

// Small random expressions over a tiny alphabet: alternation, classes, counted and lazy quantifiers, anchors.
// No capture inside a repeated group (JavaScript resets those per iteration; LinearRegex does not).
const atomArb: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom("a", "b", ".", "[ab]", "[^a]", "\\s", "\\w", "\\b", "$", "^"),
);
const pieceArb = fc.tuple(atomArb, fc.constantFrom("", "*", "+", "?", "*?", "+?", "??", "{1,2}", "{2}"))
  .map(([a, q]) => (a === "$" || a === "^" || a === "\\b" ? a : a + q));
// Repeated groups must consume: JavaScript fails an iteration that matches empty, which depends on where the
// iteration began (LinearRegex documents this difference).
const solidArb = fc.tuple(
  fc.constantFrom("a", "b", ".", "[ab]", "[^a]", "\\s", "\\w"),
  fc.constantFrom("", "+", "+?", "{1,2}", "{2}"),
).map(([a, q]) => a + q);
const exprArb = fc.array(
  fc.oneof(
    pieceArb,
    fc.tuple(pieceArb, pieceArb).map(([x, y]) => `(${x}|${y})`),
    fc.tuple(solidArb, pieceArb).map(([x, y]) => `(?:${x}${y})*`),
  ),
  { minLength: 1, maxLength: 5 },
).map((parts) => parts.join(""));

Deno.test("property: same match and captures as V8 on small random expressions", () => {
  fc.assert(
    fc.property(exprArb, fc.stringMatching(/^[ab \n]{0,10}$/), (source, text) => {
      assert.deepEqual(new LinearRegex(source, true).exec(text), v8(source, text), `/${source}/`);
    }),
    { numRuns: 5000 },
  );
});
