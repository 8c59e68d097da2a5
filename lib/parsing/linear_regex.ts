/**
 * A regular-expression matcher whose time is linear in the input (O(program size × input length)) and whose
 * captures are exactly those of JavaScript's backtracking `RegExp` (leftmost-first: the first match that
 * V8 would find, lazy and greedy quantifiers included).
 *
 * Why: log formats are compiled into expressions with lazy `(.*?)` fields; on a line that almost matches, V8
 * backtracks through every way of splitting the line between the fields (polynomial in the line length with
 * the number of fields as exponent — one 450-byte HDFS line took 30 s). This is a backtracking matcher that
 * remembers every (instruction, position) state it has already explored (RE2's "BitState"): without
 * back-references a state that failed once fails again, so each state is explored at most once, and the search
 * order — hence the captures — stays that of a backtracking engine.
 *
 * Supported syntax (JavaScript, no flags other than `dotAll`): literals and escapes (`\d \D \w \W \s \S \t \n
 * \r \v \f \0 \xHH \uHHHH`, escaped punctuation), `.`, classes `[...]` `[^...]` with ranges, groups `(...)`,
 * `(?:...)`, `(?<name>...)` (numbered like any capturing group), alternation `|`, quantifiers `* + ? {n}
 * {n,} {n,m}` and their lazy forms, and the assertions `^ $ \b \B`. Lookarounds and back-references are
 * refused: they cannot be matched in linear time. Two differences from JavaScript, in repeated groups only:
 * captures inside them keep their last value instead of being reset at each iteration, and an iteration that
 * matches the empty string is cut rather than failed (`(a*)*`-like groups may then capture differently).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { LinearRegex } from "./linear_regex.ts";
 * const re = new LinearRegex("^(.*?)\\s+(.*?)$", true);
 * assert.deepEqual(re.exec("a b c"), ["a b c", "a", "b c"]);
 * ```
 * @module
 */

const CHAR = 0;
const SET = 1;
const ANY = 2;
const SPLIT = 3; // try a, then b
const JMP = 4;
const SAVE = 5;
const MATCH = 6;
const BOL = 7;
const EOL = 8;
const WORDB = 9;
const NWORDB = 10;
const LAZY_ANY = 11; // `.*?` (dotAll): skips straight to the positions where its continuation can start

const MAX_PROGRAM = 20_000;
const TABLES = new Map<string, Uint8Array>();

/** A set of UTF-16 code units: sorted disjoint inclusive ranges, and a lookup table built on demand. */
class CharSet {
  readonly ranges: readonly number[];
  #table: Uint8Array | undefined;
  constructor(ranges: number[], negate = false) {
    const pairs: [number, number][] = [];
    for (let i = 0; i < ranges.length; i += 2) pairs.push([ranges[i], ranges[i + 1]]);
    pairs.sort((x, y) => x[0] - y[0]);
    const merged: number[] = [];
    for (const [lo, hi] of pairs) {
      if (merged.length > 0 && lo <= merged[merged.length - 1] + 1) {
        merged[merged.length - 1] = Math.max(merged[merged.length - 1], hi);
      } else merged.push(lo, hi);
    }
    let out = merged;
    if (negate) {
      out = [];
      let next = 0;
      for (let i = 0; i < merged.length; i += 2) {
        if (merged[i] > next) out.push(next, merged[i] - 1);
        next = merged[i + 1] + 1;
      }
      if (next <= 0xffff) out.push(next, 0xffff);
    }
    this.ranges = out;
  }
  /** One byte per UTF-16 code unit (64 KiB, shared by equal sets): the matcher's inner loops index it. */
  get table(): Uint8Array {
    if (this.#table === undefined) {
      const key = this.ranges.join(",");
      let t = TABLES.get(key);
      if (t === undefined) {
        t = new Uint8Array(0x10000);
        for (let i = 0; i < this.ranges.length; i += 2) t.fill(1, this.ranges[i], this.ranges[i + 1] + 1);
        if (TABLES.size < 256) TABLES.set(key, t);
      }
      this.#table = t;
    }
    return this.#table;
  }
  static union(sets: readonly CharSet[]): CharSet {
    return new CharSet(sets.flatMap((s) => [...s.ranges]));
  }
}

