/**
 * An {@link AlertStateStore} that survives restarts: the in-memory store, written to a JSON file (atomically,
 * coalesced: at most one write in flight, the latest state wins) after each change and read back at start.
 * An operator's acknowledgements and mutes are decisions; a restart of the dashboard must not undo them.
 *
 * @module
 */
import { z } from "zod";
import { readJsonFile, writeJsonAtomic } from "../classification/json_file.ts";
import {
  type AlertStateSnapshot,
  type AlertStateStore,
  MemoryAlertStateStore,
  type MemoryAlertStateStoreOptions,
} from "./alert_state_store.ts";

const SnapshotSchema = z.object({
  acknowledged: z.array(z.string()),
  mutes: z.array(z.tuple([z.string(), z.number().finite()])),
});

/** Options of {@link FileAlertStateStore.open}. */
export interface FileAlertStateStoreOptions extends Omit<MemoryAlertStateStoreOptions, "initial"> {
  /** Told when the file cannot be read (the store then starts empty) or written (it retries on the next change). */
  log?: (message: string) => void;
}

/** The alert state, persisted to a file; see the module doc. */
export class FileAlertStateStore implements AlertStateStore {
  readonly path: string;
  readonly #memory: MemoryAlertStateStore;
  readonly #log: (message: string) => void;
  #writing?: Promise<void>;
  #dirty = false;

  private constructor(path: string, memory: MemoryAlertStateStore, log: (message: string) => void) {
    this.path = path;
    this.#memory = memory;
    this.#log = log;
  }

  /** Reads `path` (missing: empty state; unreadable or invalid: empty state, logged) and returns the store. */
  static async open(path: string, options: FileAlertStateStoreOptions = {}): Promise<FileAlertStateStore> {
    const log = options.log ?? ((m: string) => console.warn(`[alert_state] ${m}`));
    let initial: AlertStateSnapshot | undefined;
    try {
      const raw = await readJsonFile(path);
      if (raw !== undefined) {
        const parsed = SnapshotSchema.safeParse(raw);
        if (parsed.success) initial = parsed.data;
        else log(`${path} is not an alert state file; starting with no acknowledgements or mutes`);
      }
    } catch (err) {
      log(`cannot read ${path} (${(err as Error).message}); starting with no acknowledgements or mutes`);
    }
    return new FileAlertStateStore(path, new MemoryAlertStateStore({ ...options, initial }), log);
  }

  acknowledge(eventId: string): void {
    this.#memory.acknowledge(eventId);
    this.#save();
  }

  isAcknowledged(eventId: string): boolean {
    return this.#memory.isAcknowledged(eventId);
  }

  mute(templateId: string, until: Date): void {
    this.#memory.mute(templateId, until);
    this.#save();
  }

  unmute(templateId: string): void {
    this.#memory.unmute(templateId);
    this.#save();
  }

  isMuted(templateId: string, at?: Date): boolean {
    return this.#memory.isMuted(templateId, at);
  }

  mutes(at?: Date): { templateId: string; until: string }[] {
    return this.#memory.mutes(at);
  }

  /** Resolves once every change so far is on disk (for shutdown and tests). */
  async flush(): Promise<void> {
    while (this.#writing) await this.#writing;
  }

  #save(): void {
    this.#dirty = true;
    this.#writing ??= (async () => {
      while (this.#dirty) {
        this.#dirty = false;
        try {
          await writeJsonAtomic(this.path, this.#memory.snapshot());
        } catch (err) {
          this.#log(`cannot write ${this.path}: ${(err as Error).message}`);
        }
      }
      this.#writing = undefined;
    })();
  }
}
