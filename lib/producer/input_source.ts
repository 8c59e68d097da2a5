/**
 * Byte sources for the producer: a file, stdin, either of them gzip-compressed (detected by its magic bytes,
 * not by its name, and inflated with the platform's DecompressionStream).
 *
 * @module
 */

/** An opened input. */
export interface OpenedInput {
  /** The (decompressed) bytes. */
  stream: ReadableStream<Uint8Array>;
  /** Size in bytes of the file on disk (compressed size for gzip); undefined for stdin. */
  size?: number;
  /** Whether the input was gzip-compressed. */
  gzip: boolean;
}

/** Thrown when an input cannot be opened; `cause` holds the system error. */
export class InputError extends Error {
  override name = "InputError";
}

const GZIP_MAGIC = [0x1f, 0x8b];

/**
 * Returns the stream, inflated when it starts with the gzip magic bytes.
 *
 * @param stream raw bytes
 * @returns the bytes to read and whether they were compressed
 */
export async function gunzipIfCompressed(
  stream: ReadableStream<Uint8Array>,
): Promise<{ stream: ReadableStream<Uint8Array>; gzip: boolean }> {
  const reader = stream.getReader();
  const head: Uint8Array[] = [];
  let headBytes = 0;
  let done = false;
  while (headBytes < 2) {
    const r = await reader.read();
    if (r.done) {
      done = true;
      break;
    }
    head.push(r.value);
    headBytes += r.value.length;
  }
  const first = (i: number) => {
    let k = i;
    for (const h of head) {
      if (k < h.length) return h[k];
      k -= h.length;
    }
    return -1;
  };
  const gzip = first(0) === GZIP_MAGIC[0] && first(1) === GZIP_MAGIC[1];
  const replay = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const h of head) controller.enqueue(h);
      if (done) controller.close();
    },
    async pull(controller) {
      const r = await reader.read();
      if (r.done) controller.close();
      else controller.enqueue(r.value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
  if (!gzip) return { stream: replay, gzip };
  return {
    stream: replay.pipeThrough(
      new DecompressionStream("gzip") as unknown as TransformStream<Uint8Array, Uint8Array>,
    ),
    gzip,
  };
}

/**
 * Opens a file for reading, inflating gzip transparently.
 *
 * @param path the file path
 * @throws {InputError} when the file cannot be opened or is not a regular file
 */
export async function openFileInput(path: string): Promise<OpenedInput> {
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path, { read: true });
  } catch (err) {
    throw new InputError(`Cannot open input ${path}: ${(err as Error).message}`, { cause: err });
  }
  const info = await file.stat();
  if (!info.isFile) {
    file.close();
    throw new InputError(`Cannot read input ${path} as it is not a regular file`);
  }
  const { stream, gzip } = await gunzipIfCompressed(file.readable);
  return { stream, size: info.size, gzip };
}

/** Opens standard input, inflating gzip transparently. */
export async function openStdinInput(): Promise<OpenedInput> {
  const { stream, gzip } = await gunzipIfCompressed(Deno.stdin.readable);
  return { stream, gzip };
}
