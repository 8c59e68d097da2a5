/**
 * A {@link FeedbackSink} that appends each operator label as one JSON line to a file (default
 * `.vigil/feedback.jsonl`): durable, greppable, and readable by the classifier's training. `deno task web` uses
 * it when no classifier runs in-process; `deno task start` wires the classifier's feedback API instead.
 *
 * @module
 */
import type { AlertFeedback, FeedbackSink } from "./web_deps.ts";

/** Appends labels to a JSON Lines file. */
export class JsonlFeedbackSink implements FeedbackSink {
  readonly #path: string;
  #chain: Promise<void> = Promise.resolve();

  /** @param path the file; its folder is created on first write */
  constructor(path: string) {
    if (path.length === 0) throw new TypeError("Cannot create a feedback sink as path must not be empty");
    this.#path = path;
  }

  /** Appends one line; writes are serialised so lines never interleave. */
  record(feedback: AlertFeedback): Promise<void> {
    const line = JSON.stringify(feedback) + "\n";
    const write = async () => {
      const dir = this.#path.includes("/") ? this.#path.slice(0, this.#path.lastIndexOf("/")) : ".";
      await Deno.mkdir(dir, { recursive: true });
      await Deno.writeTextFile(this.#path, line, { append: true, create: true });
    };
    const next = this.#chain.then(write);
    this.#chain = next.catch(() => {});
    return next;
  }
}
