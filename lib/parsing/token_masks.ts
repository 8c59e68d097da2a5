/**
 * Default variable masking of message tokens, the same for every log system (no per-dataset settings).
 *
 * A message is split on whitespace and each token is masked on its own (so template tokens stay aligned with
 * the message's tokens and parameters can be read back). Within a token:
 * - URLs (`scheme://...`), absolute or relative paths with at least two `/` or a `\` after a drive or share
 *   (`/etc/x/y`, `C:\Windows\x`, `\\host\share`) become `<*>` as a whole;
 * - `key=value` pairs keep the key and mask the value by these same rules (`uid=0` → `uid=<*>`,
 *   `file=/a/b/c` → `file=<*>`); plain-word values (`user=root`) stay, as Loghub's ground truths treat them as
 *   part of the event (measured: masking them costs 0.12 GA on Linux), and similarity still merges them;
 * - every alphanumeric run that contains a digit is a variable (numbers, hex ids and addresses, IPs, ports,
 *   GUIDs, dates and times, sizes like `64MB`, versions, block ids), and runs of variables joined only by
 *   `. : - / , _ + @ #` collapse into one `<*>` (`10.0.0.1:8080` → `<*>`, `blk_-123` → `blk_<*>`,
 *   `2016/9/27:20:30:31.455` → `<*>`, `0x7fed806eb5d` → `<*>`).
 * - month and weekday names (`Jul`, `Sun`, `JULY`) are date parts, hence variables.
 * - a run of 8 hex letters (`bbfcafcc`), or of 4 joined to a variable (`<*>-dcea-<*>`), is a hex id drawn
 *   without a digit: a variable too; so is one letter between two variables (`attempt_<*>_m_<*>` → `attempt_<*>`).
 * - but a name of two or more letters ending in one digit (`ssh2`, `jk2_init()`, `eth0`) is a constant.
 * Each of these three was kept by leave-one-system-out (bench/parser_generalisation.ts): no system lost GA or PA.
 * Tokens without a digit, `=`, `/` or `\` are returned unchanged (fast path).
 * @module
 */

/** The variable marker used in templates. */
export const WILDCARD = "<*>";

