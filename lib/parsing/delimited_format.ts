/**
 * Matching of a log format made of fields and plain delimiters in time linear in the line, with native string
 * scans: the fields V8's backtracking `RegExp` would give for the format's expression (`^L0(.*?)L1(.*?)…Lk$`,
 * `s` flag), found without backtracking.
 *
 * Why: {@link LinearRegex} is linear too, but it visits (instruction, position) states one by one, about 50 per
 * character of a line of spaces: 100–200 ms for a 64 KiB hostile line against a 5 ms per-line budget. Here each
 * field costs one scan for its delimiter.
 *
 * How. A delimiter is a sequence of characters and `\s+` runs; a field is `(.*?)` (lazy, matches anything).
 * A backtracking engine returns the first match in its search order: each field as short as possible, each
 * `\s+` as long as possible, each optional group taken before skipped, in the order they appear. Since a field
 * absorbs anything, "the rest of the format matches from position q" holds for every q up to some latest
 * position. So one backward pass finds, for each field, the latest start from which the rest still matches,
 * and one forward pass gives each field the nearest delimiter that keeps within it: the backtracking engine's
 * answer. A `\s+` followed by a character cannot give back spaces (characters are never spaces), so only a
 * delimiter's trailing `\s+` has a choice; the run last measured is remembered, so trying a delimiter costs
 * its length. Work: O(line × longest delimiter), and each optional group doubles it (at most
 * {@link MAX_OPTIONAL_GROUPS}).
 *
 * Supported format syntax: fields `<Name>`, characters other than regex syntax and white space, escaped
 * punctuation (`\[`), spaces and `\s+` (a run of white space), and optional groups `( … )?` without nesting
 * holding the same. Other formats return `undefined` from {@link compileDelimitedFormat} (the caller falls back
 * to {@link LinearRegex}).
 * @module
 */

/** Most optional groups: each one doubles the work (every combination is matched). */
export const MAX_OPTIONAL_GROUPS = 3;

/** A delimiter atom: a character code, `WS` (a `\s+` run), or a group choice mark `-2 - 2g - taken?0:1`. */
const WS = -1;

/** One combination of the optional groups, flattened: delimiters between the fields it has. */
interface Expansion {
  /** `lits[i]` precedes field `i` (`lits[fields.length]` ends the line): atoms, see {@link WS}. */
  lits: Int32Array[];
  /** Index in the format's field list of each field of this combination. */
  fields: number[];
  /** Index of the last `WS` in each literal when no character follows it (its length is a choice), else -1. */
  trailing: number[];
}

/** A matcher for a format of fields and plain delimiters (see module doc). */
export interface DelimitedFormat {
  /**
   * The field values (`""` for fields of optional groups that did not take part), or `null` when the line
   * does not match; `text` must already be trimmed the way the format trims.
   */
  match(text: string): string[] | null;
}

const FIELD = /<([A-Za-z_][A-Za-z0-9_]*)>/y;

/**
 * Compiles a Loghub-style format into a delimiter matcher.
 * @param pattern the format string (see {@link compileLogFormat}).
 * @param fieldNames its fields in order.
 * @returns the matcher, or `undefined` when the format uses syntax this matcher does not cover.
 */
