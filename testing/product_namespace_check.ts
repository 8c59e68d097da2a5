/**
 * The check that tests and benches left the product's namespace alone: a snapshot of the product's indices
 * (`<hot.indexPrefix>-*`, `vigil-*` by default: names and document counts) and of its objects (bucket
 * `s3.bucket` under `s3.prefix`, `vigil` by default: keys, sizes and modification times) before a run,
 * compared with one after it. `deno task test` takes both and reports what changed.
 *
 * The product namespace is what `deno task start` would use: `vigil.config.json` and `VIGIL_*` variables.
 *
 * @module
 */
import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import { loadConfig, type VigilConfig } from "../lib/config/vigil_config.ts";
import { s3ClientOf } from "./drop_test_namespace.ts";

/** The product's data at one instant. */
export interface ProductNamespaceSnapshot {
  /** `<indexPrefix>-*` index → documents. */
  indices: Record<string, number>;
  /** Object key (bucket-relative) → `size@lastModified`. */
  objects: Record<string, string>;
  /** Where the snapshot looked, e.g. `vigil-* and s3://vigil/`. */
  where: string;
}

/** Key prefixes in the product's bucket that older test runs wrote (not the product's data). */
const TEST_KEY_PREFIXES = ["test-", "bench-", "smoke/"];

/** Takes a snapshot of the product's indices and objects. */
export async function productNamespaceSnapshot(
  config?: Pick<VigilConfig, "hot" | "s3">,
): Promise<ProductNamespaceSnapshot> {
  const { hot, s3 } = config ?? await loadConfig();
  const pattern = `${hot.indexPrefix}-*`;
  const res = await fetch(
    `${hot.url}/_cat/indices/${pattern}?format=json&h=index,docs.count&expand_wildcards=all`,
  );
  if (!res.ok) {
    throw new Error(`cannot list ${pattern}: OpenSearch answered ${res.status} ${await res.text()}`);
  }
  const indices: Record<string, number> = {};
  for (const r of (await res.json()) as { index: string; "docs.count": string | null }[]) {
    indices[r.index] = Number(r["docs.count"] ?? 0);
  }
  const objects: Record<string, string> = {};
  const client = s3ClientOf(s3);
  try {
    let token: string | undefined;
    do {
      const page = await client.send(
        new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: s3.prefix, ContinuationToken: token }),
      ).catch((err) => {
        if ((err as { name?: string }).name === "NoSuchBucket") return undefined;
        throw err;
      });
      if (page === undefined) break;
      for (const o of page.Contents ?? []) {
        if (!o.Key || (s3.prefix === "" && TEST_KEY_PREFIXES.some((p) => o.Key!.startsWith(p)))) continue;
        objects[o.Key] = `${o.Size}@${o.LastModified?.toISOString()}`;
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  } finally {
    client.destroy();
  }
  return { indices, objects, where: `${pattern} and s3://${s3.bucket}/${s3.prefix}` };
}

/**
 * What appeared or grew in the product's namespace between two snapshots, one line each (empty: nothing).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { productNamespaceChanges } from "./product_namespace_check.ts";
 * const before = { indices: { "vigil-events-2016.09.28": 2000 }, objects: {}, where: "" };
 * const after = { indices: { "vigil-events-2016.09.28": 2000, "vigil-events-2026.12.03": 5 }, objects: {}, where: "" };
 * assert.deepEqual(
 *   productNamespaceChanges(before, after),
 *   ["new index vigil-events-2026.12.03 (5 documents)"],
 * );
 * ```
 */
export function productNamespaceChanges(
  before: ProductNamespaceSnapshot,
  after: ProductNamespaceSnapshot,
): string[] {
  const changes: string[] = [];
  for (const [index, docs] of Object.entries(after.indices)) {
    const was = before.indices[index];
    if (was === undefined) changes.push(`new index ${index} (${docs} documents)`);
    else if (docs > was) changes.push(`index ${index}: ${was} → ${docs} documents`);
  }
  for (const [key, stamp] of Object.entries(after.objects)) {
    const was = before.objects[key];
    if (was === undefined) changes.push(`new object ${key}`);
    else if (was !== stamp) changes.push(`object ${key} rewritten`);
  }
  return changes;
}
