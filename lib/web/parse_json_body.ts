/**
 * Reads and validates a small JSON request body.
 *
 * @module
 */
import type { z } from "zod";
import { BadRequestError, describeIssues } from "./event_query.ts";

/**
 * Parses a JSON body against a schema.
 *
 * @param maxBytes largest accepted body. Default 16 KiB.
 * @throws {BadRequestError} when the body is too large, not JSON, or invalid
 */
export async function parseJsonBody<S extends z.ZodType>(
  req: Request,
  schema: S,
  maxBytes = 16 * 1024,
): Promise<z.infer<S>> {
  const text = await readCapped(req, maxBytes);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new BadRequestError([`body: not valid JSON (${(err as Error).message})`], { cause: err });
  }
  const result = schema.safeParse(raw);
  if (!result.success) throw new BadRequestError(describeIssues(result.error), { cause: result.error });
  return result.data;
}

/**
 * The body as text, refusing it as soon as it exceeds `maxBytes` (by its Content-Length, or while reading):
 * reading it whole first let one request hold any amount of memory.
 */
async function readCapped(req: Request, maxBytes: number): Promise<string> {
  const tooLarge = () => new BadRequestError([`body: must be at most ${maxBytes} bytes`]);
  const declared = Number(req.headers.get("content-length") ?? NaN);
  if (declared > maxBytes) {
    await req.body?.cancel();
    throw tooLarge();
  }
  if (req.body === null) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = req.body.getReader();
  while (true) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  return new TextDecoder().decode(bytes);
}
