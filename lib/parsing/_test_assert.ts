/**
 * Test-only assertion helpers over `node:assert/strict` (no @std available): thin names used by the parsing tests.
 * @module
 */
import assertModule from "node:assert/strict";

/** Asserts deep strict equality. */
export function assertEquals<T>(actual: unknown, expected: T, message?: string): void {
  if (message === undefined) assertModule.deepStrictEqual(actual, expected);
  else assertModule.deepStrictEqual(actual, expected, message);
}

/** Asserts a truthy value. */
export function assert(value: unknown, message?: string): asserts value {
  if (message === undefined) assertModule.ok(value);
  else assertModule.ok(value, message);
}

/** Asserts that `fn` throws an instance of `type` whose message includes `includes`. */
export function assertThrows(
  fn: () => unknown,
  type: new (...args: never[]) => Error,
  includes: string,
): void {
  assertModule.throws(fn, (e: unknown) => {
    assertModule.ok(e instanceof type, `expected ${type.name}, got ${e}`);
    assertModule.ok((e as Error).message.includes(includes), `"${(e as Error).message}" lacks "${includes}"`);
    return true;
  });
}
