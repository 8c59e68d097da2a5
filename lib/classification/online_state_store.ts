/**
 * Persists the classifier's {@link OnlineState} as one JSON file (see `online_state.ts` for why it is
 * persisted rather than rebuilt from the hot tier).
 *
 * @module
 */
import { STATE_OPTIONS } from "./feature_spec.ts";
import { readJsonFile, writeJsonAtomic } from "./json_file.ts";
import { OnlineState } from "./online_state.ts";

/** Loads and saves the online state at one path. */
export class OnlineStateStore {
  /** @param path the JSON file, e.g. `.vigil/classifier/online_state.json`. */
  constructor(readonly path: string) {
    if (typeof path !== "string" || path.length === 0) {
      throw new TypeError("Cannot create OnlineStateStore as path must be a non-empty string");
    }
  }

  /**
   * Loads the saved state; a missing file, an unreadable one, or one made with other options gives a fresh state
   * (a cold start: templates count as new again) and `onColdStart` says why.
   */
  async load(
    onColdStart: (why: string) => void = (w) => console.warn(`classifier: ${w}`),
  ): Promise<OnlineState> {
    try {
      const raw = await readJsonFile(this.path);
      if (raw === undefined) return new OnlineState(STATE_OPTIONS);
      const state = OnlineState.fromJSON(raw);
      for (const [k, v] of Object.entries(STATE_OPTIONS)) {
        if (state.options[k as keyof typeof STATE_OPTIONS] !== v) {
          onColdStart(
            `online state ${this.path} was made with ${k}=${
              state.options[k as keyof typeof STATE_OPTIONS]
            }, not ${v}: starting cold`,
          );
          return new OnlineState(STATE_OPTIONS);
        }
      }
      return state;
    } catch (e) {
      onColdStart(`online state ${this.path} is unreadable (${(e as Error).message}): starting cold`);
      return new OnlineState(STATE_OPTIONS);
    }
  }

  /** Saves the state atomically. */
  save(state: OnlineState): Promise<void> {
    return writeJsonAtomic(this.path, state.toJSON());
  }
}
