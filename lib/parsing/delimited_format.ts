/**
 * Matching of a log format made of fields and plain delimiters in time linear in the line, with native string
 * scans: the fields V8's backtracking `RegExp` would give for the format's expression (`^L0(.*?)L1(.*?)…Lk$`,
 * `s` flag), found without backtracking.
 *
 * Why: {@link LinearRegex} is linear too, but it visits (instruction, position) states one by one, about 50 per
 * character of a line of spaces: 100–200 ms for a 64 KiB hostile line against a 5 ms per-line budget. Here each
 * field costs one scan for its delimiter.
 *
 * How. A delimiter is a sequence of characters, `.` (any one character) and `\s+` runs; a field is `(.*?)`
 * (lazy, matches anything). A backtracking engine returns the first match in its search order: each field as
 * short as possible, each `\s+` as long as possible, each optional group taken before skipped, in the order
 * they appear. Since a field absorbs anything, "the rest of the format matches from position q" holds for every
 * q up to some latest position. So one backward pass finds, for each field, the latest start from which the
 * rest still matches, and one forward pass gives each field the nearest delimiter that keeps within it: the
 * backtracking engine's answer. A `\s+` followed by a character cannot give back spaces (characters are never
 * spaces), so only a delimiter's trailing `\s+` has a choice; the run last measured is remembered, so trying a
 * delimiter costs its length. Several `\s+` in a row (`<A> (\[<B>\])? <C>` with the group skipped) are one run
 * of at least that many characters: whatever the split, the run ends where the last one ends, and the first
 * split the engine tries that ends there gives every earlier `\s+` one character less than the next.
 * Candidate starts are scanned with the delimiter's first two atoms tested in the loop, and a run of white
 * space that cannot start the delimiter is skipped whole, so a line of 64 KiB of colons or spaces costs one
 * pass of character reads per delimiter. Work: O(line × longest delimiter), and each optional group doubles
 * it (at most {@link MAX_OPTIONAL_GROUPS}).
 *
 * Supported format syntax: fields `<Name>`, characters other than regex syntax and white space, escaped
 * punctuation (`\[`), `.`, spaces and `\s+` (a run of white space), and optional groups `( … )?` without
 * nesting holding the same. A `.` next to a `\s+` is declined (the `.` could take a space of the run).
 * Other formats return `undefined` from {@link compileDelimitedFormat} (the caller falls back to
 * {@link LinearRegex}).
 * @module
 */

/** Most optional groups: each one doubles the work (every combination is matched). */
export const MAX_OPTIONAL_GROUPS = 3;

/** Delimiter atoms: a character code (≥ 0), {@link WS} (a `\s+` run) or {@link ANY} (`.`). */
const WS = -1;
const ANY = -2;
/** No atom (a delimiter shorter than two atoms). */
const NONE = -3;

/** One delimiter of one combination of optional groups, compiled for matching. */
interface Delimiter {
  /** Its atoms, group marks left out; consecutive `\s+` are one {@link WS} atom (see `min`). */
  atoms: Int32Array;
  /** For a {@link WS} atom, the fewest white-space characters its run takes (how many `\s+` it stands for). */
  min: Int32Array;
  /** Whether the last atom is a {@link WS} with nothing after it in the delimiter: its length is a choice. */
  trailing: boolean;
  /** `atoms[0]` and `atoms[1]`, or {@link NONE}: the candidate scans test them in the loop. */
  first: number;
  second: number;
  /** `first` as a string, for the native searches (`""` when it is not a character). */
  firstChar: string;
  /** Whether a start inside a white-space run that fails makes the whole run fail (first atom a `\s+` whose end is fixed). */
  skipsRuns: boolean;
  /**
   * The backtracking key's entries, in the order of the format: `keyAtom[j]` is the {@link WS} atom an entry
   * measures (`keyVal[j]` characters before that run's end: the `\s+` before the last of a merged run), or -1
   * for a group mark whose value is `keyVal[j]` (`2g` taken, `2g + 1` skipped).
   */
  keyAtom: Int32Array;
  keyVal: Int32Array;
}