// Month and weekday names are date parts: `Sun Jul 10 03:55:15 2005` must be one variable, like its numbers.
const DATE_WORDS = new Set(
  [
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Sept",
    "Oct",
    "Nov",
    "Dec",
    "January",
    "February",
    "March",
    "April",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Mon",
    "Tue",
    "Wed",
    "Thu",
    "Fri",
    "Sat",
    "Sun",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
  ].flatMap((w) => [w, w.toUpperCase()]),
);
const URL_LIKE = /^[("'[]*[A-Za-z][A-Za-z0-9+.-]*:\/\//;

/**
 * Masks the variable parts of one token (see module doc).
 * @param token a whitespace-free token.
 * @returns the token with variables replaced by `<*>` (the same string when nothing is variable).
 */
export function maskToken(token: string): string {
  let digit = false;
  let special = false;
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if (c >= 48 && c <= 57) digit = true;
    else if (c === 61 || c === 47 || c === 92) special = true; // = / \
  }
  return maskScanned(token, digit, special);
}

/**
 * Whether a token without a digit holds a run of {@link HEX_WORD_CHARS} hex letters (then it is masked as if it
 * had digits); a word costs about one character check in eight.
 */
function hasHexWord(token: string): boolean {
  // Window test: look at the last character of each 8-wide window; a non-hex one rules out every window holding
  // it, so most words cost a character in eight.
  const n = token.length;
  let i = HEX_WORD_CHARS - 1;
  while (i < n) {
    if (!isHexLetter(token.charCodeAt(i))) {
      i += HEX_WORD_CHARS;
      continue;
    }
    let j = i - 1;
    while (j > i - HEX_WORD_CHARS && isHexLetter(token.charCodeAt(j))) j--;
    if (j === i - HEX_WORD_CHARS) return true;
    i = j + HEX_WORD_CHARS;
  }
  return false;
}

/**
 * A run of this many hex letters (`a-f`, no digit) is a hex id, not a word: a random hex id has no digit once in
 * a few thousand (`SHA256:bbfcafcc`), and no English word of 8 letters is spelt with `a-f` alone.
 */
const HEX_WORD_CHARS = 8;
/**
 * A shorter run of hex letters joined to a variable (`<*>-dcea-<*>`: a GUID group drawn without a digit) is part
 * of it when at least this long; shorter words (`a`, `be`, `add`) stay constants.
 */
const HEX_GROUP_CHARS = 4;

/** `a-f` or `A-F`. */
function isHexLetter(c: number): boolean {
  return (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

/** Whether `s[start, end)` is hex letters only (see {@link HEX_WORD_CHARS}). */
function isHexLetters(s: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (!isHexLetter(s.charCodeAt(i))) return false;
  return true;
}

/** {@link maskToken} once the token was scanned for digits and `= / \\`. */
function maskScanned(token: string, digit: boolean, special: boolean): string {
  if (!digit && hasHexWord(token)) digit = true;
  if (!digit && !special) {
    const c = token.charCodeAt(0);
    return c >= 65 && c <= 90 && token.length <= 9 && DATE_WORDS.has(token) ? WILDCARD : token;
  }
  if (special) {
    const kv = splitKeyValue(token);
    if (kv !== null && kv[1] !== "") return kv[0] + maskPlain(kv[1], true) + kv[2];
    if (URL_LIKE.test(token) || isPath(token)) return WILDCARD;
  }
  return digit ? maskDigits(token) : token;
}

/**
 * Splits `key=value` into the key with its `=` (after optional leading punctuation), the value, and the trailing
 * closing punctuation; the split of `/^([^\w]*[A-Za-z_][\w.-]*=)(.*?)([)\]}>,;.'"]*)$/`, in one pass. That
 * expression took quadratic time (1 s for `a=` and 20k dots then `x`: the lazy value and the trailing class
 * traded every split of the dots).
 * @returns `[key=, value, trail]`, or `null` when the token is not `key=value`.
 */
export function splitKeyValue(token: string): [string, string, string] | null {
  const n = token.length;
  let i = 0;
  while (i < n && !isWordChar(token.charCodeAt(i))) i++;
  const c = token.charCodeAt(i);
  if (i >= n || !((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95)) return null;
  let j = i + 1;
  for (let d: number; j < n && (isWordChar(d = token.charCodeAt(j)) || d === 46 || d === 45); j++);
  if (token.charCodeAt(j) !== 61) return null; // `=`
  let end = n;
  while (end > j + 1 && isTrailing(token.charCodeAt(end - 1))) end--;
  // `.` of the expression matches no line terminator, so a value holding one was no match either.
  for (let k = j + 1; k < end; k++) {
    const d = token.charCodeAt(k);
    if (d === 10 || d === 13 || d === 0x2028 || d === 0x2029) return null;
  }
  return [token.slice(0, j + 1), token.slice(j + 1, end), token.slice(end)];
}

function isWordChar(c: number): boolean {
  return isAlnum(c) || c === 95;
}

/**
 * `<*>` with the token's leading `( [ " '` and trailing `) ] } > , ; . ' " :` kept: a quoted or bracketed path
 * reads `"<*>"`, `[<*>`, `<*>.` — the punctuation is the message's, not the value's. With `scheme`, a URL also
 * keeps its scheme (`"http://<*>"`, `hdfs://<*>`): the kind of address is part of the event, the address is not.
 */
export function framedWildcard(token: string, scheme = false): string {
  let from = 0;
  for (
    let c: number;
    from < token.length &&
    ((c = token.charCodeAt(from)) === 40 || c === 91 || c === 34 || c === 39);
  ) from++;
  let end = token.length;
  while (end > from && (isTrailing(token.charCodeAt(end - 1)) || token.charCodeAt(end - 1) === 58)) end--;
  let head = from;
  if (scheme) {
    const m = URL_SCHEME.exec(token.slice(from, end));
    if (m !== null && from + m[0].length < end) head = from + m[0].length;
  }
  return head === 0 && end === token.length ? WILDCARD : token.slice(0, head) + WILDCARD + token.slice(end);
}

/**
 * The readable form of a path masked whole whose file name holds an id: the directories one `<*>` (after the
 * path's leading separator), the file name masked as a token of its own (`/mnt/dfs/current/subdir5/blk_178…` →
 * `/<*>/blk_<*>`; `/tmp/x/part-00590.` → `/<*>/part-<*>.`), the message's quotes and brackets kept. Why: the
 * masker shows an id token as `blk_<*>` anywhere else in a message, and the same id as a file name is the same
 * kind of value. Only a name that is a word, `_` or `-`, then the id: a name without a variable
 * (`workers2.properties`, `cbscore.dll`), or all id (`R63-M0-N8.map`), or an id after a dot (`snapshot.1a2b`, a
 * counter or an extension) gives no id shape to show.
 * @returns the readable token, or `null` when the token is not such a path (a URL, no directory, no id).
 */
export function pathWildcard(token: string): string | null {
  if ((token.indexOf("/") === -1 && token.indexOf("\\") === -1) || URL_LIKE.test(token)) return null;
  let from = 0;
  for (
    let c: number;
    from < token.length &&
    ((c = token.charCodeAt(from)) === 40 || c === 91 || c === 34 || c === 39);
  ) from++;
  let end = token.length;
  while (end > from && (isTrailing(token.charCodeAt(end - 1)) || token.charCodeAt(end - 1) === 58)) end--;
  const sep = Math.max(token.lastIndexOf("/", end - 1), token.lastIndexOf("\\", end - 1));
  if (sep <= from + 1 || sep >= end - 1) return null;
  const name = maskToken(token.slice(sep + 1, end));
  const at = name.indexOf(WILDCARD);
  // an id name: a word, then `_` or `-`, then the id (`blk_<*>`, `part-<*>`), as the masker shows ids elsewhere
  const c = name.charCodeAt(0), joiner = name.charCodeAt(at - 1);
  if (at < 2 || !((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) || (joiner !== 95 && joiner !== 45)) {
    return null;
  }
  const root = token.charCodeAt(from) === 47 || token.charCodeAt(from) === 92 ? token[from] : "";
  return token.slice(0, from) + root + WILDCARD + token[sep] + name + token.slice(end);
}

const URL_SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;

/** `) ] } > , ; . ' "` */
function isTrailing(c: number): boolean {
  return c === 41 || c === 93 || c === 125 || c === 62 || c === 44 || c === 59 || c === 46 || c === 39 ||
    c === 34;
}

/** Masks a value: URL or path → `<*>`, else its digit runs. */
function maskPlain(value: string, checkPath: boolean): string {
  if (checkPath && (URL_LIKE.test(value) || isPath(value))) return WILDCARD;
  return /[0-9]|[a-fA-F]{8}/.test(value) ? maskDigits(value) : value;
}

/**
 * Replaces each alphanumeric run holding a digit by `<*>` (with a leading `-` sign when the `-` follows a
 * non-alphanumeric), and collapses variables joined only by `. : - / , _ + @ #` into one. Hand-written: the
 * equivalent regular-expression replace was the parser's hottest spot.
 */
function maskDigits(token: string): string {
  // Output pieces joined once: appending to a string and reading its last character back flattened the
  // growing string at every number (quadratic: 0.4 s for a 64 KiB token of 11k numbers).
  const out: string[] = [];
  let outLast = -1; // code of the output's last character
  let pending = ""; // separators seen right after a variable: dropped if another variable follows
  let afterVar = false;
  const n = token.length;
  let i = 0;
  const put = (piece: string) => {
    if (piece.length === 0) return;
    out.push(piece);
    outLast = piece.charCodeAt(piece.length - 1);
  };
  while (i < n) {
    let c = token.charCodeAt(i);
    if (isAlnum(c)) {
      const start = i;
      let digit = false;
      while (i < n && isAlnum(c = token.charCodeAt(i))) {
        if (c >= 48 && c <= 57) digit = true;
        i++;
      }
      if (
        !digit && i - start >= HEX_GROUP_CHARS && isHexLetters(token, start, i) &&
        (i - start >= HEX_WORD_CHARS || (afterVar && pending !== ""))
      ) digit = true;
      // one letter between two variables (`attempt_<*>_m_<*>`: a task kind inside an id) is part of the id
      else if (
        !digit && i - start === 1 && afterVar && pending !== "" && i + 1 < n &&
        isJoiner(token.charCodeAt(i)) &&
        token.charCodeAt(i + 1) >= 48 && token.charCodeAt(i + 1) <= 57
      ) digit = true;
      // a name ending in one digit (`ssh2`, `jk2_init()`, `eth0`): at least two letters, then the digit, no
      // variable joined before it and none after
      if (
        digit && i - start >= 3 && isDigitCode(token.charCodeAt(i - 1)) && !afterVar &&
        isLetters(token, start, i - 1) &&
        !(i < n && isJoiner(token.charCodeAt(i)) && i + 1 < n && isDigitCode(token.charCodeAt(i + 1)))
      ) digit = false;
      if (digit) {
        if (afterVar) pending = "";
        else if (outLast === 45 && (start < 2 || !isAlnum(token.charCodeAt(start - 2)))) {
          // a sign belongs to the number
          const last = out.pop()!;
          outLast = -1;
          put(last.slice(0, -1));
          if (out.length > 0 && outLast === -1) outLast = lastCode(out[out.length - 1]);
        }
        put(pending);
        if (!afterVar) put(WILDCARD);
        pending = "";
        afterVar = true;
      } else {
        put(pending);
        put(token.slice(start, i));
        pending = "";
        afterVar = false;
      }
    } else {
      if (afterVar && isJoiner(c)) pending += token[i];
      else {
        put(pending);
        put(token[i]);
        pending = "";
        afterVar = false;
      }
      i++;
    }
  }
  if (pending !== "") out.push(pending);
  return out.length === 1 ? out[0] : out.join("");
}

function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isLetters(s: string, start: number, end: number): boolean {
  for (let k = start; k < end; k++) {
    const c = s.charCodeAt(k);
    if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122))) return false;
  }
  return true;
}

function lastCode(s: string): number {
  return s.charCodeAt(s.length - 1);
}

function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** `. : - / , _ + @ #` */
function isJoiner(c: number): boolean {
  return c === 46 || c === 58 || c === 45 || c === 47 || c === 44 || c === 95 || c === 43 || c === 64 ||
    c === 35;
}

function isPath(token: string): boolean {
  const first = token.indexOf("/");
  if (first !== -1 && token.indexOf("/", first + 1) !== -1) return true;
  // `\"` is an escaped quote, not a path separator (`\"StartContainer\"`)
  return token.includes("\\") && /^[^\\]*(?:[A-Za-z]:\\|\\\\)|\\[^\\"]+\\/.test(token);
}

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/**
 * Most tokens a message is split into; the rest of a longer message is one variable token. Why: mining work
 * grows with the token count (a 64 KiB line of one-letter words is 32k tokens, ~15 ms), and no template is
 * that long — the longest line of the shared Loghub samples has 80 tokens.
 */
export const MAX_TOKENS = 512;

/**
 * Longest token masked part by part; a longer one is one variable whole. Why: masking a 64 KiB token of
 * digits and punctuation makes ~11k wildcards whose values the miner then reads back (10–15 ms), and no
 * template constant is that long (the longest token of the shared Loghub samples is under 300 characters).
 */
export const MAX_TOKEN_CHARS = 1024;

/**
 * Splits a message into tokens (on ASCII whitespace) and masks each; after `maxTokens` tokens the rest of
 * the message (trailing white space dropped) is one last token, masked as a variable. A token holding JSON
 * members (`{"level":"info","user":"bob"}`: a `":` and a `,"`) is split before each `,"` into members glued to
 * the one before (no space between them in the text), each member masked in its value only (`,"path":"<*>"`),
 * so a JSON line's fields align like words.
 * @param jsonMembers split JSON members (default true).
 * @returns the raw tokens and their masked forms, index-aligned; `glued[i]` when token `i` follows token `i − 1`
 *   without a space (absent when no token is glued); whether the message was cut short.
 */
export function tokenize(
  content: string,
  maxTokens: number = MAX_TOKENS,
  jsonMembers = true,
): { tokens: string[]; masked: string[]; capped: boolean; glued?: boolean[] } {
  const masked: string[] = [];
  const raw: string[] = [];
  const out: TokenList = { masked, raw, glued: undefined };
  const n = content.length;
  let i = 0;
  let capped = false;
  let scanned = 0; // tokens read, merged or not: a run of equal variables costs its masking work too
  while (i < n) {
    // split on ASCII whitespace by hand: ~2× faster than split(/\s+/) and no empty edge tokens
    while (i < n && isSpace(content.charCodeAt(i))) i++;
    if (i >= n) break;
    const start = i;
    if (scanned++ >= maxTokens) {
      let end = n;
      while (isSpace(content.charCodeAt(end - 1))) end--;
      pushToken(out, content.slice(start, end), WILDCARD, false);
      capped = true;
      break;
    }
    let digit = false;
    let special = false;
    let quote = false;
    for (let c = 0; i < n && !isSpace(c = content.charCodeAt(i)); i++) {
      if (c >= 48 && c <= 57) digit = true;
      else if (c === 61 || c === 47 || c === 92) special = true;
      else if (c === 34) quote = true;
    }
    const token = content.slice(start, i);
    if (token.length > MAX_TOKEN_CHARS) {
      pushToken(out, token, WILDCARD, false);
      continue;
    }
    const members = quote && jsonMembers && token.includes('":') ? countMembers(token) : 0;
    if (members > 0 && scanned + members <= maxTokens) {
      scanned += members;
      let from = 0;
      for (let k = token.indexOf(',"', 1); k !== -1; k = token.indexOf(',"', k + 2)) {
        pushToken(out, token.slice(from, k), maskJsonMember(token.slice(from, k)), from > 0);
        from = k;
      }
      pushToken(out, token.slice(from), maskJsonMember(token.slice(from)), from > 0);
      continue;
    }
    const m = maskScanned(token, digit, special);
    // the common case inline: not glued, not a repeat of the previous variable
    if (out.glued === undefined && (masked.length === 0 || m !== masked[masked.length - 1])) {
      masked.push(m);
      raw.push(token);
    } else pushToken(out, token, m, false);
  }
  const glued = out.glued;
  return glued === undefined ? { tokens: raw, masked, capped } : { tokens: raw, masked, capped, glued };
}

/** The token lists {@link tokenize} builds. */
interface TokenList {
  masked: string[];
  raw: string[];
  glued: boolean[] | undefined;
}

/**
 * Appends a token. A run of identical variable tokens (a list of block ids, a date split in parts) is one
 * variable: lists of any length then share a template.
 */
function pushToken(out: TokenList, token: string, m: string, glue: boolean): void {
  const { masked, raw } = out;
  if (masked.length > 0 && m === masked[masked.length - 1] && m.includes(WILDCARD)) {
    raw[raw.length - 1] += (glue ? "" : " ") + token;
    return;
  }
  if (glue) (out.glued ??= new Array(masked.length).fill(false))[masked.length] = true;
  else if (out.glued !== undefined) out.glued[masked.length] = false;
  masked.push(m);
  raw.push(token);
}

/**
 * Masks one JSON member (`,"key":value` with any brackets around): the key stays, the value is masked like a
 * `key=value` value (`,"path":"/a/b/c"` → `,"path":"<*>"`, `,"user":"bob"` stays). Not a member: {@link maskToken}.
 */
function maskJsonMember(member: string): string {
  const colon = member.indexOf('":');
  if (colon === -1) return maskToken(member);
  let from = colon + 2;
  while (from < member.length && (member.charCodeAt(from) === 34 || member.charCodeAt(from) === 91)) from++;
  let end = member.length;
  while (end > from && isJsonClosing(member.charCodeAt(end - 1))) end--;
  const value = member.slice(from, end);
  const key = member.slice(0, from);
  const m = value === "" ? "" : maskPlain(value, true);
  const k = /[0-9]/.test(key) ? maskDigits(key) : key;
  return m === value && k === key ? member : k + m + member.slice(end);
}

/** Number of `,"` pairs after the first character (JSON members after the first). */
function countMembers(token: string): number {
  let count = 0;
  for (let k = token.indexOf(',"', 1); k !== -1; k = token.indexOf(',"', k + 2)) count++;
  return count;
}

/** `" } ] ,` */
function isJsonClosing(c: number): boolean {
  return c === 34 || c === 125 || c === 93 || c === 44;
}
