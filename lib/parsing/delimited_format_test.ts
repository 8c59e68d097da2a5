import { assert, assertEquals } from "./_test_assert.ts";
import fc from "fast-check";
import { compileDelimitedFormat, MAX_OPTIONAL_GROUPS } from "./delimited_format.ts";
import { compileLogFormat, LOG_FORMAT_PRESETS } from "./log_format.ts";

/** The fields V8's backtracking regex gives for a format (group numbers of its `(.*?)` fields). */
function v8Fields(expression: string, line: string): string[] | null {
  const m = new RegExp(expression, "s").exec(line);
  if (m === null) return null;
  const out: string[] = [];
  let group = 0;
  for (let i = 0; i < expression.length; i++) {
    if (expression[i] === "\\") i++;
    else if (expression[i] === "(" && expression[i + 1] !== "?") {
      group++;
      if (expression.startsWith("(.*?)", i)) out.push(m[group] ?? "");
    }
  }
  return out;
}

Deno.test("compileDelimitedFormat: covers every preset, declines other regex syntax", () => {
  for (const [name, pattern] of Object.entries(LOG_FORMAT_PRESETS)) {
    assert(compileDelimitedFormat(pattern, compileLogFormat(pattern).fields) !== undefined, name);
  }
  for (
    const pattern of [
      "<A> \\d+ <B>",
      "<A>.*<B>",
      "<A> .<B>",
      "<A>. <B>",
      "<A>( )?.<B>",
      "<A>(x|y)<B>",
      "<A>((x)?)?<B>",
      "<A>(x)<B>",
      "<A>\\t<B>",
    ]
  ) {
    assertEquals(compileDelimitedFormat(pattern, compileLogFormat(pattern).fields), undefined, pattern);
  }
  const many = Array.from({ length: MAX_OPTIONAL_GROUPS + 1 }, (_, i) => `(:<G${i}>)?`).join("") +
    " <Content>";
  assertEquals(compileDelimitedFormat(many, compileLogFormat(many).fields), undefined);
});

/** A line of the format: fields filled with `words`, groups taken or skipped by turns, literals unescaped. */
function render(pattern: string, words: readonly string[], skipFirst = false): string {
  let w = 0, g = 0;
  return pattern.replaceAll("\\(", "\u0001").replaceAll("\\)", "\u0002")
    .replace(/\(([^()]*)\)\?/g, (_, body: string) => (g++ % 2 === 0) !== skipFirst ? body : "")
    .replace(/<\w+>/g, () => words[w++] ?? "").replaceAll("\\s+", " ").replace(/\\(.)/g, "$1")
    .replaceAll("\u0001", "(").replaceAll("\u0002", ")");
}

Deno.test("property: the fields V8's backtracking regex gives, optional groups included, on random formats and lines", () => {
  const lits = [
    " ",
    ": ",
    " - ",
    "\\|",
    " \\[",
    "\\] ",
    ", ",
    "@",
    "x",
    "  ",
    "",
    ":",
    "\\s+",
    "(\\[<P>\\])?",
    " (\\[<P>\\])? ",
    " ( <P>)? ",
    "\\s+(x)?\\s+",
    " ( )? :",
    ".",
    ". ",
    ":.",
    "x.y",
  ];
  const groups = ["(\\[<G>\\])?", "( \\(<G>\\))?", "(:<G> )?", "( <G>)?", "(x)?", "( )?"];
  fc.assert(
    fc.property(
      fc.array(fc.oneof(fc.constantFrom(...lits), fc.constantFrom(...groups)), {
        minLength: 1,
        maxLength: 6,
      }),
      fc.constantFrom("", " ", ": ", "x", "\\]"),
      fc.array(fc.stringMatching(/^[a-z0-9:\[\]()\-| @,x]{0,6}$/), { maxLength: 8 }),
      (parts: string[], end: string, words: string[]) => {
        let g = 0, p = 0;
        const pattern =
          parts.map((l, i) =>
            `<F${i}>` + l.replace("<G>", () => `<G${g++}>`).replace("<P>", () => `<P${p++}>`)
          ).join("") + end;
        let format;
        try {
          format = compileLogFormat(pattern);
        } catch {
          return; // e.g. a literal V8 refuses
        }
        const matcher = compileDelimitedFormat(pattern, format.fields);
        if (matcher === undefined) return;
        const line = words.join(" ");
        for (
          const text of [line, line.trim(), ` ${line}:`, render(pattern, words), render(pattern, words, true)]
        ) {
          assertEquals(
            matcher.match(text),
            v8Fields(format.expression, text),
            `${pattern} | ${JSON.stringify(text)}`,
          );
        }
      },
    ),
    { numRuns: 5000 },
  );
});