/** One combination of the optional groups, flattened: delimiters between the fields it has. */
interface Expansion {
  /** `lits[i]` precedes field `i` (`lits[fields.length]` ends the line). */
  lits: Delimiter[];
  /** Index in the format's field list of each field of this combination. */
  fields: number[];
  /** Scratch of {@link matchExpansion}, reused line after line: latest field starts, field bounds, key. */
  latest: Int32Array;
  bounds: Int32Array;
  key: number[];
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

/** A parsed piece of a format: an atom (see {@link WS}), a field, or an optional group's bounds. */
type Item = { k: "atom"; c: number } | { k: "field"; i: number } | { k: "open"; g: number } | {
  k: "close";
};

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
    } else if (ch === ".") {
      if (/^[?*+{]$/.test(pattern[i + 1] ?? "")) return undefined;
      items.push({ k: "atom", c: ANY });
      i++;
    } else {
      if (/^[\\()[\]{}|*+?^$]$/.test(ch) || isSpace(ch.charCodeAt(0))) return undefined;
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
      let best: Expansion | undefined;
      for (const e of expansions) {
        if (matchExpansion(scan, e, groups > 0) && (best === undefined || compareKeys(e.key, best.key) < 0)) {
          best = e;
        }
      }
      if (best === undefined) return null;
      const out = new Array<string>(width).fill("");
      for (let f = 0; f < best.fields.length; f++) {
        out[best.fields[f]] = text.slice(best.bounds[2 * f], best.bounds[2 * f + 1]);
      }
      return out;
    },
  };
}

/**
 * Flattens one combination of optional groups (bit g of `mask` set = group g skipped); `undefined` when a
 * delimiter has a shape this matcher declines.
 */
function expand(items: readonly Item[], mask: number): Expansion | undefined {
  /** Each delimiter as written: atoms, and group marks as `{ mark }`. */
  const raws: (number | { mark: number })[][] = [[]];
  const fields: number[] = [];
  let skipping = false;
  for (const x of items) {
    if (x.k === "open") {
      const skipped = (mask >> x.g) & 1;
      raws[raws.length - 1].push({ mark: 2 * x.g + skipped });
      skipping = skipped === 1;
    } else if (x.k === "close") skipping = false;
    else if (skipping) continue;
    else if (x.k === "field") {
      fields.push(x.i);
      raws.push([]);
    } else raws[raws.length - 1].push(x.c);
  }
  const lits: Delimiter[] = [];
  for (const raw of raws) {
    const d = compileDelimiter(raw);
    if (d === undefined) return undefined;
    lits.push(d);
  }
  const k = fields.length;
  return { lits, fields, latest: new Int32Array(k + 2), bounds: new Int32Array(2 * k), key: [] };
}

/** Compiles a delimiter as written (atoms and group marks) into its matching form (see {@link Delimiter}). */
function compileDelimiter(raw: readonly (number | { mark: number })[]): Delimiter | undefined {
  const atoms: number[] = [];
  const min: number[] = [];
  const keyAtom: number[] = [];
  const keyVal: number[] = [];
  for (const r of raw) {
    if (typeof r === "object") {
      keyAtom.push(-1);
      keyVal.push(r.mark);
      continue;
    }
    const prev = atoms.length - 1;
    if (r === WS && prev >= 0 && atoms[prev] === WS) {
      keyAtom.push(prev);
      keyVal.push(min[prev]++); // its place in the merged run; turned into "characters before the end" below
      continue;
    }
    // `\s+.` or `.\s+`: the `.` could take a space of the run, so where the delimiter starts would not follow
    // from where it ends.
    if (prev >= 0 && ((r === ANY && atoms[prev] === WS) || (r === WS && atoms[prev] === ANY))) {
      return undefined;
    }
    if (r === WS) {
      keyAtom.push(atoms.length);
      keyVal.push(0);
    }
    atoms.push(r);
    min.push(1);
  }
  for (let j = 0; j < keyAtom.length; j++) {
    if (keyAtom[j] >= 0) keyVal[j] = min[keyAtom[j]] - 1 - keyVal[j];
  }
  const trailing = atoms.length > 0 && atoms[atoms.length - 1] === WS;
  return {
    atoms: Int32Array.from(atoms),
    min: Int32Array.from(min),
    trailing,
    first: atoms[0] ?? NONE,
    second: atoms[1] ?? NONE,
    firstChar: atoms.length > 0 && atoms[0] >= 0 ? String.fromCharCode(atoms[0]) : "",
    skipsRuns: atoms[0] === WS && !(trailing && atoms.length === 1),
    keyAtom: Int32Array.from(keyAtom),
    keyVal: Int32Array.from(keyVal),
  };
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
  /** End of each atom of the delimiter {@link chooseEnd} last placed. */
  atomEnds = new Int32Array(16);
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
  /** Start of the white-space run through `p`, which must be white space. */
  runStart(p: number): number {
    this.runEnd(p);
    return this.#runStart;
  }
}