export function compileDelimitedFormat(
  pattern: string,
  fieldNames: readonly string[],
): DelimitedFormat | undefined {
  // Parse into a flat list: atoms (char / WS), fields (index), group open / close.
  type Item = { k: "atom"; c: number } | { k: "field"; i: number } | { k: "open"; g: number } | {
    k: "close";
  };
  const items: Item[] = [];
  let groups = 0;
  let inGroup = false;
  for (let i = 0; i < pattern.length;) {
    const ch = pattern[i];
    FIELD.lastIndex = i;
    const f = FIELD.exec(pattern);
    if (f !== null) {
      items.push({ k: "field", i: fieldNames.indexOf(f[1]) });
      i += f[0].length;
    } else if (ch === " ") {
      while (pattern[i] === " ") i++;
      items.push({ k: "atom", c: WS });
    } else if (pattern.startsWith("\\s+", i)) {
      items.push({ k: "atom", c: WS });
      i += 3;
    } else if (ch === "\\") {
      const e = pattern[i + 1] ?? "";
      if (!/^[^\w\s]$/.test(e)) return undefined;
      items.push({ k: "atom", c: e.charCodeAt(0) });
      i += 2;
    } else if (ch === "(") {
      if (inGroup || pattern[i + 1] === "?" || ++groups > MAX_OPTIONAL_GROUPS) return undefined;
      inGroup = true;
      items.push({ k: "open", g: groups - 1 });
      i++;
    } else if (ch === ")") {
      if (!inGroup || pattern[i + 1] !== "?" || /^[?*+{]$/.test(pattern[i + 2] ?? "")) return undefined;
      inGroup = false;
      items.push({ k: "close" });
      i += 2;
    } else {
      if (/^[\\()[\]{}|*+?.^$]$/.test(ch) || isSpace(ch.charCodeAt(0))) return undefined;
      items.push({ k: "atom", c: ch.charCodeAt(0) });
      i++;
    }
  }
  if (inGroup || items.some((x) => x.k === "field" && x.i < 0)) return undefined;
  const expansions: Expansion[] = [];
  for (let mask = 0; mask < 1 << groups; mask++) {
    const e = expand(items, mask);
    if (e === undefined) return undefined;
    expansions.push(e);
  }
  const width = fieldNames.length;
  const scan = new LineScan();
  return {
    match(text: string): string[] | null {
      scan.reset(text);
      let best: { e: Expansion; bounds: Int32Array; key: number[] } | undefined;
      for (const e of expansions) {
        const r = matchExpansion(scan, e, groups > 0);
        if (r !== null && (best === undefined || compareKeys(r.key, best.key) < 0)) best = { e, ...r };
      }
      if (best === undefined) return null;
      const out = new Array<string>(width).fill("");
      for (let f = 0; f < best.e.fields.length; f++) {
        out[best.e.fields[f]] = text.slice(best.bounds[2 * f], best.bounds[2 * f + 1]);
      }
      return out;
    },
  };
}

/** Flattens one combination of optional groups (bit g of `mask` set = group g skipped). */
function expand(
  items: readonly ({ k: string; c?: number; i?: number; g?: number })[],
  mask: number,
): Expansion | undefined {
  const lits: number[][] = [[]];
  const fields: number[] = [];
  let skipping = false;
  for (const x of items) {
    if (x.k === "open") {
      const skipped = (mask >> x.g!) & 1;
      lits[lits.length - 1].push(-2 - 2 * x.g! - skipped);
      skipping = skipped === 1;
    } else if (x.k === "close") skipping = false;
    else if (skipping) continue;
    else if (x.k === "field") {
      fields.push(x.i!);
      lits.push([]);
    } else {
      const lit = lits[lits.length - 1];
      let prev = lit.length - 1;
      while (prev >= 0 && lit[prev] < WS) prev--;
      if (x.c === WS && prev >= 0 && lit[prev] === WS) return undefined; // `\s+\s+`: the split is a choice
      lit.push(x.c!);
    }
  }
  const trailing = lits.map((lit) => {
    for (let j = lit.length - 1; j >= 0; j--) {
      if (lit[j] === WS) return j;
      if (lit[j] >= 0) return -1;
    }
    return -1;
  });
  return { lits: lits.map((l) => Int32Array.from(l)), fields, trailing };
}

/**
 * Per-line scratch: the line, and the white-space run last measured (the searches ask again and again about
 * positions of the same run; remembering it keeps a long run from being rescanned per position).
 */
class LineScan {
  text = "";
  n = 0;
  #runStart = 0;
  #runStop = -1;
  reset(text: string): void {
    this.text = text;
    this.n = text.length;
    this.#runStop = -1;
  }
  /** End of the white-space run through `p` (`p` itself when `text[p]` is not white space). */
  runEnd(p: number): number {
    if (p >= this.#runStart && p < this.#runStop) return this.#runStop;
    const text = this.text, n = this.n;
    if (p >= n || !isSpace(text.charCodeAt(p))) return p;
    let start = p;
    while (start > 0 && isSpace(text.charCodeAt(start - 1))) start--;
    let stop = p + 1;
    while (stop < n && isSpace(text.charCodeAt(stop))) stop++;
    this.#runStart = start;
    this.#runStop = stop;
    return stop;
  }
}

/**
 * Where a delimiter can end when it starts at `p`: `-1` when it cannot; otherwise its end with every `\s+`
 * at its longest, written to `END[0]`, and its shortest end (differs only with a trailing `\s+`) in `END[1]`.
 */
const END = new Int32Array(2);
function litAt(s: LineScan, lit: Int32Array, trailing: number, p: number): number {
  const text = s.text, n = s.n;
  let pos = p;
  for (let j = 0; j < lit.length; j++) {
    const c = lit[j];
    if (c >= 0) {
      if (pos >= n || text.charCodeAt(pos) !== c) return -1;
      pos++;
    } else if (c === WS) {
      if (pos >= n || !isSpace(text.charCodeAt(pos))) return -1;
      if (j === trailing) {
        END[1] = pos + 1;
        END[0] = s.runEnd(pos);
        return 0;
      }
      pos = s.runEnd(pos);
    }
  }
  END[0] = END[1] = pos;
  return 0;
}

/** The first real atom of a delimiter (marks skipped), or `undefined` when it has none. */
function firstAtom(lit: Int32Array): number | undefined {
  for (const c of lit) if (c >= WS) return c;
  return undefined;
}

/**
 * Whether delimiter `lit` starting at `p` can end at an allowed place: at most `limit`, or exactly at the
 * end of the line when `last`.
 */
function fits(
  s: LineScan,
  lit: Int32Array,
  trailing: number,
  p: number,
  limit: number,
  last: boolean,
): boolean {
  if (litAt(s, lit, trailing, p) < 0) return false;
  return last ? END[1] <= s.n && s.n <= END[0] : END[1] <= limit;
}

/** Candidate starts of a delimiter, descending from `from`: positions of its first character. */
function prevCandidate(s: LineScan, first: number | undefined, from: number): number {
  if (first === undefined || from < 0) return from;
  if (first === WS) {
    let p = from;
    while (p >= 0 && !isSpace(s.text.charCodeAt(p))) p--;
    return p;
  }
  return s.text.lastIndexOf(String.fromCharCode(first), from);
}

/** Candidate starts of a delimiter, ascending from `from`. */
function nextCandidate(s: LineScan, first: number | undefined, from: number): number {
  if (first === undefined || from > s.n) return from > s.n ? -1 : from;
  if (first === WS) {
    let p = from;
    while (p < s.n && !isSpace(s.text.charCodeAt(p))) p++;
    return p < s.n ? p : -1;
  }
  return s.text.indexOf(String.fromCharCode(first), from);
}

/**
 * Matches one combination: the backward pass finds `latest[i]`, the last start of field `i` from which the
 * rest matches; the forward pass gives each field the nearest delimiter that ends by the next field's latest
 * start. Returns field bounds and, with optional groups, the key of its place in the backtracking order.
 */
function matchExpansion(
  s: LineScan,
  e: Expansion,
  withKey: boolean,
): { bounds: Int32Array; key: number[] } | null {
  const k = e.fields.length;
  const n = s.n;
  const latest = new Int32Array(k + 2);
  latest[k + 1] = n;
  for (let i = k; i >= 1; i--) {
    const lit = e.lits[i], first = firstAtom(lit), last = i === k;
    let p = prevCandidate(s, first, last ? n : latest[i + 1]);
    while (p >= 0 && !fits(s, lit, e.trailing[i], p, latest[i + 1], last)) p = prevCandidate(s, first, p - 1);
    if (p < 0) return null;
    latest[i] = p;
  }
  if (!fits(s, e.lits[0], e.trailing[0], 0, latest[1], k === 0)) return null;
  const key: number[] = [];
  let cur = chooseEnd(s, e.lits[0], e.trailing[0], 0, latest[1], k === 0, withKey ? key : undefined);
  const bounds = new Int32Array(2 * k);
  for (let i = 1; i <= k; i++) {
    const lit = e.lits[i], first = firstAtom(lit), last = i === k;
    let p: number;
    if (last && e.trailing[i] === -1) {
      // The delimiter ending the line, without a trailing `\s+`, is forced when read backwards, except for
      // where a leading `\s+` starts in its run: the earliest start is the backward pass's one, moved to the
      // start of its run (scanning every candidate to the end of the line cost O(line) tests).
      p = latest[i];
      if (first === WS) { while (p > cur && isSpace(s.text.charCodeAt(p - 1))) p--; }
    } else p = nextCandidate(s, first, cur);
    while (p >= 0 && p <= latest[i] && !fits(s, lit, e.trailing[i], p, latest[i + 1], last)) {
      p = nextCandidate(s, first, p + 1);
    }
    if (p < 0 || p > latest[i]) return null; // cannot happen: latest[i] itself fits
    bounds[2 * i - 2] = cur;
    bounds[2 * i - 1] = p;
    if (withKey) key.push(p);
    cur = chooseEnd(s, lit, e.trailing[i], p, latest[i + 1], last, withKey ? key : undefined);
  }
  return { bounds, key };
}

/**
 * The end a delimiter starting at `p` takes: its trailing `\s+` as long as the rest allows. Appends to `key`
 * the choices in backtracking order: `-end` of each `\s+` (longer first) and each group mark (taken first).
 */
function chooseEnd(
  s: LineScan,
  lit: Int32Array,
  trailing: number,
  p: number,
  limit: number,
  last: boolean,
  key: number[] | undefined,
): number {
  litAt(s, lit, trailing, p);
  const end = last ? s.n : Math.min(END[0], limit);
  if (key !== undefined) {
    let pos = p;
    for (let j = 0; j < lit.length; j++) {
      const c = lit[j];
      if (c >= 0) pos++;
      else if (c === WS) {
        pos = j === trailing ? end : s.runEnd(pos);
        key.push(-pos);
      } else key.push(-2 - c); // group g: 2g taken, 2g + 1 skipped
    }
  }
  return end;
}

/** Lexicographic order of backtracking keys (the first difference decides). */
function compareKeys(a: readonly number[], b: readonly number[]): number {
  const m = Math.min(a.length, b.length);
  for (let i = 0; i < m; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return a.length - b.length;
}

/** JavaScript's `\s`: white space and line terminators. */
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}
