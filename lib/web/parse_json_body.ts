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
  const text = await req.text();
  if (new TextEncoder().encode(text).length > maxBytes) {
    throw new BadRequestError([`body: must be at most ${maxBytes} bytes`]);
  }
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