/**
 * Where a delimiter can end when it starts at `p`: `-1` when it cannot; otherwise its end with every `\s+`
 * at its longest, written to `END[0]`, and its shortest end (differs only with a trailing `\s+`) in `END[1]`.
 */
const END = new Int32Array(2);
function litAt(s: LineScan, d: Delimiter, p: number): number {
  const text = s.text, n = s.n, atoms = d.atoms;
  let pos = p;
  for (let j = 0; j < atoms.length; j++) {
    const c = atoms[j];
    if (pos >= n) return -1;
    if (c >= 0) {
      if (text.charCodeAt(pos) !== c) return -1;
      pos++;
    } else if (c === ANY) pos++;
    else {
      if (!isSpace(text.charCodeAt(pos))) return -1;
      const end = s.runEnd(pos);
      if (end - pos < d.min[j]) return -1;
      if (j === atoms.length - 1 && d.trailing) {
        END[1] = pos + d.min[j];
        END[0] = end;
        return 0;
      }
      pos = end;
    }
  }
  END[0] = END[1] = pos;
  return 0;
}

/**
 * Whether delimiter `d` starting at `p` can end at an allowed place: at most `limit`, or exactly at the
 * end of the line when `last`.
 */
function fits(s: LineScan, d: Delimiter, p: number, limit: number, last: boolean): boolean {
  if (litAt(s, d, p) < 0) return false;
  return last ? END[1] <= s.n && s.n <= END[0] : END[1] <= limit;
}

/** Whether atom `a` matches at `p` ({@link NONE} always does); for {@link WS}, whether a run starts there. */
function atomMatches(text: string, n: number, a: number, p: number): boolean {
  if (a === NONE) return true;
  if (p >= n) return false;
  const c = text.charCodeAt(p);
  return c === a || a === ANY || (a === WS && isSpace(c));
}

/**
 * Characters read one by one before a candidate search asks the native `indexOf`/`lastIndexOf` instead: a
 * native call costs tens of reads, so dense candidates (a line of colons) are read in the loop and sparse ones
 * (a `]` that never comes) are left to the native scan.
 */
const NEAR = 32;

/**
 * Candidate starts of a delimiter, descending from `from`: positions where its first atom matches and its
 * second atom after it (the end of the run for a leading `\s+`); a run that fails is passed over whole.
 */
function prevCandidate(s: LineScan, d: Delimiter, from: number): number {
  const first = d.first, second = d.second;
  if (first === NONE || from < 0) return from;
  const text = s.text, n = s.n;
  const top = from < n ? from : n - 1;
  if (first === WS) {
    for (let p = top; p >= 0; p--) {
      if (!isSpace(text.charCodeAt(p))) continue;
      // Read downwards, a run's end is the character above (already read), except for the run holding `from`.
      if (atomMatches(text, n, second, p === top ? s.runEnd(p) : p + 1)) return p;
      while (p > 0 && isSpace(text.charCodeAt(p - 1))) p--;
    }
    return -1;
  }
  if (first === ANY) {
    for (let p = top; p >= 0; p--) if (atomMatches(text, n, second, p + 1)) return p;
    return -1;
  }
  for (let p = top; p >= 0;) {
    const near = p - NEAR;
    for (; p >= 0 && p > near; p--) {
      if (text.charCodeAt(p) === first && atomMatches(text, n, second, p + 1)) return p;
    }
    if (p < 0) return -1;
    p = text.lastIndexOf(d.firstChar, p);
    if (p < 0) return -1;
  }
  return -1;
}

/** Candidate starts of a delimiter, ascending from `from` (as {@link prevCandidate}); -1 when none. */
function nextCandidate(s: LineScan, d: Delimiter, from: number): number {
  const first = d.first, second = d.second;
  const text = s.text, n = s.n;
  if (first === NONE) return from > n ? -1 : from;
  if (first === WS) {
    for (let p = from; p < n; p++) {
      if (!isSpace(text.charCodeAt(p))) continue;
      let end = p + 1;
      while (end < n && isSpace(text.charCodeAt(end))) end++;
      if (atomMatches(text, n, second, end)) return p;
      p = end - 1;
    }
    return -1;
  }
  if (first === ANY) {
    for (let p = from; p < n; p++) if (atomMatches(text, n, second, p + 1)) return p;
    return -1;
  }
  for (let p = from; p < n;) {
    const near = p + NEAR;
    for (; p < n && p < near; p++) {
      if (text.charCodeAt(p) === first && atomMatches(text, n, second, p + 1)) return p;
    }
    if (p >= n) return -1;
    p = text.indexOf(d.firstChar, p);
    if (p < 0) return -1;
  }
  return -1;
}

