/**
 * The runtime behind every {@link ActorRef}: mailbox, run loop, supervision, lifecycle. Private to `engine/`;
 * users see it only through `ActorRef`, `ActorContext` and `ActorSystem`.
 *
 * Run loop: a send that lands in an idle actor queues one microtask; the loop then takes `batchSize` messages
 * at a time (or one, for `receive`) and calls the handler synchronously. Only a handler that returns a promise
 * costs an await; after `throughput` messages the loop yields to the event loop with `setImmediate` so timers
 * and I/O are not starved.
 *
 * @module
 */
import type { Actor, Props } from "./actor.ts";
import type { ActorContext } from "./actor_context.ts";
import { makeCellContext } from "./_cell_context.ts";
import { CellTimers } from "./_cell_timers.ts";
import { ActorMetrics } from "./actor_metrics.ts";
import type { ActorRef } from "./actor_ref.ts";
import { ActorStoppedError } from "./actor_stopped_error.ts";
import { BoundedMailbox } from "./bounded_mailbox.ts";
import type { Clock } from "./clock.ts";
import type { DeadLetterReason, DeadLetters } from "./dead_letters.ts";
import type { ActorSnapshot, ActorState } from "./engine_snapshot.ts";
import { type Logger, withFields } from "./logger.ts";
import { oneForOne } from "./one_for_one.ts";
import { RestartStatistics } from "./restart_statistics.ts";
import type { SupervisorDecision, SupervisorStrategy } from "./supervisor_strategy.ts";

/** What a cell needs from its actor system. */
export interface CellHost {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly deadLetters: DeadLetters;
  register(cell: ActorCell<never>): void;
}

/** What a cell needs from its parent (another cell, or the system's root guardian). */
export interface CellParent {
  readonly path: string;
  escalate(child: ActorCell<never>, error: unknown): void;
  childStopped(child: ActorCell<never>): void;
}

interface Redelivery<In> {
  msg: In;
  attempts: number;
}

const RESOLVED: Promise<void> = Promise.resolve();

function isThenable(r: unknown): r is PromiseLike<void> {
  return r !== undefined && r !== null && typeof (r as PromiseLike<void>).then === "function";
}

/** Validates the name and numeric options of props. */
function checkProps<In>(props: Props<In>): void {
  const { name } = props;
  if (typeof name !== "string" || name.length === 0 || name.includes("/")) {
    throw new TypeError(
      `Cannot spawn actor as name must be a non-empty string without "/": current value is ${name}`,
    );
  }
  if (typeof props.create !== "function") {
    throw new TypeError(
      `Cannot spawn actor ${name} as create must be a function: current value is ${props.create}`,
    );
  }
  for (const key of ["batchSize", "maxAttempts", "throughput"] as const) {
    const v = props[key];
    if (v !== undefined && (!Number.isSafeInteger(v) || v < 1)) {
      throw new RangeError(
        `Cannot spawn actor ${name} as ${key} must be a positive integer: current value is ${v}`,
      );
    }
  }
}

/** One actor: its mailbox, its current instance, its supervision state. */
export class ActorCell<In> implements ActorRef<In> {
  readonly name: string;
  readonly path: string;
  readonly mailbox: BoundedMailbox<In>;
  readonly metrics: ActorMetrics = new ActorMetrics();
  readonly stats: RestartStatistics = new RestartStatistics();
  readonly stopped: Promise<void>;
  readonly children: Map<string, ActorCell<never>> = new Map();
  #resolveStopped!: () => void;
  #state: ActorState = "starting";
  #props: Props<In>;
  #host: CellHost;
  #parent: CellParent;
  #ctx: ActorContext<In>;
  readonly log: Logger;
  readonly timers: CellTimers;
  readonly clock: Clock;
  #supervisor: SupervisorStrategy;
  #batchSize: number;
  #throughput: number;
  #maxAttempts: number;
  #actor!: Actor<In>;
  #batched = false;
  /** The current instance has started and not yet had postStop/preRestart. */
  #alive = false;
  /** A run is queued, in progress, or suspended on an async handler. */
  #scheduled = false;
  /** An async handler is in flight. */
  #busy = false;
  #redeliver: Redelivery<In>[] = [];
  /** Messages handed to the async handler in flight. */
  #inFlight: In[] | undefined;
  /** Bumped by `kill` so the continuation of an abandoned handler does nothing. */
  #abandoned = 0;
  #stopMode: "none" | "drain" | "now" = "none";
  #finishing = false;
  #failure: unknown = undefined;
  #pendingEscalation: unknown = undefined;
  #generation = 0;
  #hook: Promise<unknown> = RESOLVED;

