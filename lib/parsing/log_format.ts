/**
 * Loghub-style line formats: a format string such as `<Date> <Time>, <Level> <Component> <Content>` compiled
 * into a matcher that splits a line into named fields.
 *
 * Conventions (those of Loghub's log parsers, so their published formats work unchanged):
 * - `<Name>` is a field; `<Content>` is the message. Field names are letters, digits and `_`.
 * - Literal text between fields is a regular expression, in which a run of spaces matches `\s+`; so
 *   `\[<Pid>\]` matches `[42]` and `(\[<PID>\])?` makes the bracketed pid optional.
 * - Each field matches lazily (`.*?`) and the whole line is anchored, so the last field takes the rest.
 * - The line is trimmed before matching (Loghub does `line.strip()`).
 *
 * Matching takes time linear in the line's length whatever the line ({@link LinearRegex}, with the captures
 * V8's `RegExp` would give): with V8's backtracking engine a line that almost matches (an HDFS line without
 * the `: ` after its component) tried every split of the line between the lazy fields, 30 s for 450 bytes.
 * Literal parts therefore cannot use lookarounds or back-references.
 *
 * @module
 */

/** A compiled line format. */
export interface LogFormat {
  /** The preset name (e.g. `windows`) or `custom`. */
  readonly name: string;
  /** The format string it was compiled from. */
  readonly pattern: string;
  /** Field names in order of appearance (includes `Content` when present). */
  readonly fields: readonly string[];
  /** The anchored regular expression (JavaScript syntax, `s` flag) the format compiles to. */
  readonly expression: string;
  /**
   * Splits a line into its fields.
   * @returns the fields by name (optional fields that did not take part are `""`), or `null` when the line
   *   does not match the format.
   */
  match(line: string): Record<string, string> | null;
  /**
   * Like {@link LogFormat.match} but returns the values in {@link LogFormat.fields} order (faster: no object
   * with dynamic keys per line).
   */
  matchValues(line: string): string[] | null;
}

import { LinearRegex } from "./linear_regex.ts";
import { compileDelimitedFormat } from "./delimited_format.ts";

/** Formats of Windows CBS and the 16 Loghub systems, by lower-case name (Loghub's published formats). */
export const LOG_FORMAT_PRESETS: Readonly<Record<string, string>> = Object.freeze({
  windows: "<Date> <Time>, <Level>                  <Component>    <Content>",
  hdfs: "<Date> <Time> <Pid> <Level> <Component>: <Content>",
  hadoop: "<Date> <Time> <Level> \\[<Process>\\] <Component>: <Content>",
  spark: "<Date> <Time> <Level> <Component>: <Content>",
  zookeeper: "<Date> <Time> - <Level>  \\[<Node>:<Component>@<Id>\\] - <Content>",
  bgl: "<Label> <Timestamp> <Date> <Node> <Time> <NodeRepeat> <Type> <Component> <Level> <Content>",
  hpc: "<LogId> <Node> <Component> <State> <Time> <Flag> <Content>",
  thunderbird:
    "<Label> <Timestamp> <Date> <User> <Month> <Day> <Time> <Location> <Component>(\\[<PID>\\])?: <Content>",
  linux: "<Month> <Date> <Time> <Level> <Component>(\\[<PID>\\])?: <Content>",
  android: "<Date> <Time>  <Pid>  <Tid> <Level> <Component>: <Content>",
  healthapp: "<Time>\\|<Component>\\|<Pid>\\|<Content>",
  apache: "\\[<Time>\\] \\[<Level>\\] <Content>",
  proxifier: "\\[<Time>\\] <Program> - <Content>",
  openssh: "<Date> <Day> <Time> <Component> sshd\\[<Pid>\\]: <Content>",
  openstack: "<Logrecord> <Date> <Time> <Pid> <Level> <Component> \\[<ADDR>\\] <Content>",
  mac: "<Month>  <Date> <Time> <User> <Component>\\[<PID>\\]( \\(<Address>\\))?: <Content>",
});

