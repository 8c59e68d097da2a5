/**
 * The one way vigil replaces a state file (templates, online and detection state, the suppressions log's
 * compactions, stack leases):
 * the new contents go to a temporary file beside the target under a name no other writer uses (process id +
 * random suffix), which is fsynced, renamed over the target, and then the folder is fsynced so the rename itself
 * survives a power loss. A reader — or a crash at any point — sees the previous file or the new one, never half
 * of one; two engines sharing a data folder never write into each other's temporary file.
 *
 * Writes to one path from this process are serialised in call order, so the last call's contents win.
 *
 * Logs that grow by appends (the suppressions log) use {@link appendFileDurably}: the bytes are fsynced before
 * it returns, and the folder too when the append created the file.
 *
 * @module
 */
import { dirname } from "node:path";

const chains = new Map<string, Promise<void>>();

/**
 * Durably replaces `path` with `contents` (creating its folder), as described in the module doc.
 *
 * @param path the file to replace
 * @param contents text (written as UTF-8) or bytes
 * @returns when the file and the rename are on disk
 * @throws what the file system throws; the temporary file is removed then and the previous file is intact
 *
 * @example
 * ```ts ignore
 * import { writeFileDurably } from "./durable_file.ts";
 * await writeFileDurably(".vigil/classifier/incident_state.json", JSON.stringify({ version: 1 }));
 * ```
 */
export function writeFileDurably(path: string, contents: string | Uint8Array): Promise<void> {
  const next = (chains.get(path) ?? Promise.resolve()).then(() => replace(path, contents));
  const settled = next.catch(() => {});
  chains.set(path, settled);
  void settled.then(() => {
    if (chains.get(path) === settled) chains.delete(path);
  });
  return next;
}

/**
 * Appends `bytes` to `path` (creating it and its folder) and fsyncs the file — and the folder when the file is
 * new, so its entry survives a power loss too. Appends to one path from this process are serialised with
 * {@link writeFileDurably}'s replacements of it, in call order.
 *
 * @returns when the bytes are on disk
 * @throws what the file system throws; a crash mid-append can leave a torn last line, which readers must drop
 *
 * @example
 * ```ts ignore
 * import { appendFileDurably } from "./durable_file.ts";
 * await appendFileDurably(".vigil/classifier/suppressions.jsonl", new TextEncoder().encode('{"del":["x"]}\n'));
 * ```
 */
export function appendFileDurably(path: string, bytes: Uint8Array): Promise<void> {
  const next = (chains.get(path) ?? Promise.resolve()).then(() => append(path, bytes));
  const settled = next.catch(() => {});
  chains.set(path, settled);
  void settled.then(() => {
    if (chains.get(path) === settled) chains.delete(path);
  });
  return next;
}

async function append(path: string, bytes: Uint8Array): Promise<void> {
  const dir = dirname(path);
  await Deno.mkdir(dir, { recursive: true });
  let created = false;
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path, { append: true });
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
    file = await Deno.open(path, { append: true, create: true });
    created = true;
  }
  try {
    let written = 0;
    while (written < bytes.byteLength) written += await file.write(bytes.subarray(written));
    await file.sync();
  } finally {
    file.close();
  }
  if (created) await syncFolder(dir);
}

/** The temporary name for a write of `path`: unique across processes and across writes of one process. */
function temporaryPathFor(path: string): string {
  return `${path}.${Deno.pid}-${crypto.randomUUID().slice(0, 8)}.tmp`;
}

async function replace(path: string, contents: string | Uint8Array): Promise<void> {
  const dir = dirname(path);
  await Deno.mkdir(dir, { recursive: true });
  const tmp = temporaryPathFor(path);
  const bytes = typeof contents === "string" ? new TextEncoder().encode(contents) : contents;
  try {
    const file = await Deno.open(tmp, { write: true, createNew: true });
    try {
      let written = 0;
      while (written < bytes.byteLength) written += await file.write(bytes.subarray(written));
      await file.sync();
    } finally {
      file.close();
    }
    await Deno.rename(tmp, path);
  } catch (err) {
    await Deno.remove(tmp).catch(() => {});
    throw err;
  }
  await syncFolder(dir);
}

/** Makes a rename in `dir` durable; a platform that cannot open a folder (Windows) skips it. */
async function syncFolder(dir: string): Promise<void> {
  let handle: Deno.FsFile;
  try {
    handle = await Deno.open(dir, { read: true });
  } catch {
    return;
  }
  try {
    await handle.sync();
  } catch {
    // Some file systems refuse fsync on a folder; the rename is still atomic, only its durability is weaker.
  } finally {
    handle.close();
  }
}
