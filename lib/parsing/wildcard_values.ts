/**
 * Reading back the values behind the `<*>`s of a template token, shared by the miner (parameters) and
 * {@link ConstantValues} (values that never changed).
 * @module
 */

/**
 * Pushes the values standing for the `<*>`s of a template token (split at its `<*>`s into `parts`) in a raw
 * token: those `^p0(.*?)p1(.*?)…pm$` captures, found by taking each part at its first occurrence (the earliest
 * occurrence leaves the most room for the rest, so it is the lazy match). Linear in the token: the regular
 * expression backtracked polynomially (0.7 s on a 64 KiB token of `\x1b[0m` repeats, 13k groups).
 * @returns whether the token fits the template token (nothing is pushed when it does not).
 */
export function pushWildcardValues(parts: readonly string[], token: string, out: string[]): boolean {
  const first = parts[0], last = parts[parts.length - 1];
  const end = token.length - last.length;
  if (end < first.length || !token.startsWith(first) || !token.endsWith(last)) return false;
  const mark = out.length;
  let cur = first.length;
  for (let j = 1; j < parts.length - 1; j++) {
    const at = token.indexOf(parts[j], cur);
    if (at === -1 || at + parts[j].length > end) {
      out.length = mark;
      return false;
    }
    out.push(token.slice(cur, at));
    cur = at + parts[j].length;
  }
  out.push(token.slice(cur, end));
  return true;
}
