/**
 * The actor system: spawns top-level actors, owns the clock, logger and dead letters, answers for metrics, and
 * shuts everything down within a deadline.
 *
 * @module
 */
import type { Props } from "./actor.ts";
import type { ActorRef } from "./actor_ref.ts";
import { ActorCell, type CellHost, type CellParent } from "./_actor_cell.ts";
import { ActorStoppedError } from "./actor_stopped_error.ts";
import { type Clock, systemClock } from "./clock.ts";
import { DeadLetters } from "./dead_letters.ts";
import type { EngineSnapshot } from "./engine_snapshot.ts";
import { jsonLogger, type Logger } from "./logger.ts";

/** How long a hard stop waits for `postStop` before giving up on an actor, ms. */
const KILL_GRACE_MS = 1_000;

/** Options of an {@link ActorSystem}. */
export interface ActorSystemOptions {
  /** Name, for logs. Default "vigil". */
  name?: string;
  /** Time source for supervision and timers. Default: the real clock. */
  clock?: Clock;
  /** Logger. Default: JSON lines on stderr at level "info". */
  logger?: Logger;
  /** Recent dead letters kept for inspection. Default 1000. */
  deadLetterCapacity?: number;
  /**
   * Called when a top-level actor escalates a failure (it has already stopped). Default: log it at error level.
   * A process would typically start a graceful shutdown here.
   */
  onEscalation?: (error: unknown, actor: ActorRef<never>) => void;
}

/** What was left when a stop deadline passed. */
export interface Leftover {
  /** Actor path. */
  actor: string;
  /** Messages still queued, parked or awaiting re-delivery when it was stopped hard (now dead letters). */
  messages: number;
  /** State at the deadline. */
  state: string;
}

/** Outcome of a graceful stop. */
export interface ShutdownReport {
  /** True when everything drained before the deadline. */
  graceful: boolean;
  /** Time taken, ms (system clock). */
  elapsedMs: number;
  /** Actors stopped hard at the deadline, with what they still held. Empty when graceful. */
  leftovers: Leftover[];
}

/**
 * Resolves `work` or, after `deadlineMs` on `clock`, `"timeout"`.
 */
export function withDeadline<T>(work: Promise<T>, deadlineMs: number, clock: Clock): Promise<T | "timeout"> {
  let handle: unknown;
  const timeout = new Promise<"timeout">((resolve) =>
    handle = clock.setTimeout(() => resolve("timeout"), deadlineMs)
  );
  return Promise.race([work, timeout]).finally(() => clock.clearTimeout(handle));
}

/**
 * A set of supervised actors.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ActorSystem, silentLogger } from "./mod.ts";
 * const system = new ActorSystem({ logger: silentLogger });
 * let sum = 0;
 * const adder = system.spawn<number>({ name: "adder", create: () => ({ receive: (n) => void (sum += n) }) });
 * await adder.send(2);
 * await adder.send(3);
 * const report = await system.shutdown({ deadlineMs: 1_000 });
 * assert.deepEqual([sum, report.graceful], [5, true]);
 * ```
 */
export class ActorSystem {
  readonly name: string;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly deadLetters: DeadLetters;
  #cells = new Map<string, ActorCell<never>>();
  #top = new Map<string, ActorCell<never>>();
  #terminated = false;
  #host: CellHost;
  #root: CellParent;

