/**
 * Constant values of a template: a `<*>` whose value has been the same in every message of the template so far.
 *
 * The masker decides variables token by token, before any message is compared, so everything holding a digit is a
 * `<*>`: an event code (`4672 Special privileges …`), a protocol version (`HTTP/1.1`), an errno (`(111: Connection
 * refused)`), a fixed id (`uid=0`, `Status: 0xC000006D`), a fixed path (`run-parts /etc/cron.hourly`). A person
 * reads those as part of the event. Once a template has held enough messages, a `<*>` that took one value in all of
 * them is shown as that value; the first message that differs turns it back into `<*>` for good.
 *
 * "Constant" is decided per `<*>` of a template token, not per token: in `alice(uid=0)`, `bob(uid=0)` the name
 * varies and the uid does not (`<*>(uid=0)`). A `<*>` the masker made of a compound value (`10.0.0.1:50010`) is
 * one value: it is shown only if the whole compound never changed.
 * @module
 */
import { pushWildcardValues } from "./wildcard_values.ts";

const WILDCARD = "<*>";

/** Per template token: the values of its `<*>`s (an entry `null` once that `<*>` took two values). */
type TokenValues = (string | null)[];

/** The persisted form of {@link ConstantValues}: per template token, its values, or `null` (none constant). */
export type ConstantValuesSnapshot = (TokenValues | null)[];

/**
 * The values each `<*>` of a template's tokens took while they stayed the same (see module doc).
 *
 * @example
 * ```ts
 * import { ConstantValues } from "./constant_values.ts";
 * const display = ["<*>", "The", "<*>", "service", "entered"];
 * const values = ConstantValues.start(display, ["7036", "The", "BITS", "service", "entered"]);
 * values.observe(display, ["7036", "The", "WinRM", "service", "entered"]);
 * console.assert(values.render(display).join(" ") === "7036 The <*> service entered");
 * ```
 */
export class ConstantValues {
  /** Per position: values of the token's `<*>`s, or `null` when none is constant (or the token has no `<*>`). */
  readonly #values: (TokenValues | null)[];
  /** Per position: the raw token last seen, whose values are the ones kept (a repeat needs no extraction). */
  readonly #raw: (string | undefined)[];
  /** Positions whose values are not all `null`. */
  #open = 0;

  private constructor(values: (TokenValues | null)[], raw: (string | undefined)[]) {
    this.#values = values;
    this.#raw = raw;
    for (const v of values) if (v !== null) this.#open++;
  }

  /** Nothing constant, nothing to learn (a miner that shows no constants shares it: every method is a no-op). */
  static readonly none: ConstantValues = new ConstantValues([], []);

  /**
   * The values of a template's first message.
   * @param display the template tokens (`<*>` where variable).
   * @param tokens the message's raw tokens, index-aligned with `display`.
   */
  static start(display: readonly string[], tokens: readonly string[]): ConstantValues {
    const values: (TokenValues | null)[] = new Array(display.length).fill(null);
    const raw: (string | undefined)[] = new Array(display.length).fill(undefined);
    for (let i = 0; i < display.length; i++) {
      if (!display[i].includes(WILDCARD)) continue;
      const out: string[] = [];
      if (pushWildcardValues(display[i].split(WILDCARD), tokens[i], out)) {
        values[i] = out;
        raw[i] = tokens[i];
      }
    }
    return new ConstantValues(values, raw);
  }

  /**
   * Restores {@link ConstantValues.toJSON}'s output; `undefined` (a snapshot written before constants existed):
   * nothing constant.
   * @throws {TypeError} when the snapshot is malformed or not `length` long.
   */
  static fromJSON(snapshot: unknown, length: number): ConstantValues {
    if (snapshot === undefined) return new ConstantValues(new Array(length).fill(null), new Array(length));
    const s = snapshot as ConstantValuesSnapshot;
    if (
      !Array.isArray(s) || s.length !== length ||
      !s.every((v) => v === null || (Array.isArray(v) && v.every((x) => x === null || typeof x === "string")))
    ) {
      throw new TypeError(`Cannot restore ConstantValues as the snapshot is not ${length} token values`);
    }
    return new ConstantValues(s.map((v) => v === null ? null : v.slice()), new Array(length));
  }

  /** Whether some `<*>` has kept one value so far (when not, nothing is ever shown again and nothing is read). */
  get open(): boolean {
    return this.#open > 0;
  }

  /**
   * Reads a message of the template: a `<*>` whose value differs is variable from now on.
   * @param display the template tokens (as when the values were taken: a changed token must be {@link vary}'d).
   * @param tokens the message's raw tokens.
   * @returns whether some `<*>` became variable.
   */
  observe(display: readonly string[], tokens: readonly string[]): boolean {
    if (this.#open === 0) return false;
    let changed = false;
    for (let i = 0; i < this.#values.length; i++) {
      const kept = this.#values[i];
      if (kept === null || this.#raw[i] === tokens[i]) continue;
      const out: string[] = [];
      if (!pushWildcardValues(display[i].split(WILDCARD), tokens[i], out) || out.length !== kept.length) {
        this.#close(i);
        changed = true;
        continue;
      }
      let left = 0;
      for (let j = 0; j < kept.length; j++) {
        if (kept[j] !== null && kept[j] !== out[j]) {
          kept[j] = null;
          changed = true;
        }
        if (kept[j] !== null) left++;
      }
      if (left === 0) this.#close(i);
      else this.#raw[i] = tokens[i];
    }
    return changed;
  }

  /** Position `i`'s template token changed (it generalised): none of its `<*>`s is constant. */
  vary(i: number): void {
    if (this.#values[i] != null) this.#close(i);
  }

  /**
   * Takes in another template's messages (a merge): a value stays constant only where both kept the same one.
   * Positions whose template tokens differ must be {@link vary}'d by the caller.
   */
  merge(other: ConstantValues): void {
    for (let i = 0; i < this.#values.length; i++) {
      const a = this.#values[i], b = other.#values[i];
      if (a === null) continue;
      if (b === null || b === undefined || b.length !== a.length) {
        this.#close(i);
        continue;
      }
      let left = 0;
      for (let j = 0; j < a.length; j++) {
        if (a[j] !== b[j]) a[j] = null;
        if (a[j] !== null) left++;
      }
      if (left === 0) this.#close(i);
      this.#raw[i] = undefined;
    }
  }

  /**
   * The template tokens with each constant value in place of its `<*>`.
   * @returns `display` itself when nothing is constant.
   */
  render(display: readonly string[]): readonly string[] {
    if (this.#open === 0) return display;
    let out: string[] | undefined;
    for (let i = 0; i < this.#values.length; i++) {
      const kept = this.#values[i];
      if (kept === null) continue;
      const parts = display[i].split(WILDCARD);
      if (parts.length !== kept.length + 1) continue; // not the token the values were read from
      let token = parts[0];
      for (let j = 0; j < kept.length; j++) token += (kept[j] ?? WILDCARD) + parts[j + 1];
      (out ??= display.slice())[i] = token;
    }
    return out ?? display;
  }

  /** A JSON-safe snapshot. */
  toJSON(): ConstantValuesSnapshot {
    return this.#values.map((v) => v === null ? null : v.slice());
  }

  #close(i: number): void {
    this.#values[i] = null;
    this.#raw[i] = undefined;
    this.#open--;
  }
}
