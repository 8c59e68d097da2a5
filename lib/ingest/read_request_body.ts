/**
 * Reads an HTTP request body into memory with a size limit enforced while reading — first by its declared
 * Content-Length, then byte by byte as it streams — and inflates `Content-Encoding: gzip` under the same limit,
 * so neither a large body nor a small gzip bomb can hold more than `maxBytes` of memory.
 *
 * @module
 */

/** The body (or its inflated form) is larger than the limit: answer 413. */
export class BodyTooLargeError extends Error {
  override name = "BodyTooLargeError";
}

/** The body cannot be decoded as its Content-Encoding says: answer 400 (or 415 for an unknown encoding). */
export class BodyEncodingError extends Error {
  override name = "BodyEncodingError";
  /** 415 for an encoding not supported, 400 for a corrupt body. */
  readonly status: 400 | 415;
  constructor(message: string, status: 400 | 415, options?: ErrorOptions) {
    super(message, options);
    this.status = status;
  }
}

async function readCapped(
  stream: ReadableStream<Uint8Array>,
  maxBytes: number,
  what: string,
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => {});
        throw new BodyTooLargeError(`${what} is larger than ${maxBytes} bytes`);
      }
      chunks.push(value);
    }
  } finally {
    reader.releaseLock();
  }
  if (chunks.length === 1) return chunks[0];
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  return bytes;
}

/**
 * The request body's bytes, inflated when gzip.
 *
 * @param req the request
 * @param maxBytes the largest body, and the largest inflated body
 * @throws {BodyTooLargeError} past the limit; {@link BodyEncodingError} for an unknown encoding or corrupt gzip
 */
export async function readRequestBody(req: Request, maxBytes: number): Promise<Uint8Array> {
  const encoding = (req.headers.get("content-encoding") ?? "identity").trim().toLowerCase();
  if (encoding !== "identity" && encoding !== "gzip" && encoding !== "") {
    await req.body?.cancel();
    throw new BodyEncodingError(`Content-Encoding ${encoding} is not supported (gzip or none)`, 415);
  }
  const declared = Number(req.headers.get("content-length") ?? NaN);
  if (declared > maxBytes) {
    await req.body?.cancel();
    throw new BodyTooLargeError(`the body is larger than ${maxBytes} bytes (Content-Length ${declared})`);
  }
  if (req.body === null) return new Uint8Array(0);
  if (encoding !== "gzip") return await readCapped(req.body, maxBytes, "the body");
  const compressed = await readCapped(req.body, maxBytes, "the body");
  const inflated = new Blob([compressed as Uint8Array<ArrayBuffer>]).stream().pipeThrough(
    new DecompressionStream("gzip"),
  );
  try {
    return await readCapped(inflated, maxBytes, "the inflated body");
  } catch (err) {
    if (err instanceof BodyTooLargeError) throw err;
    throw new BodyEncodingError(`the gzip body is corrupt: ${(err as Error).message}`, 400, { cause: err });
  }
}
