/**
 * Splits a stream of text into the pieces between a delimiter: lines of a child process's stdout (`"\n"`), or
 * the frames of a Server-Sent Events body (`"\n\n"`). A trailing piece without its delimiter is emitted at
 * the end, unless empty.
 *
 * @module
 */

/** A `TransformStream` from text chunks to the delimited pieces; see the module doc. */
export class DelimitedTextStream extends TransformStream<string, string> {
  /** @throws {RangeError} for an empty delimiter */
  constructor(delimiter = "\n") {
    if (delimiter.length === 0) {
      throw new RangeError('Cannot split text as the delimiter must not be empty: current value is ""');
    }
    let buffer = "";
    super({
      transform(chunk, controller) {
        buffer += chunk;
        let at;
        while ((at = buffer.indexOf(delimiter)) >= 0) {
          controller.enqueue(buffer.slice(0, at));
          buffer = buffer.slice(at + delimiter.length);
        }
      },
      flush(controller) {
        if (buffer.length > 0) controller.enqueue(buffer);
      },
    });
  }
}

/** The lines (or other `delimiter`-separated pieces) of a byte stream decoded as UTF-8. */
export function textPieces(bytes: ReadableStream<BufferSource>, delimiter = "\n"): ReadableStream<string> {
  return bytes.pipeThrough(new TextDecoderStream()).pipeThrough(new DelimitedTextStream(delimiter));
}