/**
 * Matches one combination: the backward pass finds `latest[i]`, the last start of field `i` from which the
 * rest matches; the forward pass gives each field the nearest delimiter that ends by the next field's latest
 * start. Whether the line matches; the field bounds go to `e.bounds` and, with optional groups, the key of
 * its place in the backtracking order to `e.key`.
 */
function matchExpansion(
  s: LineScan,
  e: Expansion,
  withKey: boolean,
): boolean {
  const k = e.fields.length;
  const n = s.n;
  const latest = e.latest;
  latest[k + 1] = n;
  for (let i = k; i >= 1; i--) {
    const d = e.lits[i], last = i === k;
    let p = prevCandidate(s, d, last ? n : latest[i + 1]);
    while (p >= 0 && !fits(s, d, p, latest[i + 1], last)) {
      // A leading `\s+` whose end is fixed fails alike from every start in its run that leaves it its minimum.
      const skip = d.skipsRuns && s.runEnd(p) - p >= d.min[0];
      p = prevCandidate(s, d, skip ? s.runStart(p) - 1 : p - 1);
    }
    if (p < 0) return false;
    latest[i] = p;
  }
  if (!fits(s, e.lits[0], 0, latest[1], k === 0)) return false;
  const key = e.key;
  key.length = 0;
  let cur = chooseEnd(s, e.lits[0], 0, latest[1], k === 0, withKey ? key : undefined);
  const bounds = e.bounds;
  for (let i = 1; i <= k; i++) {
    const d = e.lits[i], last = i === k;
    let p: number;
    if (last && !d.trailing) {
      // The delimiter ending the line, without a trailing `\s+`, is forced when read backwards, except for
      // where a leading `\s+` starts in its run: the earliest start is the backward pass's one, moved to the
      // start of its run (scanning every candidate to the end of the line cost O(line) tests).
      p = latest[i];
      if (d.first === WS) { while (p > cur && isSpace(s.text.charCodeAt(p - 1))) p--; }
    } else p = nextCandidate(s, d, cur);
    while (p >= 0 && p <= latest[i] && !fits(s, d, p, latest[i + 1], last)) {
      // Later starts in the same run leave a shorter run for a leading `\s+` with the same end: they fail too.
      p = nextCandidate(s, d, d.skipsRuns ? s.runEnd(p) : p + 1);
    }
    if (p < 0 || p > latest[i]) return false; // cannot happen: latest[i] itself fits
    bounds[2 * i - 2] = cur;
    bounds[2 * i - 1] = p;
    if (withKey) key.push(p);
    cur = chooseEnd(s, d, p, latest[i + 1], last, withKey ? key : undefined);
  }
  return true;
}

/**
 * The end a delimiter starting at `p` takes: its trailing `\s+` as long as the rest allows. Appends to `key`
 * the choices in backtracking order: `-end` of each `\s+` (longer first; in a merged run each one ends one
 * character before the next) and each group mark (taken first).
 */
function chooseEnd(
  s: LineScan,
  d: Delimiter,
  p: number,
  limit: number,
  last: boolean,
  key: number[] | undefined,
): number {
  litAt(s, d, p);
  const end = last ? s.n : Math.min(END[0], limit);
  if (key !== undefined) {
    const atoms = d.atoms;
    if (s.atomEnds.length < atoms.length) s.atomEnds = new Int32Array(atoms.length);
    const ends = s.atomEnds;
    let pos = p;
    for (let j = 0; j < atoms.length; j++) {
      if (atoms[j] !== WS) pos++;
      else pos = j === atoms.length - 1 && d.trailing ? end : s.runEnd(pos);
      ends[j] = pos;
    }
    for (let j = 0; j < d.keyAtom.length; j++) {
      const a = d.keyAtom[j];
      key.push(a < 0 ? d.keyVal[j] : -(ends[a] - d.keyVal[j]));
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