const FIELD = /<([A-Za-z_][A-Za-z0-9_]*)>/g;
const MAX_PATTERN_LENGTH = 4096;

/**
 * Compiles a Loghub-style format string.
 * @param pattern the format string, e.g. `<Date> <Time> <Level> <Component>: <Content>`.
 * @param name a name for the format (default `custom`).
 * @throws {TypeError} when the pattern is not a string.
 * @throws {RangeError} when the pattern is empty, too long, has no field, repeats a field, or its literal
 *   parts are not a valid regular expression.
 */
export function compileLogFormat(pattern: string, name = "custom"): LogFormat {
  if (typeof pattern !== "string") {
    throw new TypeError(
      `Cannot compile log format as pattern must be a string: current type is ${typeof pattern}`,
    );
  }
  if (pattern.trim().length === 0 || pattern.length > MAX_PATTERN_LENGTH) {
    throw new RangeError(
      `Cannot compile log format as pattern must be 1..${MAX_PATTERN_LENGTH} non-blank characters: current length is ${pattern.length}`,
    );
  }
  const fields: string[] = [];
  const literals: string[] = [];
  const groupIndex: number[] = [];
  let groups = 0;
  let source = "^";
  let last = 0;
  for (const m of pattern.matchAll(FIELD)) {
    const lit = literal(pattern.slice(last, m.index));
    literals.push(lit);
    source += lit;
    groups += countGroups(lit);
    const field = m[1];
    if (fields.includes(field)) {
      throw new RangeError(`Cannot compile log format as field <${field}> appears twice in "${pattern}"`);
    }
    fields.push(field);
    source += "(.*?)";
    groupIndex.push(++groups);
    last = m.index + m[0].length;
  }
  literals.push(literal(pattern.slice(last)));
  source += literals[literals.length - 1] + "$";
  if (fields.length === 0) {
    throw new RangeError(
      `Cannot compile log format as pattern has no <Field>: current value is "${pattern}"`,
    );
  }
  let regex: LinearRegex;
  try {
    // V8 first, for its exact syntax checks and messages. `s` so a multi-line Content (continuation lines
    // joined by \n) still matches. Fields are unnamed groups; user-written groups in literals are skipped by
    // index below.
    new RegExp(source, "s");
    regex = new LinearRegex(source, true);
  } catch (cause) {
    throw new RangeError(`Cannot compile log format as "${pattern}" is not a valid expression: ${cause}`, {
      cause,
    });
  }
  const frozen = Object.freeze([...fields]);
  const fast = fastExpression(literals);
  const delimited = compileDelimitedFormat(pattern, frozen);
  const matchValues = (line: string): string[] | null => {
    const text = line.trim();
    if (fast !== undefined) {
      const f = fast.exec(text);
      if (f !== null) {
        const out = new Array<string>(fields.length);
        for (let i = 0; i < fields.length; i++) out[i] = f[2 * i + 1];
        return out;
      }
    }
    if (delimited !== undefined) return delimited.match(text);
    const m = regex.exec(text);
    if (m === null) return null;
    const out = new Array<string>(groupIndex.length);
    for (let i = 0; i < groupIndex.length; i++) out[i] = m[groupIndex[i]] ?? "";
    return out;
  };
  return {
    name,
    pattern,
    fields: frozen,
    expression: source,
    matchValues,
    match(line: string): Record<string, string> | null {
      const values = matchValues(line);
      if (values === null) return null;
      const out: Record<string, string> = {};
      for (let i = 0; i < frozen.length; i++) out[frozen[i]] = values[i];
      return out;
    },
  };
}

/**
 * A V8 expression that finds the same fields as the format's expression on lines that match it at the first
 * try, in linear time, for formats whose literals are plain characters and `\s+` (every preset but those with
 * an optional group). Each field stops at the first character that can start the literal after it, and field
 * and literal are matched atomically (`(?=([^F]*)(L))\1\2`), so V8 never re-splits the line. On a line it does
 * not match the caller asks {@link LinearRegex} (which also finds matches needing a later split); when it matches,
 * the fields are those of the backtracking expression, whose first try it follows step by step. Why: the
 * linear matcher costs ~4× V8 on ordinary lines. Field `i` is group `2i + 1`.
 * @returns the expression, or `undefined` when a literal is not that simple.
 */
