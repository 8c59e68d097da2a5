/**
 * JSON state files (the classifier's online state, incident detection state and suppressions): written through
 * {@link writeFileDurably} (unique temporary name, fsync, rename, folder fsync), so a crash mid-write leaves the
 * previous file intact and two engines sharing a data folder do not collide.
 *
 * @module
 */
import { writeFileDurably } from "../state/durable_file.ts";

/** Writes `value` as JSON to `path` durably and atomically (creating its folder); writes to one path are serialised. */
export function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  return writeFileDurably(path, JSON.stringify(value));
}

/**
 * Reads a JSON file.
 * @returns the value, or `undefined` when the file does not exist.
 * @throws {SyntaxError} when it is not JSON; other read errors as thrown by Deno.
 */
export async function readJsonFile(path: string): Promise<unknown> {
  try {
    return JSON.parse(await Deno.readTextFile(path));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  }
}
