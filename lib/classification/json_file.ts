/**
 * Atomic JSON persistence for state files (the classifier's state and feedback, the dashboard's alert state): write to a temporary file beside the target, then
 * rename, so a crash mid-write leaves the previous file intact. Writes to one path are serialised.
 *
 * @module
 */

const chains = new Map<string, Promise<void>>();

/** Writes `value` as JSON to `path` atomically (creating its folder). */
export function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  const write = async () => {
    const dir = path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : ".";
    await Deno.mkdir(dir, { recursive: true });
    const tmp = `${path}.${crypto.randomUUID().slice(0, 8)}.tmp`;
    await Deno.writeTextFile(tmp, JSON.stringify(value));
    await Deno.rename(tmp, path);
  };
  const next = (chains.get(path) ?? Promise.resolve()).then(write);
  const settled = next.catch(() => {});
  chains.set(path, settled);
  void settled.then(() => {
    if (chains.get(path) === settled) chains.delete(path);
  });
  return next;
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
