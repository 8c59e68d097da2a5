/**
 * Removes what killed test and bench runs left behind (a `finally` does not run after SIGKILL or a lost
 * machine): test-namespace indices, index templates and objects older than a few hours. Run by
 * `deno task test` before the tests start. Test runs of other people on the same stack are never touched:
 * only data older than `olderThanMs`, far longer than any test or bench run, is removed — and never anything
 * outside the test namespaces (`vigiltest*` / `vigilbench*` indices, the `vigil-test` bucket, and the
 * `test-`/`bench-`/`smoke/` key prefixes older runs left in the product's bucket).
 *
 * @module
 */
import { DeleteObjectsCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { s3ClientOf, type StackEndpoints, testStackEndpoints } from "./drop_test_namespace.ts";
import { isTestIndexName, namespaceCreatedAt, TEST_BUCKET, TEST_INDEX_ROOTS } from "./test_namespace.ts";

/** What a sweep removed. */
export interface SweepReport {
  indices: string[];
  templates: string[];
  objects: number;
}

/** Options of {@link sweepStaleTestNamespaces}. */
export interface SweepOptions {
  /** Only data older than this is removed, ms. Default: 3 hours (the longest bench run is under one). */
  olderThanMs?: number;
  /** The current time, ms. Default: `Date.now()`. */
  now?: number;
  stack?: StackEndpoints;
}

/** Key prefixes older runs used in the product's bucket (before tests had a bucket of their own). */
const LEGACY_PRODUCT_BUCKET_PREFIXES = ["test-", "bench-", "smoke/"];

async function json(url: string): Promise<unknown> {
  const res = await fetch(url);
  if (!res.ok) {
    await res.body?.cancel();
    return undefined;
  }
  return await res.json();
}

async function sweepIndices(
  hotUrl: string,
  cutoff: number,
): Promise<{ indices: string[]; templates: string[] }> {
  const rows = (await json(
    `${hotUrl}/_cat/indices/${TEST_INDEX_ROOTS.map((r) => `${r}*`).join(",")}` +
      "?format=json&h=index,creation.date&expand_wildcards=all",
  ) ?? []) as { index: string; "creation.date": string }[];
  const stale = rows.filter((r) =>
    isTestIndexName(r.index) && (namespaceCreatedAt(r.index) ?? Number(r["creation.date"])) < cutoff
  ).map((r) => r.index);
  for (const index of stale) {
    await (await fetch(`${hotUrl}/${index}`, { method: "DELETE" })).body?.cancel();
  }
  const remaining = rows.map((r) => r.index).filter((i) => !stale.includes(i));
  const templates: string[] = [];
  for (const root of TEST_INDEX_ROOTS) {
    const body = (await json(`${hotUrl}/_index_template/${root}*`)) as
      | { index_templates?: { name: string }[] }
      | undefined;
    for (const { name } of body?.index_templates ?? []) {
      if (!isTestIndexName(name)) continue;
      const prefix = name.replace(/-[a-z]+$/, "");
      const created = namespaceCreatedAt(name);
      // A name without a date goes with its stale indices (this sweep removed some, none is left); one with no
      // index at all may belong to a test that installed its templates a moment ago, so it stays.
      const isStale = created === undefined
        ? stale.some((i) => i.startsWith(`${prefix}-`)) && !remaining.some((i) => i.startsWith(`${prefix}-`))
        : created < cutoff;
      if (!isStale) continue;
      await (await fetch(`${hotUrl}/_index_template/${name}`, { method: "DELETE" })).body?.cancel();
      templates.push(name);
    }
  }
  return { indices: stale, templates };
}

async function sweepObjects(
  s3: StackEndpoints["s3"],
  bucket: string,
  prefixes: readonly string[],
  cutoff: number,
): Promise<number> {
  const client = s3ClientOf(s3);
  let deleted = 0;
  try {
    for (const prefix of prefixes) {
      let token: string | undefined;
      do {
        const page = await client.send(
          new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
        ).catch((err) => {
          if ((err as { name?: string }).name === "NoSuchBucket") return undefined;
          throw err;
        });
        if (page === undefined) break;
        const old = (page.Contents ?? [])
          .filter((o) => o.Key !== undefined && (o.LastModified?.getTime() ?? 0) < cutoff)
          .map((o) => ({ Key: o.Key! }));
        if (old.length > 0) {
          await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: old } }));
          deleted += old.length;
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
    }
  } finally {
    client.destroy();
  }
  return deleted;
}

/**
 * Removes test-namespace data older than `olderThanMs` from the stack's hot and cold tiers.
 *
 * @example
 * ```ts ignore
 * const swept = await sweepStaleTestNamespaces();
 * console.log(`swept ${swept.indices.length} indices, ${swept.objects} objects`);
 * ```
 */
export async function sweepStaleTestNamespaces(options: SweepOptions = {}): Promise<SweepReport> {
  const { olderThanMs = 3 * 3600_000, now = Date.now(), stack = testStackEndpoints() } = options;
  const cutoff = now - olderThanMs;
  const { indices, templates } = await sweepIndices(stack.hot.url, cutoff);
  const objects = await sweepObjects(stack.s3, TEST_BUCKET, [""], cutoff) +
    (stack.s3.bucket === TEST_BUCKET
      ? 0
      : await sweepObjects(stack.s3, stack.s3.bucket, LEGACY_PRODUCT_BUCKET_PREFIXES, cutoff));
  return { indices, templates, objects };
}
