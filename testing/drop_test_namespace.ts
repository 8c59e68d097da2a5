/**
 * Removes a test namespace (see `test_namespace.ts`) from the shared stack: its indices, its index templates
 * and its objects. Refuses anything that is not a test namespace, so a slip can never delete the product's
 * data. {@link withTestNamespace} runs a body and removes its namespace afterwards, also when the body threw.
 *
 * @module
 */
import {
  CreateBucketCommand,
  DeleteObjectsCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  S3Client,
} from "@aws-sdk/client-s3";
import { parseConfig, type VigilConfig } from "../lib/config/vigil_config.ts";
import {
  isTestIndexName,
  type NamespaceKind,
  TEST_BUCKET,
  type TestNamespace,
  testNamespace,
} from "./test_namespace.ts";

/** The endpoints a namespace lives on: the hot tier's URL and the S3 settings. */
export type StackEndpoints = Pick<VigilConfig, "hot" | "s3">;

/** The stack's endpoints as the tests see them: config defaults overridden by `VIGIL_*` variables. */
export function testStackEndpoints(): StackEndpoints {
  return parseConfig({}, Deno.env.toObject());
}

/** An S3 client for the configured endpoint; `destroy()` it when done. */
export function s3ClientOf(s3: StackEndpoints["s3"]): S3Client {
  return new S3Client({
    endpoint: s3.endpoint,
    region: s3.region,
    forcePathStyle: s3.forcePathStyle,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
  });
}

/**
 * Deletes every object under `prefix` in `bucket` (a missing bucket holds nothing to delete).
 * @throws {RangeError} when the prefix is empty: a whole bucket is never emptied this way
 */
export async function deleteObjectsUnder(
  s3: StackEndpoints["s3"],
  bucket: string,
  prefix: string,
): Promise<number> {
  if (prefix.length === 0) throw new RangeError("Cannot delete S3 objects as prefix must not be empty");
  const client = s3ClientOf(s3);
  let deleted = 0;
  try {
    let token: string | undefined;
    do {
      const page = await client.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
      ).catch((err) => {
        if ((err as { name?: string }).name === "NoSuchBucket") return undefined;
        throw err;
      });
      if (page === undefined) return 0;
      const keys = (page.Contents ?? []).map((o) => ({ Key: o.Key! }));
      if (keys.length > 0) {
        await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys } }));
        deleted += keys.length;
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  } finally {
    client.destroy();
  }
  return deleted;
}

/** Creates the tests' bucket ({@link TEST_BUCKET}) when it does not exist yet. */
export async function ensureTestBucket(s3: StackEndpoints["s3"] = testStackEndpoints().s3): Promise<void> {
  const client = s3ClientOf(s3);
  try {
    await client.send(new HeadBucketCommand({ Bucket: TEST_BUCKET })).catch(async () => {
      await client.send(new CreateBucketCommand({ Bucket: TEST_BUCKET })).catch((err) => {
        const name = (err as { name?: string }).name;
        if (name !== "BucketAlreadyOwnedByYou" && name !== "BucketAlreadyExists") throw err;
      });
    });
  } finally {
    client.destroy();
  }
}

async function hotCall(url: string, method: string, path: string): Promise<Response> {
  const res = await fetch(`${url}${path}`, { method });
  await res.body?.cancel();
  return res;
}

/**
 * Deletes the hot tier's indices `<prefix>-*` and index templates `<prefix>-*` of a test index prefix.
 * @throws {RangeError} when the prefix is not a test's (`vigiltest…` / `vigilbench…`)
 */
export async function dropTestIndices(hotUrl: string, indexPrefix: string): Promise<void> {
  if (!isTestIndexName(indexPrefix) || indexPrefix.includes("*") || indexPrefix.includes(",")) {
    throw new RangeError(
      `Cannot drop indices as prefix ${JSON.stringify(indexPrefix)} is not a test namespace's`,
    );
  }
  // A read-only block (tests of a full disk set one) would refuse the delete.
  await (await fetch(`${hotUrl}/${indexPrefix}-*/_settings`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ "index.blocks.read_only_allow_delete": null }),
  })).body?.cancel();
  await hotCall(hotUrl, "DELETE", `/${indexPrefix}-*`);
  const res = await fetch(`${hotUrl}/_index_template/${indexPrefix}-*`);
  if (!res.ok) {
    await res.body?.cancel();
    return;
  }
  const body = await res.json() as { index_templates?: { name: string }[] };
  for (const t of body.index_templates ?? []) await hotCall(hotUrl, "DELETE", `/_index_template/${t.name}`);
}

/**
 * Removes a test namespace: its indices and index templates, and its objects.
 * @throws {RangeError} when the namespace is not a test's (its index prefix, or its bucket is the product's
 *   with a key prefix other than `test-…`/`bench-…`)
 */
export async function dropTestNamespace(
  ns: Pick<TestNamespace, "indexPrefix" | "bucket" | "s3Prefix">,
  stack: StackEndpoints = testStackEndpoints(),
): Promise<void> {
  if (ns.bucket !== TEST_BUCKET && !/^(test|bench)-/.test(ns.s3Prefix)) {
    throw new RangeError(
      `Cannot drop the cold tier as ${ns.bucket}/${ns.s3Prefix} is not a test namespace's`,
    );
  }
  await dropTestIndices(stack.hot.url, ns.indexPrefix);
  await deleteObjectsUnder(stack.s3, ns.bucket, ns.s3Prefix);
}

/**
 * Runs `body` in a fresh test namespace (the tests' bucket created if needed) and removes the namespace
 * afterwards, also when `body` threw.
 *
 * @example
 * ```ts ignore
 * await withTestNamespace("hotsink", async (ns) => {
 *   const sink = new HotSink({ indexPrefix: ns.indexPrefix, deadLetters });
 *   // …
 * });
 * ```
 */
export async function withTestNamespace<T>(
  label: string,
  body: (ns: TestNamespace) => Promise<T>,
  kind: NamespaceKind = "test",
): Promise<T> {
  const ns = testNamespace(label, kind);
  try {
    await ensureTestBucket();
    return await body(ns);
  } finally {
    await dropTestNamespace(ns);
  }
}

/**
 * Removes the namespace when this process ends, for `deno bench` files (they have no teardown hook): the
 * `unload` handler cannot await a request, so it starts a detached `deno run` of this module that does the
 * removal after the bench process has gone. A run killed before `unload` is left to the sweep of
 * `deno task test` (`sweep_test_namespaces.ts`).
 */
export function dropOnExit(ns: Pick<TestNamespace, "indexPrefix" | "bucket" | "s3Prefix">): void {
  globalThis.addEventListener("unload", () => {
    try {
      new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", new URL(import.meta.url).pathname, JSON.stringify(ns)],
        stdin: "null",
        stdout: "null",
        stderr: "inherit",
      }).spawn().unref();
    } catch (err) {
      console.error(`cannot remove test namespace ${ns.indexPrefix}: ${err}`);
    }
  });
}

if (import.meta.main) {
  // `deno run -A testing/drop_test_namespace.ts '{"indexPrefix":…,"bucket":…,"s3Prefix":…}'` (see dropOnExit).
  await dropTestNamespace(JSON.parse(Deno.args[0]));
}
