/**
 * The operators' suppressions on disk as an append-only JSON-lines log (`suppressions.jsonl`): each change an
 * operator makes — a mute, a "not a problem", an undo, a "real problem" that lifts some — appends one line
 * holding the suppressions it added and the ids it removed (`{"put":[…],"del":[…]}`), fsynced before the
 * action is answered, so an acknowledged decision survives a crash and a torn one is dropped whole. Writing the whole book per action, as
 * before, cost O(book) bytes per click; an append costs O(change) bytes whatever the book holds.
 *
 * The log is **compacted** — rewritten as one line per live suppression, through the one state-file helper
 * (`writeFileDurably`: unique temporary name, fsync, rename, folder fsync) — when it is loaded, and when it
 * holds more than `compactFactor` × the live suppressions (at least `minCompactLines` lines), so it stays
 * within a constant factor of the book.
 *
 * A crash can leave the last line torn (no final newline, or not JSON): it is the append that was never
 * acknowledged, so it is dropped and counted ({@link LoadReport.tornTail}). A bad line anywhere else means the
 * file was damaged, and loading refuses with a clear error: starting without the operators' suppressions would
 * page for what they silenced. Entries that parse but fail the schema are skipped and counted.
 *
 * What a line records is the suppression as it was when added; its `silenced` count moves with every event and
 * is written only by a compaction (a count, not a decision: losing the latest increments to a crash is
 * acceptable).
 *
 * @module
 */
import { appendFileDurably, writeFileDurably } from "../state/durable_file.ts";
import type { Suppression } from "./suppression.ts";
import type { SuppressionBook } from "./suppression_book.ts";

/** Options of {@link SuppressionLog}. */
export interface SuppressionLogOptions {
  /** Compact when the log holds more than this many lines per live suppression. Default 4. */
  compactFactor?: number;
  /** …and at least this many lines (a small book is not rewritten every few clicks). Default 256. */
  minCompactLines?: number;
}

/** What {@link SuppressionLog.load} found. */
export interface LoadReport {
  /** Suppressions restored into the book. */
  restored: number;
  /** Entries that parsed but are not valid suppressions (skipped by the book). */
  skipped: number;
  /** 1 when the last line was torn by a crash mid-append (dropped), else 0. */
  tornTail: number;
}

/** One logged change: suppressions added (or replaced) and ids removed. */
interface Line {
  put?: Suppression[];
  del?: string[];
}

const encoder = new TextEncoder();

/** Reads, appends to and compacts the suppressions log (see module doc). */
export class SuppressionLog {
  readonly path: string;
  readonly compactFactor: number;
  readonly minCompactLines: number;
  /** What the log says now: id → the suppression's line (without `silenced`, which is not a change). */
  readonly #persisted = new Map<string, string>();
  #lines = 0;
  #chain: Promise<void> = Promise.resolve();
  /** Bytes appended since creation (compactions not included). */
  bytesAppended = 0;
  /** Compactions since creation (the one at load included). */
  compactions = 0;

  /**
   * @param path the log file, e.g. `.vigil/classifier/suppressions.jsonl`
   * @throws {RangeError} when compactFactor is not above 1 or minCompactLines is not a positive integer
   */
  constructor(path: string, options: SuppressionLogOptions = {}) {
    const { compactFactor = 4, minCompactLines = 256 } = options;
    if (!(compactFactor > 1)) {
      throw new RangeError(
        `Cannot create SuppressionLog as compactFactor must be above 1: current value is ${compactFactor}`,
      );
    }
    if (!Number.isInteger(minCompactLines) || minCompactLines < 1) {
      throw new RangeError(
        `Cannot create SuppressionLog as minCompactLines must be a positive integer: current value is ${minCompactLines}`,
      );
    }
    this.path = path;
    this.compactFactor = compactFactor;
    this.minCompactLines = minCompactLines;
  }

  /** Lines in the log now (puts and deletes). */
  get lines(): number {
    return this.#lines;
  }

