/**
 * Follows a growing log file like `tail -F`: reads what is there, then keeps reading what is appended, and
 * survives rotation (the path now names a new file: the old one is drained, then the new one is read from its
 * start), truncation (the file shrank: reading restarts at its start) and a missing file (waits for it).
 *
 * Polling, not inotify: it works the same on every file system, and a poll every 250 ms is cheap.
 *
 * @module
 */
import { abortableSleep } from "../timing/abortable_sleep.ts";

/** Options of {@link followFile}. */
export interface FollowOptions {
  /** How often to look for new data, rotation or truncation, in ms. Default 250. */
  pollMs?: number;
  /** Stops following; the stream then ends normally. */
  signal?: AbortSignal;
  /** Read buffer size in bytes. Default 65536. */
  bufferBytes?: number;
}

async function statOrUndefined(path: string): Promise<Deno.FileInfo | undefined> {
  try {
    return await Deno.stat(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return undefined;
    throw err;
  }
}

/**
 * Returns a stream of the bytes of `path` as it grows, until `options.signal` aborts.
 *
 * @param path the file to follow
 * @param options poll interval, abort signal, buffer size
 * @throws {RangeError} when pollMs or bufferBytes is not a positive integer
 */
export function followFile(path: string, options: FollowOptions = {}): ReadableStream<Uint8Array> {
  const pollMs = options.pollMs ?? 250;
  const bufferBytes = options.bufferBytes ?? 65_536;
  if (!Number.isInteger(pollMs) || pollMs < 1) {
    throw new RangeError(
      `Cannot follow ${path} as pollMs must be a positive integer: current value is ${pollMs}`,
    );
  }
  if (!Number.isInteger(bufferBytes) || bufferBytes < 1) {
    throw new RangeError(
      `Cannot follow ${path} as bufferBytes must be a positive integer: current value is ${bufferBytes}`,
    );
  }
  const signal = options.signal;
  let file: Deno.FsFile | undefined;
  let ino: number | null = null;
  let position = 0;

  const close = () => {
    try {
      file?.close();
    } catch { /* already closed */ }
    file = undefined;
  };

  /** Reads one buffer from the current file; undefined at end of file. */
  const readSome = async (): Promise<Uint8Array | undefined> => {
    const buf = new Uint8Array(bufferBytes);
    const n = await file!.read(buf);
    if (n === null || n === 0) return undefined;
    position += n;
    return buf.subarray(0, n);
  };

  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      for (;;) {
        if (signal?.aborted) {
          close();
          controller.close();
          return;
        }
        if (!file) {
          try {
            file = await Deno.open(path, { read: true });
            ino = (await file.stat()).ino;
            position = 0;
          } catch (err) {
            if (!(err instanceof Deno.errors.NotFound)) throw err;
            await abortableSleep(pollMs, signal);
            continue;
          }
        }
        const data = await readSome();
        if (data) {
          controller.enqueue(data);
          return;
        }
        // At end of file: has the path been rotated or truncated?
        const now = await statOrUndefined(path);
        if (!now || (ino !== null && now.ino !== ino)) {
          // Rotated (or removed): drain what the writer added to the old file, then switch.
          const rest = await readSome();
          if (rest) {
            controller.enqueue(rest);
            return;
          }
          close();
          if (!now) await abortableSleep(pollMs, signal);
          continue;
        }
        if (now.size < position) {
          await file.seek(0, Deno.SeekMode.Start);
          position = 0;
          continue;
        }
        await abortableSleep(pollMs, signal);
      }
    },
    cancel() {
      close();
    },
  });
}
