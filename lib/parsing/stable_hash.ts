/**
 * A fast, stable, non-cryptographic 64-bit string hash (two interleaved 32-bit FNV-1a-style lanes with
 * murmur finalisers), printed as 16 hex digits. Identical in every process and across restarts, which is what
 * template ids and event ids need; not for security.
 * @module
 */

/**
 * Hashes a string to 16 lower-case hex digits.
 * @param text the string (hashed over its UTF-16 code units).
 * @param seed an optional seed to derive independent hashes.
 */
export function stableHash(text: string, seed = 0): string {
  let h1 = 0x811c9dc5 ^ seed;
  let h2 = 0x01000193 ^ Math.imul(seed, 0x9e3779b1);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  h1 ^= text.length;
  h1 = Math.imul(h1 ^ (h1 >>> 16), 0x85ebca6b);
  h1 = Math.imul(h1 ^ (h1 >>> 13), 0xc2b2ae35);
  h1 ^= h1 >>> 16;
  h2 = Math.imul(h2 ^ (h2 >>> 16), 0x85ebca6b);
  h2 = Math.imul(h2 ^ (h2 >>> 13), 0xc2b2ae35);
  h2 ^= h2 >>> 16;
  return (h1 >>> 0).toString(16).padStart(8, "0") + (h2 >>> 0).toString(16).padStart(8, "0");
}