  /** @param options see {@link ActorSystemOptions} */
  constructor(options: ActorSystemOptions = {}) {
    this.name = options.name ?? "vigil";
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? jsonLogger("info", { system: this.name });
    this.deadLetters = new DeadLetters(
      options.deadLetterCapacity ?? 1000,
      (e) => this.logger.error("dead letter listener failed", { error: e }),
    );
    const onEscalation = options.onEscalation ??
      ((error, actor) =>
        this.logger.error("top-level actor escalated a failure", { actor: actor.path, error }));
    this.#host = {
      clock: this.clock,
      logger: this.logger,
      deadLetters: this.deadLetters,
      register: (cell) => this.#cells.set(cell.path, cell),
    };
    this.#root = {
      path: "",
      escalate: (child, error) => onEscalation(error, child),
      childStopped: (child) => {
        if (this.#top.get(child.name) === child) this.#top.delete(child.name);
      },
    };
  }

  /**
   * Starts a top-level actor.
   *
   * @throws {TypeError} on a malformed name/factory or a name already in use
   * @throws {RangeError} on invalid numeric options
   * @throws {ActorStoppedError} after {@link shutdown}
   */
  spawn<In>(props: Props<In>): ActorRef<In> {
    if (this.#terminated) throw new ActorStoppedError(`actor system ${this.name}`, "shut down");
    if (this.#top.has(props.name)) {
      throw new TypeError(`Cannot spawn actor ${props.name} as the name is taken`);
    }
    const cell = new ActorCell<In>(props, this.#host, this.#root);
    this.#top.set(props.name, cell as unknown as ActorCell<never>);
    return cell;
  }

  /** Stops an actor now: what it has queued goes to dead letters. */
  stop(ref: ActorRef<never>): Promise<void> {
    return this.#cell(ref).stop();
  }

  /** Stops an actor gracefully: it refuses new messages, processes what it has, then stops. */
  drain(ref: ActorRef<never>): Promise<void> {
    return this.#cell(ref).drain();
  }

  /**
   * Drains an actor within a deadline; past it, stops it hard and reports what was left.
   *
   * @returns the leftover, or undefined when it drained in time
   */
  async drainWithin(ref: ActorRef<never>, deadlineMs: number): Promise<Leftover | undefined> {
    const cell = this.#cell(ref);
    if ((await withDeadline(cell.drain(), deadlineMs, this.clock)) !== "timeout") return undefined;
    const left = { actor: cell.path, messages: this.#backlogOf(cell), state: cell.state };
    const cause = new ActorStoppedError(cell.path, `drain deadline of ${deadlineMs} ms passed`);
    // Children first, so their leftovers are dead-lettered too; a postStop that hangs is not waited for long.
    await this.#kill(cell, cause);
    return left;
  }

  /** Messages held by an actor and its descendants (queued, parked, awaiting re-delivery). */
  backlog(ref: ActorRef<never>): number {
    return this.#backlogOf(this.#cell(ref));
  }

  /**
   * Drains every top-level actor (concurrently; use a {@link Pipeline} for ordered draining), then refuses new
   * spawns. Past the deadline, stops what is left hard and reports it.
   */
  async shutdown(options: { deadlineMs?: number } = {}): Promise<ShutdownReport> {
    const { deadlineMs = 30_000 } = options;
    const start = this.clock.now();
    this.#terminated = true;
    const cells = [...this.#top.values()];
    const results = await Promise.all(cells.map((c) => this.drainWithin(c, deadlineMs)));
    const leftovers = results.filter((r): r is Leftover => r !== undefined);
    return { graceful: leftovers.length === 0, elapsedMs: this.clock.now() - start, leftovers };
  }

  /** The metrics and health of every actor this system spawned (including stopped ones). */
  snapshot(): EngineSnapshot {
    const actors = [...this.#cells.values()].map((c) => c.snapshot());
    actors.sort((a, b) => a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
    return { at: Date.now(), actors, deadLetters: { total: this.deadLetters.total } };
  }

  async #kill(cell: ActorCell<never>, cause: unknown): Promise<void> {
    await Promise.all([...cell.children.values()].map((c) => this.#kill(c, cause)));
    if ((await withDeadline(cell.kill(cause), KILL_GRACE_MS, this.clock)) === "timeout") {
      this.logger.error("actor did not stop after a hard stop (postStop hangs?)", { actor: cell.path });
    }
  }

  #backlogOf(cell: ActorCell<never>): number {
    let n = cell.backlog;
    for (const c of cell.children.values()) n += this.#backlogOf(c);
    return n;
  }

  #cell(ref: ActorRef<never>): ActorCell<never> {
    if (!(ref instanceof ActorCell) || this.#cells.get(ref.path) !== ref) {
      throw new TypeError(`Cannot manage ${ref?.path} as it was not spawned by actor system ${this.name}`);
    }
    return ref as ActorCell<never>;
  }
}
