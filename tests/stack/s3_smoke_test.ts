/**
 * Smoke test against the real local S3 server: put, get, list and delete an object in the tests' bucket
 * (a test namespace: never the product's `vigil` bucket).
 */
import assert from "node:assert/strict";
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { loadConfig } from "../../lib/config/vigil_config.ts";
import { TEST_BUCKET, testNamespace } from "../../testing/test_namespace.ts";
import { ensureTestBucket } from "../../testing/drop_test_namespace.ts";
import { withDeadline } from "./deadline.ts";

async function s3(): Promise<{ client: S3Client; bucket: string; where: string }> {
  const { s3 } = await loadConfig();
  const client = new S3Client({
    endpoint: s3.endpoint,
    region: s3.region,
    forcePathStyle: s3.forcePathStyle,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    maxAttempts: 1,
  });
  await ensureTestBucket(s3);
  return { client, bucket: TEST_BUCKET, where: `S3 bucket ${TEST_BUCKET} at ${s3.endpoint}` };
}

Deno.test("s3: an object is put, read back byte for byte, listed and deleted", async () => {
  const { client, bucket, where } = await s3();
  const prefix = testNamespace("smoke").s3Prefix;
  const key = `${prefix}events-00001.parquet`;
  // Binary payload with every byte value: what goes in must come out unchanged.
  const body = new Uint8Array(4096).map((_, i) => i % 256);
  try {
    await withDeadline(
      (async () => {
        const put = await client.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: key,
            Body: body,
            ContentType: "application/vnd.apache.parquet",
          }),
        );
        assert.match(put.ETag ?? "", /^"?[0-9a-f]{32}"?$/);

        const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        assert.equal(got.ContentType, "application/vnd.apache.parquet");
        assert.deepEqual(await got.Body!.transformToByteArray(), body);

        const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
        assert.deepEqual(listed.Contents?.map((o) => [o.Key, o.Size]), [[key, body.length]]);

        await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
        const after = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
        assert.equal(after.KeyCount ?? 0, 0);
        await assert.rejects(
          client.send(new GetObjectCommand({ Bucket: bucket, Key: key })),
          (err) => err instanceof S3ServiceException && err.name === "NoSuchKey",
        );
      })(),
      30_000,
      `Put/get/list/delete on ${where}`,
    );
  } finally {
    await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key })).catch(() => {});
    client.destroy();
  }
});

Deno.test("s3: a request signed with a wrong secret is refused", async () => {
  const { s3: cfg } = await loadConfig();
  const client = new S3Client({
    endpoint: cfg.endpoint,
    region: cfg.region,
    forcePathStyle: true,
    credentials: { accessKeyId: cfg.accessKeyId, secretAccessKey: "not-the-secret" },
    maxAttempts: 1,
  });
  try {
    await withDeadline(
      assert.rejects(
        client.send(new ListObjectsV2Command({ Bucket: cfg.bucket })),
        (err) => err instanceof S3ServiceException && err.$metadata.httpStatusCode === 403,
      ),
      15_000,
      `Signature check on S3 at ${cfg.endpoint}`,
    );
  } finally {
    client.destroy();
  }
});