function fastExpression(literals: readonly string[]): RegExp | undefined {
  const lits = literals.map(simpleLiteral);
  if (lits.some((l) => l === undefined) || lits[lits.length - 1]!.atoms.length > 0) return undefined;
  let source = "^" + literals[0];
  for (let i = 1; i < literals.length - 1; i++) {
    const { first } = lits[i]!;
    if (first === undefined) return undefined; // two fields with nothing between them
    source += `(?=([^${first}]*)(${literals[i]}))\\${2 * i - 1}\\${2 * i}`;
  }
  return new RegExp(source + "(.*)$", "s");
}

/**
 * Splits a literal into atoms when it is only plain characters, escaped punctuation and `\s+` not followed by
 * something that can also match a space (so matching it at one position costs at most one pass over a run of
 * spaces); `first` is the class body of the characters it can start with.
 */
function simpleLiteral(lit: string): { atoms: string[]; first: string | undefined } | undefined {
  const atoms: string[] = [];
  for (let i = 0; i < lit.length;) {
    if (lit.startsWith("\\s+", i)) {
      atoms.push("\\s+");
      i += 3;
    } else if (lit[i] === "\\" && /^[^\w\s]$/.test(lit[i + 1] ?? "")) {
      atoms.push(lit.slice(i, i + 2));
      i += 2;
    } else if (/^[^\\()[\]{}|*+?.^$\s]$/.test(lit[i])) {
      atoms.push(lit[i]);
      i += 1;
    } else return undefined;
  }
  for (let i = 1; i < atoms.length; i++) if (atoms[i - 1] === "\\s+" && atoms[i] === "\\s+") return undefined;
  const a = atoms[0];
  const first = a === undefined
    ? undefined
    : a === "\\s+"
    ? "\\s"
    : a.length === 2
    ? a
    : `\\${a}`.replace(/^\\(\w)$/, "$1");
  return { atoms, first };
}

/** Counts the capturing groups opened in a piece of regular expression (escapes and classes skipped). */
function countGroups(source: string): number {
  let n = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === "\\") i++;
    else if (c === "[") {
      for (i++; i < source.length && source[i] !== "]"; i++) if (source[i] === "\\") i++;
    } else if (c === "(") {
      if (source[i + 1] !== "?") n++;
      else if (source[i + 2] === "<" && source[i + 3] !== "=" && source[i + 3] !== "!") n++; // named group
    }
  }
  return n;
}

/** Literal text between fields: a regular expression where a run of spaces matches `\s+`. */
function literal(text: string): string {
  return text.replace(/ +/g, "\\s+");
}

/**
 * Resolves a preset name (case-insensitive, e.g. `windows`, `HDFS`) or a format string into a compiled format.
 * @throws {RangeError} when the argument is neither a known preset nor a valid format string.
 */
export function resolveLogFormat(formatOrPreset: string): LogFormat {
  if (typeof formatOrPreset !== "string") {
    throw new TypeError(
      `Cannot resolve log format as it must be a string: current type is ${typeof formatOrPreset}`,
    );
  }
  const key = formatOrPreset.trim().toLowerCase();
  const preset = Object.hasOwn(LOG_FORMAT_PRESETS, key) ? LOG_FORMAT_PRESETS[key] : undefined;
  if (preset !== undefined) return compileLogFormat(preset, key);
  if (!formatOrPreset.includes("<")) {
    throw new RangeError(
      `Cannot resolve log format as "${formatOrPreset}" is neither a preset (${
        Object.keys(LOG_FORMAT_PRESETS).join(", ")
      }) nor a format string with <Field>s`,
    );
  }
  return compileLogFormat(formatOrPreset, "custom");
}