// JavaScript's \s: WhiteSpace and LineTerminator.
const SPACE_RANGES = [
  9,
  13,
  32,
  32,
  0xa0,
  0xa0,
  0x1680,
  0x1680,
  0x2000,
  0x200a,
  0x2028,
  0x2029,
  0x202f,
  0x202f,
  0x205f,
  0x205f,
  0x3000,
  0x3000,
  0xfeff,
  0xfeff,
];
const WORD_RANGES = [48, 57, 65, 90, 95, 95, 97, 122];
const DIGIT_RANGES = [48, 57];
const LINE_TERMINATORS = [10, 10, 13, 13, 0x2028, 0x2029];

/** A parsed expression node (not DOM `Node`, which the dashboard's type library also declares). */
type RegexNode =
  | { k: "char"; c: number }
  | { k: "set"; set: CharSet }
  | { k: "any" }
  | { k: "assert"; op: number }
  | { k: "group"; index: number; body: RegexNode } // index -1: non-capturing
  | { k: "seq"; items: RegexNode[] }
  | { k: "alt"; options: RegexNode[] }
  | { k: "repeat"; body: RegexNode; min: number; max: number; lazy: boolean };

/** Parses the supported subset of JavaScript regular-expression syntax (see module doc). */
class Parser {
  #i = 0;
  groups = 0;
  constructor(readonly src: string, readonly dotAll: boolean) {}

  parse(): RegexNode {
    const node = this.#alt();
    if (this.#i < this.src.length) this.#fail(`unmatched ')' at ${this.#i}`);
    return node;
  }

  #fail(why: string): never {
    throw new SyntaxError(`Invalid regular expression /${this.src}/: ${why}`);
  }