  /**
   * Replays the log into `book`, then compacts it. A missing log restores nothing.
   * @param legacy a whole-book JSON snapshot (`suppressions.json` of earlier versions) to start from when the
   *   log does not exist yet; it is compacted into the log
   * @throws {Error} when a line other than the last is not JSON (a damaged file)
   */
  async load(book: SuppressionBook, legacy?: unknown): Promise<LoadReport> {
    let text: string | undefined;
    try {
      text = await Deno.readTextFile(this.path);
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
    let skipped = 0;
    let tornTail = 0;
    if (text === undefined) {
      if (legacy !== undefined) skipped = book.restore(legacy);
    } else {
      const live = new Map<string, unknown>();
      const rows = text.split("\n");
      const last = rows.length - 1; // text ending in "\n" leaves "" last; anything else there is torn
      for (let i = 0; i < rows.length; i++) {
        const row = rows[i];
        if (row === "") continue;
        let line: Line;
        try {
          line = JSON.parse(row);
        } catch (cause) {
          if (i === last) {
            tornTail = 1;
            continue;
          }
          throw new Error(`Cannot load suppressions from ${this.path} as line ${i + 1} is not JSON`, {
            cause,
          });
        }
        if (i === last) {
          // Parsed but without its newline: the append may have stopped just before it; still not acknowledged.
          tornTail = 1;
          continue;
        }
        if (line === null || typeof line !== "object") {
          skipped++;
          continue;
        }
        for (const id of Array.isArray(line.del) ? line.del : []) live.delete(String(id));
        for (const put of Array.isArray(line.put) ? line.put : []) {
          const id = (put as { id?: unknown })?.id;
          if (typeof id !== "string") {
            skipped++;
            continue;
          }
          live.delete(id); // a re-put is the newest
          live.set(id, put);
        }
      }
      skipped += book.restore({ items: [...live.values()] });
    }
    await this.compact(book);
    return { restored: book.size, skipped, tornTail };
  }

  /**
   * Appends what changed in `book` since the log last matched it (added or replaced suppressions, removed
   * ids — evictions included), fsynced; compacts instead when the log has grown past its bound.
   */
  save(book: SuppressionBook): Promise<void> {
    const next = this.#chain.then(() => this.#save(book));
    this.#chain = next.catch(() => {});
    return next;
  }

  /** Rewrites the log as one line per live suppression (see module doc). */
  compact(book: SuppressionBook): Promise<void> {
    const next = this.#chain.then(() => this.#compact(book));
    this.#chain = next.catch(() => {});
    return next;
  }

  async #save(book: SuppressionBook): Promise<void> {
    const now = new Map(book.list().map((s) => [s.id, s]));
    const del = [...this.#persisted.keys()].filter((id) => !now.has(id));
    const put = [...now.values()].filter((s) => this.#persisted.get(s.id) !== identity(s));
    if (del.length === 0 && put.length === 0) return;
    if (this.#lines + 1 > Math.max(this.minCompactLines, this.compactFactor * now.size)) {
      return this.#compact(book);
    }
    const line: Line = {};
    if (put.length > 0) line.put = put;
    if (del.length > 0) line.del = del;
    const bytes = encoder.encode(JSON.stringify(line) + "\n");
    await appendFileDurably(this.path, bytes);
    this.bytesAppended += bytes.byteLength;
    this.#lines++;
    for (const id of del) this.#persisted.delete(id);
    for (const s of put) this.#persisted.set(s.id, identity(s));
  }

  async #compact(book: SuppressionBook): Promise<void> {
    const items = book.list().reverse(); // oldest first, as the book holds them
    // One line per suppression: a compacted log reads like the changes that built it.
    const text = items.map((s) => JSON.stringify({ put: [s] }) + "\n").join("");
    await writeFileDurably(this.path, text);
    this.#persisted.clear();
    for (const s of items) this.#persisted.set(s.id, identity(s));
    this.#lines = items.length;
    this.compactions++;
  }
}

/** A suppression's line without its event count: what decides whether it changed. */
function identity(s: Suppression): string {
  return JSON.stringify({ ...s, silenced: 0 });
}
