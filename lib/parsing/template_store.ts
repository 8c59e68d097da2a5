/**
 * Persistence of a {@link TemplateMiner} (templates, tree, registry, aliases) so a restart does not forget
 * templates: a small store interface and a JSON-file implementation with atomic replace.
 * @module
 */
import { writeFileDurably } from "../state/durable_file.ts";
import { TemplateMiner, type TemplateMinerOptions, type TemplateMinerSnapshot } from "./template_miner.ts";

/** Where miner snapshots live. */
export interface TemplateStore {
  /** The last saved snapshot, or `undefined` when none. */
  load(): Promise<unknown | undefined>;
  /** Saves a snapshot (replacing the previous one). */
  save(snapshot: TemplateMinerSnapshot): Promise<void>;
}

/**
 * A store in one JSON file, replaced through {@link writeFileDurably}: a crash never leaves half a file, and two
 * engines sharing a data folder never write into each other's temporary file.
 * @param path the file path.
 */
export function fileTemplateStore(path: string): TemplateStore {
  return {
    async load() {
      let text: string;
      try {
        text = await Deno.readTextFile(path);
      } catch (e) {
        if (e instanceof Deno.errors.NotFound) return undefined;
        throw e;
      }
      return JSON.parse(text);
    },
    save(snapshot) {
      return writeFileDurably(path, JSON.stringify(snapshot));
    },
  };
}

/**
 * Loads a miner from a store; a missing snapshot gives a new miner, an unreadable one is reported through
 * `onError` and also gives a new miner (the parser must start; the broken file is left for inspection and is
 * replaced at the next save).
 */
export async function loadTemplateMiner(
  store: TemplateStore | undefined,
  options: TemplateMinerOptions = {},
  onError: (error: unknown) => void = (e) => console.warn(`template store unreadable, starting empty: ${e}`),
): Promise<TemplateMiner> {
  if (store === undefined) return new TemplateMiner(options);
  try {
    const snapshot = await store.load();
    return snapshot === undefined ? new TemplateMiner(options) : TemplateMiner.fromJSON(snapshot);
  } catch (e) {
    onError(e);
    return new TemplateMiner(options);
  }
}