  constructor(props: Props<In>, host: CellHost, parent: CellParent) {
    checkProps(props);
    this.name = props.name;
    this.path = `${parent.path}/${props.name}`;
    this.#props = props;
    this.#host = host;
    this.#parent = parent;
    this.mailbox = new BoundedMailbox<In>({ ...props.mailbox, name: this.path });
    this.#supervisor = props.supervisor ?? oneForOne();
    this.#batchSize = props.batchSize ?? 256;
    this.#throughput = props.throughput ?? 8192;
    this.#maxAttempts = props.maxAttempts ?? 3;
    this.stopped = new Promise((resolve) => this.#resolveStopped = resolve);
    this.clock = host.clock;
    this.timers = new CellTimers(host.clock);
    this.log = withFields(host.logger, { actor: this.path });
    this.#ctx = makeCellContext(this);
    // The first instance is created synchronously so a malformed actor fails at spawn, where the bug is.
    this.#actor = this.#instantiate();
    host.register(this as unknown as ActorCell<never>);
    this.#startInstance(this.#generation);
  }

  get state(): ActorState {
    return this.#state;
  }

  trySend(msg: In): boolean {
    if (this.mailbox.offer(msg)) {
      if (!this.#scheduled) this.#schedule();
      return true;
    }
    return false;
  }

  trySendMany(msgs: In[], from = 0): number {
    const next = this.mailbox.offerMany(msgs, from);
    if (next > from && !this.#scheduled) this.#schedule();
    return next;
  }

  send(msg: In): Promise<void> {
    const p = this.mailbox.put(msg);
    if (!this.#scheduled && this.mailbox.size > 0) this.#schedule();
    return p;
  }

  /** Graceful stop: refuse new messages, process what is queued, then stop children and run `postStop`. */
  drain(): Promise<void> {
    return this.#requestStop("drain");
  }

  /** Immediate stop: queued messages go to dead letters; the handler in flight is allowed to finish. */
  stop(cause?: unknown): Promise<void> {
    return this.#requestStop("now", cause);
  }

  /**
   * Hard stop: like {@link stop}, but does not wait for a handler in flight — its messages are dead-lettered
   * as "abandoned" and its eventual outcome ignored. For deadlines.
   */
  kill(cause?: unknown): Promise<void> {
    this.#requestStop("now", cause);
    if (this.#busy) {
      this.#abandoned++;
      this.#busy = false;
      for (const m of this.#inFlight ?? []) this.deadLetter(m, "abandoned", cause, 1);
      this.#inFlight = undefined;
      this.#finishStop();
    }
    return this.stopped;
  }

  /** Messages still held: queued + parked senders + awaiting re-delivery + in the handler in flight. */
  get backlog(): number {
    return this.mailbox.size + this.mailbox.waitingSenders + this.#redeliver.length +
      (this.#inFlight?.length ?? 0);
  }

  /** A child's failure escalated to this actor (or `ctx.fail`): handled as this actor's own failure. */
  escalate(_child: ActorCell<never>, error: unknown): void {
    if (this.#finishing || this.#stopMode === "now") return;
    if (this.#busy) this.#pendingEscalation = error;
    else this.#failed(error, [], 0);
  }

  childStopped(child: ActorCell<never>): void {
    if (this.children.get(child.name) === child) this.children.delete(child.name);
  }

  /** Reports a failure from outside a handler (`ctx.fail`). */
  fail(error: unknown): void {
    this.escalate(this as unknown as ActorCell<never>, error);
  }

  /** Starts a child supervised by this actor (`ctx.spawn`). */
  spawnChild<T>(props: Props<T>): ActorRef<T> {
    if (this.#stopMode !== "none" || this.#finishing) {
      throw new ActorStoppedError(this.path, "cannot spawn children while stopping");
    }
    if (this.children.has(props.name)) {
      throw new TypeError(`Cannot spawn actor ${props.name} as the name is taken under ${this.path}`);
    }
    const child = new ActorCell<T>(props, this.#host, this as unknown as CellParent);
    this.children.set(props.name, child as unknown as ActorCell<never>);
    return child;
  }

  /** Stops a child now (`ctx.stop(child)`). */
  stopChild(ref: ActorRef<never>): Promise<void> {
    const child = this.children.get(ref.name);
    if (child === undefined || child !== (ref as unknown)) {
      return Promise.reject(new TypeError(`Cannot stop ${ref.path} as it is not a child of ${this.path}`));
    }
    return child.stop();
  }

  snapshot(): ActorSnapshot {
    const mb = this.mailbox;
    return {
      name: this.name,
      path: this.path,
      state: this.#state,
      mailbox: {
        depth: mb.size,
        capacity: mb.capacity,
        whenFull: mb.whenFull,
        waitingSenders: mb.waitingSenders,
      },
      messages: {
        in: mb.enqueued,
        out: this.metrics.processed,
        dropped: mb.dropped,
        failed: this.metrics.failed,
        deadLettered: this.metrics.deadLettered,
      },
      restarts: this.stats.totalRestarts,
      processingMs: this.metrics.processingMs.snapshot(),
      custom: this.metrics.custom(),
    };
  }

  // ---- run loop -------------------------------------------------------------------------------------------

  #schedule(): void {
    this.#scheduled = true;
    // A promise reaction is a native microtask; Deno's queueMicrotask costs several times more.
    RESOLVED.then(this.#run);
  }

  #run = (): void => {
    if (this.#busy) return; // the handler's continuation resumes the loop
    if (this.#state !== "running") {
      this.#scheduled = false;
      return;
    }
    const actor = this.#actor;
    const mb = this.mailbox;
    let budget = this.#throughput;
    while (budget > 0 && this.#state === "running") {
      if (this.#redeliver.length > 0) {
        if (!this.#redeliverOne()) return;
        budget--;
        continue;
      }
      const size = mb.size;
      if (size === 0) break;
      if (this.#batched) {
        const batch = mb.take(this.#batchSize);
        const t0 = performance.now();
        let r: void | Promise<void>;
        try {
          r = actor.receiveBatch!(batch);
        } catch (e) {
          this.#failed(e, batch, 0);
          return;
        }
        if (isThenable(r)) {
          this.#await(r, batch, t0, 0);
          return;
        }
        this.#done(batch.length, t0);
        budget -= batch.length;
      } else {
        // Timed per run of messages, not per message: a clock read costs as much as a small handler.
        const t0 = performance.now();
        const limit = size < budget ? size : budget;
        let n = 0;
        while (n < limit) {
          const msg = mb.shift() as In;
          let r: void | Promise<void>;
          try {
            r = actor.receive!(msg);
          } catch (e) {
            this.#done(n, t0);
            this.#failed(e, [msg], 0);
            return;
          }
          if (isThenable(r)) {
            this.#done(n, t0);
            this.#await(r, [msg], performance.now(), 0);
            return;
          }
          n++;
          if (this.#state !== "running") break;
        }
        this.#done(n, t0);
        budget -= n;
      }
    }
    this.#idleOrYield();
  };

  #idleOrYield(): void {
    if (this.#state === "running" && (this.#redeliver.length > 0 || this.mailbox.size > 0)) {
      setImmediate(this.#run); // budget spent: let timers and I/O in, then continue
      return;
    }
    this.#scheduled = false;
    if (this.#state === "running" && this.#stopMode === "drain" && this.mailbox.drained) {
      this.#state = "stopping";
      this.#finishStop();
    }
  }

  /** Handles the head of the re-delivery queue, alone. Returns false if it went async or failed. */
  #redeliverOne(): boolean {
    const { msg, attempts } = this.#redeliver.shift()!;
    const t0 = performance.now();
    let r: void | Promise<void>;
    try {
      r = this.#batched ? this.#actor.receiveBatch!([msg]) : this.#actor.receive!(msg);
    } catch (e) {
      this.#failed(e, [msg], attempts);
      return false;
    }
    if (isThenable(r)) {
      this.#await(r, [msg], t0, attempts);
      return false;
    }
    this.#done(1, t0);
    return true;
  }

  #await(r: PromiseLike<void>, msgs: In[], t0: number, attempts: number): void {
    this.#busy = true;
    this.#inFlight = msgs;
    const token = this.#abandoned;
    r.then(
      () => {
        if (token !== this.#abandoned) return;
        this.#busy = false;
        this.#inFlight = undefined;
        this.#done(msgs.length, t0);
        this.#afterAsync();
      },
      (e: unknown) => {
        if (token !== this.#abandoned) return;
        this.#busy = false;
        this.#inFlight = undefined;
        this.#failed(e, msgs, attempts);
      },
    );
  }

  #afterAsync(): void {
    if (this.#pendingEscalation !== undefined) {
      const e = this.#pendingEscalation;
      this.#pendingEscalation = undefined;
      this.#failed(e, [], 0);
    } else if (this.#state === "running") this.#run();
    else {
      this.#scheduled = false;
      if (this.#stopMode === "now") this.#finishStop();
    }
  }

  #done(n: number, t0: number): void {
    if (n === 0) return;
    this.metrics.processed += n;
    this.metrics.processingMs.observe((performance.now() - t0) / n, n);
  }

  // ---- failure and supervision ----------------------------------------------------------------------------

  #failed(error: unknown, msgs: In[], previousAttempts: number): void {
    this.#scheduled = false;
    this.metrics.failed += msgs.length;
    if (this.#stopMode === "now") {
      for (const m of msgs) this.deadLetter(m, "stopped", error, previousAttempts + 1);
      this.#finishStop();
      return;
    }
    const attempts = previousAttempts + 1;
    let decision: SupervisorDecision;
    try {
      decision = this.#supervisor.decide(error, this.stats, this.#host.clock.now());
    } catch (deciderError) {
      // A broken decider must not take the process down: stop this actor, say why.
      decision = { directive: "stop", delayMs: 0, reason: `the supervisor threw: ${String(deciderError)}` };
    }
    this.log.warn("actor failed", {
      error,
      directive: decision.directive,
      delayMs: decision.delayMs,
      reason: decision.reason,
      messages: msgs.length,
      attempts,
    });
    const isolate = () => {
      // A failed batch is re-delivered one message at a time so only the culprit is retried or dead-lettered.
      this.#redeliver.unshift(...msgs.map((msg) => ({ msg, attempts })));
    };
    switch (decision.directive) {
      case "resume":
        if (msgs.length > 1) isolate();
        else if (msgs.length === 1) this.deadLetter(msgs[0], "failed", error, attempts);
        this.#schedule();
        return;
      case "restart":
        if (msgs.length > 1) isolate();
        else if (msgs.length === 1) {
          if (attempts >= this.#maxAttempts) this.deadLetter(msgs[0], "poison", error, attempts);
          else this.#redeliver.unshift({ msg: msgs[0], attempts });
        }
        this.#restart(error, decision.delayMs);
        return;
      case "stop":
      case "escalate":
        for (const m of msgs) this.deadLetter(m, "failed", error, attempts);
        this.#requestStop("now", error);
        if (decision.directive === "escalate") {
          this.#parent.escalate(this as unknown as ActorCell<never>, error);
        }
        return;
    }
  }

  async #restart(error: unknown, delayMs: number): Promise<void> {
    const generation = ++this.#generation;
    this.#state = "restarting";
    this.timers.cancelAll();
    await this.#stopChildren("now");
    if (this.#alive) {
      this.#alive = false;
      const old = this.#actor;
      await this.#runHook(() => old.preRestart ? old.preRestart(error) : old.postStop?.(), "preRestart");
    }
    if (delayMs > 0) await this.timers.sleep(delayMs);
    if (generation !== this.#generation || this.#stopMode === "now") return;
    try {
      this.#actor = this.#instantiate();
    } catch (e) {
      this.#failed(e, [], 0);
      return;
    }
    this.#startInstance(generation);
  }

  #instantiate(): Actor<In> {
    const actor = this.#props.create(this.#ctx);
    if (typeof actor?.receiveBatch === "function") this.#batched = true;
    else if (typeof actor?.receive === "function") this.#batched = false;
    else {
      throw new TypeError(
        `Cannot start actor ${this.path} as the created actor has neither receive nor receiveBatch`,
      );
    }
    return actor;
  }

  #startInstance(generation: number): void {
    const actor = this.#actor;
    const began = () => {
      if (generation !== this.#generation) return;
      this.#alive = true;
      if (this.#stopMode === "now") {
        this.#finishStop();
        return;
      }
      this.#state = "running";
      this.#schedule();
    };
    let r: void | Promise<void>;
    try {
      r = actor.preStart?.();
    } catch (e) {
      this.#failed(e, [], 0);
      return;
    }
    if (isThenable(r)) {
      this.#hook = Promise.resolve(r).then(began, (e) => {
        if (generation === this.#generation) this.#failed(e, [], 0);
      });
    } else began();
  }

  // ---- stopping -------------------------------------------------------------------------------------------

  #requestStop(mode: "drain" | "now", cause?: unknown): Promise<void> {
    if (cause !== undefined && this.#failure === undefined) this.#failure = cause;
    if (this.#finishing || this.#stopMode === "now") return this.stopped;
    if (mode === "drain") {
      if (this.#stopMode === "drain") return this.stopped;
      this.#stopMode = "drain";
      this.mailbox.close(new ActorStoppedError(this.path, "draining"));
      if (this.#state === "running" && !this.#scheduled) this.#schedule();
      return this.stopped;
    }
    this.#stopMode = "now";
    this.#state = "stopping";
    this.#generation++; // abandons a restart in progress
    this.timers.cancelAll();
    if (!this.#busy) queueMicrotask(() => this.#finishStop());
    return this.stopped;
  }

  async #finishStop(): Promise<void> {
    if (this.#finishing) return;
    this.#finishing = true;
    this.#state = "stopping";
    this.timers.cancelAll();
    const reason = this.#failure === undefined ? "stopped" : "stopped after failure";
    const closedBy = new ActorStoppedError(this.path, reason, { cause: this.#failure });
    for (const m of this.mailbox.closeNow(closedBy)) this.deadLetter(m, "stopped", this.#failure, 0);
    for (const { msg, attempts } of this.#redeliver.splice(0)) {
      this.deadLetter(msg, "stopped", this.#failure, attempts);
    }
    await this.#stopChildren(this.#stopMode === "drain" ? "drain" : "now");
    await this.#hook; // a preStart/preRestart in flight completes first
    if (this.#alive) {
      this.#alive = false;
      const actor = this.#actor;
      await this.#runHook(() => actor.postStop?.(), "postStop");
    }
    this.#state = this.#failure === undefined ? "stopped" : "failed";
    this.#resolveStopped();
    this.#parent.childStopped(this as unknown as ActorCell<never>);
  }

  async #stopChildren(mode: "drain" | "now"): Promise<void> {
    const children = [...this.children.values()];
    await Promise.all(children.map((c) => mode === "drain" ? c.drain() : c.stop()));
  }

  async #runHook(fn: () => void | Promise<void>, hook: string): Promise<void> {
    try {
      const p = Promise.resolve(fn());
      this.#hook = p;
      await p;
    } catch (e) {
      this.log.error(`actor ${hook} failed`, { error: e });
    }
  }

  /** Publishes a dead letter from this actor. */
  deadLetter(message: unknown, reason: DeadLetterReason, error: unknown, attempts: number): void {
    this.metrics.deadLettered++;
    this.#host.deadLetters.publish({
      actor: this.path,
      message,
      reason,
      error,
      attempts,
      at: this.#host.clock.now(),
    });
  }
}
