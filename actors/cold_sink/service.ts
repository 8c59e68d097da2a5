/**
 * The cold tier's only I/O: S3 objects via `@aws-sdk/client-s3` (GET, single PUT or multipart upload, DELETE,
 * LIST; ranged GET and LIST with sizes for the cold query reader).
 *
 * The SDK's own retries are limited to one attempt: the sink's retry logic owns backoff and health.
 *
 * @module
 */
import { Agent as HttpsAgent } from "node:https";
import { isCertificateError, nodeTlsOptions, untrustedCertificateHint } from "../../lib/config/tls_files.ts";
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import type { ColdSinkConfig } from "./config.ts";

/** What the cold sink needs from an object store. */
export interface ColdService {
  /** Reads an object; `undefined` when it does not exist. */
  get(key: string): Promise<Uint8Array | undefined>;
  /** Writes an object (multipart above the configured threshold); resolves once it is durable. */
  put(key: string, bytes: Uint8Array): Promise<void>;
  /** Removes an object; resolves once it is gone (also when it did not exist). */
  delete(key: string): Promise<void>;
  /** Keys under a prefix, in lexicographic order. */
  list(prefix: string): Promise<string[]>;
  /** Creates the bucket if it does not exist. */
  ensureBucket(): Promise<void>;
  /** Closes connections. */
  close(): void;
}

/** An object as a listing shows it: what the cold query reader caches by (an ETag changes with a rewrite). */
export interface ColdObject {
  key: string;
  size: number;
  etag: string;
}

/** What the cold query reader needs from an object store: sized listings and byte ranges. */
export interface ColdRangeService {
  /** Objects under a prefix with their size and ETag, in lexicographic key order. */
  listObjects(prefix: string): Promise<ColdObject[]>;
  /**
   * Bytes `[start, end)` of an object.
   * @throws when the object is gone (a compaction or retention deleted it since the listing)
   */
  getRange(key: string, start: number, end: number): Promise<Uint8Array>;
}

/** The S3 implementation of {@link ColdService} and {@link ColdRangeService}. */
export class S3ColdService implements ColdService, ColdRangeService {
  #client: S3Client;
  #config: ColdSinkConfig;

  constructor(config: ColdSinkConfig) {
    this.#config = config;
    const tls = config.tls === undefined ? undefined : nodeTlsOptions(config.tls, "s3.tls");
    this.#client = new S3Client({
      endpoint: config.endpoint,
      region: config.region,
      forcePathStyle: config.forcePathStyle,
      credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
      maxAttempts: 1,
      requestHandler: {
        requestTimeout: config.requestTimeoutMs,
        connectionTimeout: 5_000,
        ...(tls === undefined ? {} : { httpsAgent: new HttpsAgent({ ...tls, keepAlive: true }) }),
      },
    });
    this.#hintCertificateErrors();
  }

  /**
   * Names the setting to fix in an untrusted-certificate error of any request (it would otherwise read only
   * "self-signed certificate in certificate chain").
   */
  #hintCertificateErrors(): void {
    this.#client.middlewareStack.add(
      (next) => async (args) => {
        try {
          return await next(args);
        } catch (err) {
          if (isCertificateError(err) && !(err as Error).message.includes("s3.tls.caFile")) {
            (err as Error).message = `S3 at ${this.#config.endpoint}: ${(err as Error).message}: ${
              untrustedCertificateHint("s3.tls")
            }`;
          }
          throw err;
        }
      },
      { step: "initialize", name: "vigilCertificateHint" },
    );
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    try {
      const res = await this.#client.send(new GetObjectCommand({ Bucket: this.#config.bucket, Key: key }));
      return await res.Body!.transformToByteArray();
    } catch (err) {
      const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
      if (e.name === "NoSuchKey" || e.$metadata?.httpStatusCode === 404) return undefined;
      throw err;
    }
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    const Bucket = this.#config.bucket;
    if (bytes.byteLength <= this.#config.multipartThresholdBytes) {
      await this.#client.send(
        new PutObjectCommand({
          Bucket,
          Key: key,
          Body: bytes,
          ContentType: "application/vnd.apache.parquet",
        }),
      );
      return;
    }
    const { UploadId } = await this.#client.send(
      new CreateMultipartUploadCommand({ Bucket, Key: key, ContentType: "application/vnd.apache.parquet" }),
    );
    try {
      const parts: { ETag?: string; PartNumber: number }[] = [];
      const size = this.#config.partSizeBytes;
      for (let start = 0, n = 1; start < bytes.byteLength; start += size, n++) {
        const res = await this.#client.send(
          new UploadPartCommand({
            Bucket,
            Key: key,
            UploadId,
            PartNumber: n,
            Body: bytes.subarray(start, Math.min(start + size, bytes.byteLength)),
          }),
        );
        parts.push({ ETag: res.ETag, PartNumber: n });
      }
      await this.#client.send(
        new CompleteMultipartUploadCommand({ Bucket, Key: key, UploadId, MultipartUpload: { Parts: parts } }),
      );
    } catch (err) {
      // Do not leave billable orphan parts behind; the whole upload is retried by the sink.
      await this.#client.send(new AbortMultipartUploadCommand({ Bucket, Key: key, UploadId })).catch(
        () => {},
      );
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    // S3 answers 204 for a missing key too: deleting twice (a retry, a replay) is harmless.
    await this.#client.send(new DeleteObjectCommand({ Bucket: this.#config.bucket, Key: key }));
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const res = await this.#client.send(
        new ListObjectsV2Command({ Bucket: this.#config.bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const o of res.Contents ?? []) if (o.Key) keys.push(o.Key);
      token = res.IsTruncated ? res.NextContinuationToken : undefined;
    } while (token);
    return keys.sort();
  }

  async listObjects(prefix: string): Promise<ColdObject[]> {
    const objects: ColdObject[] = [];
    let token: string | undefined;
    do {
      const res = await this.#client.send(
        new ListObjectsV2Command({ Bucket: this.#config.bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const o of res.Contents ?? []) {
        if (o.Key) objects.push({ key: o.Key, size: o.Size ?? 0, etag: o.ETag ?? "" });
      }
      token = res.IsTruncated ? res.NextContinuationToken : undefined;
    } while (token);
    return objects.sort((a, b) => a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  }

  async getRange(key: string, start: number, end: number): Promise<Uint8Array> {
    if (!(end > start)) return new Uint8Array(0);
    const res = await this.#client.send(
      new GetObjectCommand({ Bucket: this.#config.bucket, Key: key, Range: `bytes=${start}-${end - 1}` }),
    );
    return await res.Body!.transformToByteArray();
  }

  async ensureBucket(): Promise<void> {
    try {
      await this.#client.send(new HeadBucketCommand({ Bucket: this.#config.bucket }));
    } catch {
      try {
        await this.#client.send(new CreateBucketCommand({ Bucket: this.#config.bucket }));
      } catch (err) {
        const name = (err as { name?: string }).name;
        if (name !== "BucketAlreadyOwnedByYou" && name !== "BucketAlreadyExists") throw err;
      }
    }
  }

  close(): void {
    this.#client.destroy();
  }
}
