/**
 * Counts the lines of an input file (gzip inflated transparently) in one pass over its bytes, without decoding
 * text: the total that `deno task start --input` shows the producer's progress against.
 *
 * @module
 */
import { openFileInput } from "./input_source.ts";

/**
 * Counts lines the way the producer reads them: every `\n` ends one, and a last line without one counts too.
 *
 * @param stream the input's bytes
 * @returns the number of lines
 */
export async function countStreamLines(stream: ReadableStream<Uint8Array>): Promise<number> {
  let lines = 0;
  let last = -1;
  for await (const chunk of stream) {
    if (chunk.length === 0) continue;
    let i = chunk.indexOf(10);
    while (i !== -1) {
      lines++;
      i = chunk.indexOf(10, i + 1);
    }
    last = chunk[chunk.length - 1];
  }
  return last !== -1 && last !== 10 ? lines + 1 : lines;
}

/**
 * Counts the lines of a file (gzip inflated transparently).
 *
 * @param path the file
 * @throws {InputError} when the file cannot be opened
 */
export async function countFileLines(path: string): Promise<number> {
  return countStreamLines((await openFileInput(path)).stream);
}
