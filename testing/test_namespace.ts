/**
 * Where a test or a bench keeps its data on the shared stack — never in the product's namespace. The product
 * (`deno task start`, `deno task engine`) writes the indices `vigil-*` and the bucket `vigil`; a test
 * namespace is an index prefix `vigiltest-<tag>` (`vigilbench-<tag>` for benches) and a key prefix
 * `test-<tag>/` (`bench-<tag>/`) in the bucket {@link TEST_BUCKET}. The tag starts with the creation time
 * (base 36 ms), so a namespace a killed run left behind is recognised as stale by its name alone
 * (see `sweep_test_namespaces.ts`).
 *
 * tests/ and bench/ both take their names here (and remove them with `drop_test_namespace.ts`); neither
 * imports the other.
 *
 * @module
 */

/** The bucket tests and benches write to: not the product's `vigil`. */
export const TEST_BUCKET = "vigil-test";

/** What a namespace is for: names start with `vigiltest` / `test-` or `vigilbench` / `bench-`. */
export type NamespaceKind = "test" | "bench";

/** Index prefix roots of test namespaces (never `vigil`, so `vigil-*` never matches them). */
export const TEST_INDEX_ROOTS: readonly string[] = ["vigiltest", "vigilbench"];

/** One test's or bench's place in the hot and cold tiers. */
export interface TestNamespace {
  /** `<creation time base 36>-<label>-<random>`: unique, lowercase, and dated. */
  tag: string;
  /** Hot tier index prefix, e.g. `vigiltest-mi4x1c2a-e2e-3f9a`. */
  indexPrefix: string;
  /** Cold tier bucket: {@link TEST_BUCKET}. */
  bucket: string;
  /** Cold tier key prefix, e.g. `test-mi4x1c2a-e2e-3f9a/`. */
  s3Prefix: string;
}

/**
 * A fresh namespace for one test or bench run.
 *
 * @param label a few lowercase letters naming the test (kept in the names, for whoever lists them)
 * @param kind `test` (default) or `bench`
 * @param now creation time (the tag's date)
 * @throws {RangeError} when the label is not lowercase letters, digits and dashes
 *
 * @example
 * ```ts
 * import { testNamespace } from "./test_namespace.ts";
 * const ns = testNamespace("e2e");
 * // ns.indexPrefix = "vigiltest-<time>-e2e-<random>", ns.bucket = "vigil-test", ns.s3Prefix = "test-…/"
 * ```
 */
export function testNamespace(label = "t", kind: NamespaceKind = "test", now = Date.now()): TestNamespace {
  if (!/^[a-z0-9][a-z0-9-]{0,40}$/.test(label)) {
    throw new RangeError(
      `Cannot create a test namespace as label must be lowercase letters, digits and dashes: current value is ${
        JSON.stringify(label)
      }`,
    );
  }
  const tag = `${now.toString(36)}-${label}-${crypto.randomUUID().slice(0, 4)}`;
  return {
    tag,
    indexPrefix: `vigil${kind}-${tag}`,
    bucket: TEST_BUCKET,
    s3Prefix: `${kind}-${tag}/`,
  };
}

/** The namespace as a configuration fragment for `parseConfig` (hot index prefix, S3 bucket and prefix). */
export function namespaceSettings(
  ns: TestNamespace,
): { hot: { indexPrefix: string }; s3: { bucket: string; prefix: string } } {
  return { hot: { indexPrefix: ns.indexPrefix }, s3: { bucket: ns.bucket, prefix: ns.s3Prefix } };
}

/** The namespace as `VIGIL_*` variables for a child process (engine, `start`, bench workers). */
export function namespaceEnv(ns: TestNamespace): Record<string, string> {
  return { VIGIL_HOT_INDEX_PREFIX: ns.indexPrefix, VIGIL_S3_BUCKET: ns.bucket, VIGIL_S3_PREFIX: ns.s3Prefix };
}

/** True for an index prefix (or index name) of a test namespace: `vigiltest…` / `vigilbench…`. */
export function isTestIndexName(name: string): boolean {
  return TEST_INDEX_ROOTS.some((root) => name.startsWith(root));
}

/**
 * When a namespace's name says it was created (its tag's leading base-36 time), or undefined for names that
 * carry none (made before names were dated).
 */
export function namespaceCreatedAt(name: string): number | undefined {
  const m = name.match(/^(?:vigiltest|vigilbench|test|bench)-([0-9a-z]{8,9})-/);
  if (!m) return undefined;
  const t = parseInt(m[1], 36);
  // Plausible creation times only (2020 … 2100): a random tag that happens to parse is no date.
  return t > Date.UTC(2020, 0, 1) && t < Date.UTC(2100, 0, 1) ? t : undefined;
}