  #alt(): RegexNode {
    const options = [this.#seq()];
    while (this.src[this.#i] === "|") {
      this.#i++;
      options.push(this.#seq());
    }
    return options.length === 1 ? options[0] : { k: "alt", options };
  }

  #seq(): RegexNode {
    const items: RegexNode[] = [];
    while (this.#i < this.src.length && this.src[this.#i] !== "|" && this.src[this.#i] !== ")") {
      const atom = this.#atom();
      items.push(this.#quantified(atom));
    }
    return items.length === 1 ? items[0] : { k: "seq", items };
  }

  #quantified(atom: RegexNode): RegexNode {
    const s = this.src;
    const c = s[this.#i];
    let min: number, max: number;
    if (c === "*") [min, max] = [0, Infinity];
    else if (c === "+") [min, max] = [1, Infinity];
    else if (c === "?") [min, max] = [0, 1];
    else if (c === "{") {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(s.slice(this.#i, this.#i + 24));
      if (m === null) return atom; // a literal `{`, as JavaScript reads it without the `u` flag
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === "" ? Infinity : Number(m[3]);
      if (max < min) this.#fail("numbers out of order in {} quantifier");
      this.#i += m[0].length - 1;
    } else return atom;
    this.#i++;
    if (atom.k === "assert") this.#fail("nothing to repeat");
    let lazy = false;
    if (s[this.#i] === "?") {
      lazy = true;
      this.#i++;
    }
    const after = s[this.#i];
    if (after === "*" || after === "+" || after === "?") this.#fail("nothing to repeat");
    return { k: "repeat", body: atom, min, max, lazy };
  }

  #atom(): RegexNode {
    const s = this.src;
    const c = s[this.#i++];
    switch (c) {
      case "(":
        return this.#group();
      case "[":
        return this.#class();
      case ".":
        return this.dotAll ? { k: "any" } : { k: "set", set: new CharSet(LINE_TERMINATORS, true) };
      case "^":
        return { k: "assert", op: BOL };
      case "$":
        return { k: "assert", op: EOL };
      case "\\":
        return this.#escape(false) as RegexNode;
      case "*":
      case "+":
      case "?":
        return this.#fail("nothing to repeat");
      default:
        return { k: "char", c: c.charCodeAt(0) };
    }
  }

  #group(): RegexNode {
    const s = this.src;
    let index = -1;
    if (s[this.#i] === "?") {
      if (s[this.#i + 1] === ":") this.#i += 2;
      else if (s[this.#i + 1] === "<" && /[A-Za-z_$]/.test(s[this.#i + 2] ?? "")) {
        const end = s.indexOf(">", this.#i);
        if (end === -1) this.#fail("invalid capture group name");
        this.#i = end + 1;
        index = ++this.groups;
      } else this.#fail("lookarounds cannot be matched in linear time");
    } else index = ++this.groups;
    const body = this.#alt();
    if (s[this.#i] !== ")") this.#fail("unterminated group");
    this.#i++;
    return { k: "group", index, body };
  }

  #class(): RegexNode {
    const s = this.src;
    let negate = false;
    if (s[this.#i] === "^") {
      negate = true;
      this.#i++;
    }
    const ranges: number[] = [];
    while (true) {
      if (this.#i >= s.length) this.#fail("missing /");
      if (s[this.#i] === "]") {
        this.#i++;
        break;
      }
      const lo = this.#classAtom();
      if (s[this.#i] === "-" && s[this.#i + 1] !== "]" && this.#i + 1 < s.length && typeof lo === "number") {
        this.#i++;
        const hi = this.#classAtom();
        if (typeof hi === "number") {
          if (hi < lo) this.#fail("range out of order in character class");
          ranges.push(lo, hi);
          continue;
        }
        ranges.push(lo, lo, 45, 45, ...hi.ranges); // `[a-\d]`: JavaScript reads a, -, \d
        continue;
      }
      if (typeof lo === "number") ranges.push(lo, lo);
      else ranges.push(...lo.ranges);
    }
    return { k: "set", set: new CharSet(ranges, negate) };
  }

  #classAtom(): number | CharSet {
    const c = this.src[this.#i++];
    if (c !== "\\") return c.charCodeAt(0);
    const e = this.#escape(true);
    if ("k" in e) return e.k === "char" ? e.c : (e as { set: CharSet }).set;
    return e;
  }

  /** An escape after `\`; inside a class `\b` is a backspace. */
  #escape(inClass: boolean): RegexNode | CharSet {
    const s = this.src;
    const c = s[this.#i++];
    if (c === undefined) this.#fail("\\ at end of pattern");
    const set = (r: number[], neg = false): RegexNode => ({ k: "set", set: new CharSet(r, neg) });
    const char = (code: number): RegexNode => ({ k: "char", c: code });
    switch (c) {
      case "d":
        return set(DIGIT_RANGES);
      case "D":
        return set(DIGIT_RANGES, true);
      case "w":
        return set(WORD_RANGES);
      case "W":
        return set(WORD_RANGES, true);
      case "s":
        return set(SPACE_RANGES);
      case "S":
        return set(SPACE_RANGES, true);
      case "t":
        return char(9);
      case "n":
        return char(10);
      case "r":
        return char(13);
      case "v":
        return char(11);
      case "f":
        return char(12);
      case "b":
        return inClass ? char(8) : { k: "assert", op: WORDB };
      case "B":
        if (inClass) return char(66);
        return { k: "assert", op: NWORDB };
      case "x":
      case "u": {
        const len = c === "x" ? 2 : 4;
        const hex = s.slice(this.#i, this.#i + len);
        if (/^[0-9A-Fa-f]+$/.test(hex) && hex.length === len) {
          this.#i += len;
          return char(parseInt(hex, 16));
        }
        return char(c.charCodeAt(0));
      }
      case "0":
        if (!/[0-9]/.test(s[this.#i] ?? "")) return char(0);
        return this.#fail("octal escapes are not supported");
      case "k":
        return this.#fail("back-references cannot be matched in linear time");
      default:
        if (c >= "1" && c <= "9") {
          if (inClass) return this.#fail("octal escapes are not supported");
          return this.#fail("back-references cannot be matched in linear time");
        }
        return char(c.charCodeAt(0));
    }
  }
}

/** The compiled program: parallel arrays of op code and operands. */
class Program {
  op: number[] = [];
  a: number[] = [];
  b: number[] = [];
  sets: CharSet[] = [];
  emit(op: number, a = 0, b = 0): number {
    if (this.op.length >= MAX_PROGRAM) {
      throw new SyntaxError(
        `Invalid regular expression: more than ${MAX_PROGRAM} instructions once expanded`,
      );
    }
    this.op.push(op);
    this.a.push(a);
    this.b.push(b);
    return this.op.length - 1;
  }
  get pc(): number {
    return this.op.length;
  }
}

function compileNode(p: Program, n: RegexNode, dotAll: boolean): void {
  switch (n.k) {
    case "char":
      p.emit(CHAR, n.c);
      return;
    case "set":
      p.sets.push(n.set);
      p.emit(SET, p.sets.length - 1);
      return;
    case "any":
      p.emit(ANY);
      return;
    case "assert":
      p.emit(n.op);
      return;
    case "group":
      if (n.index >= 0) p.emit(SAVE, 2 * n.index);
      compileNode(p, n.body, dotAll);
      if (n.index >= 0) p.emit(SAVE, 2 * n.index + 1);
      return;
    case "seq":
      for (const item of n.items) compileNode(p, item, dotAll);
      return;
    case "alt": {
      const jumps: number[] = [];
      for (let i = 0; i < n.options.length; i++) {
        if (i < n.options.length - 1) {
          const split = p.emit(SPLIT);
          p.a[split] = p.pc;
          compileNode(p, n.options[i], dotAll);
          jumps.push(p.emit(JMP));
          p.b[split] = p.pc;
        } else compileNode(p, n.options[i], dotAll);
      }
      for (const j of jumps) p.a[j] = p.pc;
      return;
    }
    case "repeat": {
      const { body, min, max, lazy } = n;
      if (body.k === "any" && min === 0 && max === Infinity && lazy) {
        p.emit(LAZY_ANY); // operand (the continuation's first set) filled in by `analyse`
        return;
      }
      for (let i = 0; i < min; i++) compileNode(p, body, dotAll);
      if (max === Infinity) {
        // L: SPLIT body, out (greedy) or out, body (lazy); body; JMP L
        const split = p.emit(SPLIT);
        compileNode(p, body, dotAll);
        p.emit(JMP, split);
        setSplit(p, split, split + 1, p.pc, lazy);
      } else {
        const splits: number[] = [];
        for (let i = min; i < max; i++) {
          splits.push(p.emit(SPLIT));
          compileNode(p, body, dotAll);
        }
        for (const s of splits) setSplit(p, s, s + 1, p.pc, lazy);
      }
      return;
    }
  }
}

function setSplit(p: Program, split: number, into: number, out: number, lazy: boolean): void {
  p.a[split] = lazy ? out : into;
  p.b[split] = lazy ? into : out;
}

/**
 * A regular expression matched in linear time with JavaScript's capture semantics (see module doc).
 */
export class LinearRegex {
  /** The expression's source. */
  readonly source: string;
  /** Number of capturing groups. */
  readonly groupCount: number;
  readonly #op: Int32Array;
  readonly #a: Int32Array;
  readonly #b: Int32Array;
  /** Per instruction: index among the remembered states (split targets, loop heads), or -1. */
  readonly #memo: Int32Array;
  readonly #memoCount: number;
  /** For each LAZY_ANY: the set of characters its continuation can start with, and whether it can end there. */
  readonly #lazyFirst: (Uint8Array | null)[];
  readonly #lazyEnd: boolean[];
  /** For each LAZY_ANY: its continuation can only match at the end of the input. */
  readonly #lazyOnlyEnd: boolean[];
  readonly #tables: Uint8Array[];
  #bits = new Uint32Array(64);
  #stack = new Int32Array(256);
  #jump = new Int32Array(256);
  readonly #slots: Int32Array;
  #steps = 0;

  /**
   * @param source the expression, in JavaScript syntax (see module doc for the supported subset).
   * @param dotAll whether `.` matches line terminators (the `s` flag).
   * @throws {SyntaxError} on invalid syntax, a lookaround or a back-reference.
   */
  constructor(source: string, dotAll = false) {
    this.source = source;
    const parser = new Parser(source, dotAll);
    const tree = parser.parse();
    this.groupCount = parser.groups;
    this.#slots = new Int32Array(2 * (parser.groups + 1));
    const p = new Program();
    p.emit(SAVE, 0);
    compileNode(p, tree, dotAll);
    p.emit(SAVE, 1);
    p.emit(MATCH);
    this.#op = Int32Array.from(p.op);
    this.#a = Int32Array.from(p.a);
    this.#b = Int32Array.from(p.b);
    this.#tables = p.sets.map((set) => set.table);
    const memo = new Int32Array(p.op.length).fill(-1);
    let count = 0;
    const mark = (pc: number) => {
      if (memo[pc] === -1) memo[pc] = count++;
    };
    this.#lazyFirst = [];
    this.#lazyEnd = [];
    this.#lazyOnlyEnd = [];
    for (let pc = 0; pc < p.op.length; pc++) {
      const op = p.op[pc];
      if (op === SPLIT) {
        mark(pc);
        mark(p.a[pc]);
        mark(p.b[pc]);
      } else if (op === JMP) mark(p.a[pc]);
      else if (op === LAZY_ANY) {
        mark(pc);
        const { set, end, all } = firstOf(p, pc + 1);
        p.a[pc] = this.#lazyFirst.length;
        this.#a[pc] = p.a[pc];
        this.#lazyFirst.push(all ? null : set.table);
        this.#lazyEnd.push(all || end);
        this.#lazyOnlyEnd.push(!all && end && set.ranges.length === 0);
      }
    }
    this.#memo = memo;
    this.#memoCount = count;
  }

  /** Instructions run by the last {@link LinearRegex.exec} (for tests that bound the work done). */
  get lastSteps(): number {
    return this.#steps;
  }

  /**
   * Matches `text` from position 0 (like a `RegExp` anchored with `^` would when the source starts with one;
   * unanchored expressions are tried at every start position, each state still explored at most once).
   * @returns the whole match and the groups (`undefined` for groups that did not take part), or `null`.
   */
  exec(text: string): (string | undefined)[] | null {
    const slots = this.#run(text);
    if (slots === null) return null;
    const out = new Array<string | undefined>(this.groupCount + 1);
    for (let g = 0; g <= this.groupCount; g++) {
      const s = slots[2 * g], e = slots[2 * g + 1];
      out[g] = s >= 0 && e >= 0 ? text.slice(s, e) : undefined;
    }
    return out;
  }

  #run(text: string): Int32Array | null {
    const n = text.length;
    const width = n + 1;
    const words = Math.ceil((this.#memoCount * width) / 32) + 1;
    if (this.#bits.length < words) this.#bits = new Uint32Array(Math.max(words, this.#bits.length * 2));
    else this.#bits.fill(0, 0, words);
    const bits = this.#bits;
    const jumpSize = this.#lazyFirst.length * width;
    if (this.#jump.length < jumpSize) this.#jump = new Int32Array(Math.max(jumpSize, this.#jump.length * 2));
    else this.#jump.fill(0, 0, jumpSize);
    const jump = this.#jump;
    const op = this.#op, A = this.#a, B = this.#b, tables = this.#tables, memo = this.#memo;
    const lazyFirst = this.#lazyFirst, lazyEnd = this.#lazyEnd, lazyOnlyEnd = this.#lazyOnlyEnd;
    const slots = this.#slots.fill(-1); // reused: a typed array per call costs more than the whole match
    // Backtrack stack: pairs (pc, pos) to try, or (-1 - slot, old value) to restore a capture.
    let stack = this.#stack;
    let sp = 0;
    let steps = 0;
    const anchored = op[1] === BOL;
    for (let start = 0; start <= n; start++) {
      stack[sp++] = 0;
      stack[sp++] = start;
      while (sp > 0) {
        let pos = stack[--sp];
        let pc = stack[--sp];
        if (pc < 0) {
          slots[-1 - pc] = pos;
          continue;
        }
        thread: while (true) {
          steps++;
          const m = memo[pc];
          if (m !== -1) {
            const bit = m * width + pos;
            const w = bits[bit >>> 5], mask = 1 << (bit & 31);
            if ((w & mask) !== 0) break;
            bits[bit >>> 5] = w | mask;
          }
          if (sp + 4 > stack.length) {
            const grown = new Int32Array(stack.length * 2);
            grown.set(stack);
            stack = this.#stack = grown;
          }
          switch (op[pc]) {
            case CHAR:
              if (pos < n && text.charCodeAt(pos) === A[pc]) {
                pc++;
                pos++;
                continue;
              }
              break thread;
            case SET:
              if (pos < n && tables[A[pc]][text.charCodeAt(pos)] === 1) {
                pc++;
                pos++;
                continue;
              }
              break thread;
            case ANY:
              if (pos < n) {
                pc++;
                pos++;
                continue;
              }
              break thread;
            case SPLIT:
              stack[sp++] = B[pc];
              stack[sp++] = pos;
              pc = A[pc];
              continue;
            case JMP:
              pc = A[pc];
              continue;
            case SAVE:
              stack[sp++] = -1 - A[pc];
              stack[sp++] = slots[A[pc]];
              slots[A[pc]] = pos;
              pc++;
              continue;
            case MATCH:
              this.#steps = steps;
              return slots;
            case BOL:
              if (pos === 0) {
                pc++;
                continue;
              }
              break thread;
            case EOL:
              if (pos === n) {
                pc++;
                continue;
              }
              break thread;
            case WORDB:
            case NWORDB: {
              const edge = isWord(text, pos - 1) !== isWord(text, pos);
              if (edge === (op[pc] === WORDB)) {
                pc++;
                continue;
              }
              break thread;
            }
            case LAZY_ANY: {
              // `.*?`: try the continuation at the first position it can start at (a "candidate"), and remember to
              // resume the star one character further. The state at a non-candidate position is the state at the
              // next candidate, so it is that one that is remembered; `jump` remembers, per position scanned, the
              // next candidate, so that entering a stretch already scanned costs O(1).
              const first = lazyFirst[A[pc]];
              if (first !== null) {
                const base = A[pc] * width;
                let q = pos;
                if (lazyOnlyEnd[A[pc]]) q = n; // `(.*?)$`: the last field takes the rest
                else {
                  let known = -1; // where the scan ran into a stretch scanned before
                  while (q < n && first[text.charCodeAt(q)] === 0) {
                    const j = jump[base + q];
                    if (j !== 0) {
                      known = q;
                      q = j - 1;
                      break;
                    }
                    q++;
                    steps++;
                  }
                  const scanned = known === -1 ? q : known;
                  if (scanned > pos) jump.fill(q + 1, base + pos, base + scanned);
                }
                if (q === n && !lazyEnd[A[pc]]) break thread;
                if (q !== pos) {
                  const bit = m * width + q;
                  const w = bits[bit >>> 5], mask = 1 << (bit & 31);
                  if ((w & mask) !== 0) break thread;
                  bits[bit >>> 5] = w | mask;
                }
                pos = q;
              }
              if (pos < n) {
                stack[sp++] = pc;
                stack[sp++] = pos + 1;
              }
              pc++;
              continue;
            }
          }
          break;
        }
      }
      if (anchored) break; // `^`: no other start can match
    }
    this.#steps = steps;
    return null;
  }
}

function isWord(text: string, i: number): boolean {
  if (i < 0 || i >= text.length) return false;
  const c = text.charCodeAt(i);
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/**
 * What the code from `pc` can start with: the union of the character sets first consumed, whether it can reach
 * the end of the input (`$`) without consuming, and `all` when anything else zero-width (`^`, `\b`, a match, a
 * nested `.*?`) makes every position a candidate.
 */
function firstOf(p: Program, pc: number): { set: CharSet; end: boolean; all: boolean } {
  const sets: CharSet[] = [];
  let end = false, all = false;
  const seen = new Set<number>();
  const todo = [pc];
  while (todo.length > 0 && !all) {
    const i = todo.pop()!;
    if (seen.has(i)) continue;
    seen.add(i);
    switch (p.op[i]) {
      case CHAR:
        sets.push(new CharSet([p.a[i], p.a[i]]));
        break;
      case SET:
        sets.push(p.sets[p.a[i]]);
        break;
      case SPLIT:
        todo.push(p.a[i], p.b[i]);
        break;
      case JMP:
        todo.push(p.a[i]);
        break;
      case SAVE:
        todo.push(i + 1);
        break;
      case EOL:
        end = true;
        break;
      default: // ANY, LAZY_ANY, MATCH, BOL, \b, \B
        all = true;
    }
  }
  return { set: CharSet.union(sets), end, all };
}
