/**
 * Declarative wiring of a data path: one or more sources → stages → fan-out to sinks, each edge with its own
 * mailbox settings, started in one call and stopped gracefully in topological order.
 *
 * Graceful stop: abort the sources and wait for them to return; then drain each actor in topological order
 * (a stage finishes everything queued, its `postStop` flushes, then the next one drains); then call each
 * source's `complete()` (final acknowledgements / offset commits). Past the deadline everything still running is
 * stopped hard, its queued messages go to dead letters, and the report lists what was left where.
 *
 * @module
 */
import type { Actor } from "./actor.ts";
import type { ActorContext } from "./actor_context.ts";
import type { ActorRef, Sender } from "./actor_ref.ts";
import type { ActorSystem, Leftover, ShutdownReport } from "./actor_system.ts";
import { withDeadline } from "./actor_system.ts";
import type { MailboxOptions } from "./bounded_mailbox.ts";
import { FanOut } from "./fan_out.ts";
import type { SupervisorStrategy } from "./supervisor_strategy.ts";

/** A source of messages (e.g. a Kafka consumer): pushes into `out` until `signal` aborts. */
export interface Source<Out> {
  /**
   * Produces until `signal` aborts (or the input ends), awaiting `out.send` for backpressure. Resolves once it
   * has stopped producing.
   */
  run(out: Sender<Out>, signal: AbortSignal): Promise<void>;
  /** Called after everything downstream drained and flushed: commit final offsets / acknowledgements. */
  complete?(): void | Promise<void>;
}

/** A source node. */
export interface SourceNode<Out> {
  kind: "source";
  create(): Source<Out>;
}

/** Actor settings shared by stage and sink nodes (the mailbox is set on the incoming edge). */
export interface ActorNodeOptions {
  /** Most messages per `receiveBatch`. Default 256. */
  batchSize?: number;
  /** Supervisor strategy. Default `oneForOne()`. */
  supervisor?: SupervisorStrategy;
  /** Poison limit. Default 3. */
  maxAttempts?: number;
  /**
   * This node's own mailbox, winning over the incoming edge's: lets one target of a fan-out differ (e.g. a
   * monitoring tap that drops while the other targets block). Default: the edge's.
   */
  mailbox?: MailboxOptions;
}

/** A stage node: an actor with an outlet (one target or a fan-out). */
export interface StageNode<In, Out> extends ActorNodeOptions {
  kind: "stage";
  create(out: Sender<Out>, ctx: ActorContext<In>): Actor<In>;
}

/** A sink node: an actor without an outlet. */
export interface SinkNode<In> extends ActorNodeOptions {
  kind: "sink";
  create(ctx: ActorContext<In>): Actor<In>;
}

// deno-lint-ignore no-explicit-any
type AnyNode = SourceNode<any> | StageNode<any, any> | SinkNode<any>;

/** An edge: `from` feeds `to` (several targets = fan-out); `mailbox` configures the targets' mailboxes. */
export interface EdgeSpec {
  from: string;
  to: string | string[];
  mailbox?: MailboxOptions;
}

/** The whole graph. */
export interface PipelineSpec {
  /** Nodes by name (names become actor names). */
  nodes: Record<string, AnyNode>;
  edges: EdgeSpec[];
  /** Mailbox settings for edges that give none (e.g. `config.engine.mailbox`). Default: the mailbox defaults. */
  defaultMailbox?: MailboxOptions;
}

/** Validates a spec and returns node names in topological order (sources first). */
export function topologicalOrder(spec: PipelineSpec): string[] {
  const names = Object.keys(spec.nodes);
  const fail = (why: string): never => {
    throw new TypeError(`Cannot build pipeline as ${why}`);
  };
  if (names.length === 0) fail("it has no nodes");
  const outs = new Map<string, string[]>(names.map((n) => [n, []]));
  const indegree = new Map<string, number>(names.map((n) => [n, 0]));
  for (const e of spec.edges) {
    const tos = Array.isArray(e.to) ? e.to : [e.to];
    if (!outs.has(e.from)) fail(`edge from unknown node: current value is ${e.from}`);
    if (spec.nodes[e.from].kind === "sink") fail(`sink ${e.from} cannot have outgoing edges`);
    if (outs.get(e.from)!.length > 0) fail(`node ${e.from} has more than one outgoing edge (use to: [...])`);
    if (tos.length === 0) fail(`edge from ${e.from} has no target`);
    for (const t of tos) {
      if (!outs.has(t)) fail(`edge to unknown node: current value is ${t}`);
      if (spec.nodes[t].kind === "source") fail(`source ${t} cannot have incoming edges`);
      if (outs.get(e.from)!.includes(t)) fail(`edge ${e.from} → ${t} is repeated`);
      outs.get(e.from)!.push(t);
      indegree.set(t, indegree.get(t)! + 1);
    }
  }
  for (const n of names) {
    const kind = spec.nodes[n].kind;
    if (kind !== "sink" && outs.get(n)!.length === 0) fail(`${kind} ${n} has no outgoing edge`);
    if (kind !== "source" && indegree.get(n) === 0) fail(`${kind} ${n} has no incoming edge`);
  }
  const order: string[] = [];
  const ready = names.filter((n) => indegree.get(n) === 0);
  while (ready.length > 0) {
    const n = ready.shift()!;
    order.push(n);
    for (const t of outs.get(n)!) {
      indegree.set(t, indegree.get(t)! - 1);
      if (indegree.get(t) === 0) ready.push(t);
    }
  }
  if (order.length !== names.length) fail("the graph has a cycle");
  return order;
}

/**
 * A running pipeline.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ActorSystem, Pipeline, silentLogger } from "./mod.ts";
 * const system = new ActorSystem({ logger: silentLogger });
 * const got: number[] = [];
 * const pipeline = Pipeline.start(system, {
 *   nodes: {
 *     numbers: { kind: "source", create: () => ({ async run(out) { for (let i = 0; i < 5; i++) await out.send(i); } }) },
 *     double: { kind: "stage", create: (out) => ({ receive: (n: number) => out.send(n * 2) }) },
 *     collect: { kind: "sink", create: () => ({ receive: (n: number) => void got.push(n) }) },
 *   },
 *   edges: [{ from: "numbers", to: "double" }, { from: "double", to: "collect", mailbox: { capacity: 2 } }],
 * });
 * await pipeline.sourcesDone;
 * const report = await pipeline.stop({ deadlineMs: 1_000 });
 * assert.deepEqual([got, report.graceful], [[0, 2, 4, 6, 8], true]);
 * ```
 */
export class Pipeline {
  /** Node names, sources first. */
  readonly order: readonly string[];
  /** The actor of each stage and sink. */
  readonly refs: ReadonlyMap<string, ActorRef<unknown>>;
  /** Resolves when every source's `run` has returned (input ended, aborted, or failed: see logs). */
  readonly sourcesDone: Promise<void>;
  /**
   * Resolves with the path of the first actor stopped by its supervisor (restart limit, `stop`/`escalate`
   * directive) while the pipeline runs — the data path is broken; a process would log and `stop()`. Never
   * resolves otherwise.
   */
  readonly whenFailed: Promise<string>;
  /**
   * Resolves with the first source whose `run` threw while the pipeline runs (not once it is stopping): no more
   * input will come — a process would say why and stop rather than report "consuming" for ever. Never resolves
   * otherwise.
   */
  readonly whenSourceFailed: Promise<{ source: string; error: unknown }>;
  #system: ActorSystem;
  #sources: Map<string, Source<unknown>>;
  #abort = new AbortController();
  #stopping: Promise<ShutdownReport> | undefined;

  private constructor(system: ActorSystem, spec: PipelineSpec) {
    this.#system = system;
    this.order = topologicalOrder(spec);
    const incoming = new Map<string, MailboxOptions | undefined>();
    const outlet = new Map<string, string[]>();
    for (const e of spec.edges) {
      const tos = Array.isArray(e.to) ? e.to : [e.to];
      outlet.set(e.from, tos);
      for (const t of tos) {
        const prev = incoming.get(t);
        if (
          prev !== undefined && e.mailbox !== undefined && JSON.stringify(prev) !== JSON.stringify(e.mailbox)
        ) {
          throw new TypeError(`Cannot build pipeline as the edges into ${t} disagree on mailbox settings`);
        }
        incoming.set(t, e.mailbox ?? prev);
      }
    }
    for (const [t, node] of Object.entries(spec.nodes)) {
      if (node.kind !== "source" && node.mailbox !== undefined) incoming.set(t, node.mailbox);
    }
    if (spec.defaultMailbox !== undefined) {
      for (const [t, m] of incoming) if (m === undefined) incoming.set(t, spec.defaultMailbox);
    }
    const refs = new Map<string, ActorRef<unknown>>();
    const sender = (name: string): Sender<unknown> => {
      const targets = outlet.get(name)!.map((t) => refs.get(t)!);
      return targets.length === 1 ? targets[0] : new FanOut(targets);
    };
    // Spawn downstream first so every outlet exists when its upstream is created.
    for (const name of [...this.order].reverse()) {
      const node = spec.nodes[name];
      if (node.kind === "source") continue;
      const common = {
        name,
        mailbox: incoming.get(name),
        batchSize: node.batchSize,
        supervisor: node.supervisor,
        maxAttempts: node.maxAttempts,
      };
      if (node.kind === "stage") {
        const out = sender(name);
        refs.set(name, system.spawn({ ...common, create: (ctx) => node.create(out, ctx) }));
      } else {
        refs.set(name, system.spawn({ ...common, create: (ctx) => node.create(ctx) }));
      }
    }
    this.refs = refs;
    this.whenFailed = new Promise((resolve) => {
      for (const ref of refs.values()) {
        ref.stopped.then(() => {
          if (ref.state === "failed" && this.#stopping === undefined) resolve(ref.path);
        });
      }
    });
    this.#sources = new Map();
    const sourceFailed = Promise.withResolvers<{ source: string; error: unknown }>();
    this.whenSourceFailed = sourceFailed.promise;
    const runs: Promise<void>[] = [];
    for (const name of this.order) {
      const node = spec.nodes[name];
      if (node.kind !== "source") continue;
      let source: Source<unknown>;
      try {
        source = node.create();
      } catch (error) {
        // Do not leave the already spawned actors running behind a pipeline that never started.
        for (const ref of refs.values()) void system.stop(ref as ActorRef<never>);
        throw error;
      }
      this.#sources.set(name, source);
      runs.push(
        Promise.resolve().then(() => source.run(sender(name), this.#abort.signal)).catch((error) => {
          system.logger.error("pipeline source failed", { source: name, error });
          if (this.#stopping === undefined && !this.#abort.signal.aborted) {
            sourceFailed.resolve({ source: name, error });
          }
        }),
      );
    }
    this.sourcesDone = Promise.all(runs).then(() => undefined);
  }

  /**
   * Validates the spec, spawns its actors on `system` and starts its sources.
   *
   * @throws {TypeError} on a malformed graph (unknown node, cycle, dangling stage, conflicting mailboxes)
   */
  static start(system: ActorSystem, spec: PipelineSpec): Pipeline {
    return new Pipeline(system, spec);
  }

  /** Messages still held by each actor (queued + parked + awaiting re-delivery). */
  backlog(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [name, ref] of this.refs) out[name] = this.#system.backlog(ref as ActorRef<never>);
    return out;
  }

  /**
   * Stops gracefully within `deadlineMs` (default 30 000): sources first, then each actor drained in
   * topological order, then the sources' final acknowledgements. Idempotent.
   */
  stop(options: { deadlineMs?: number } = {}): Promise<ShutdownReport> {
    return this.#stopping ??= this.#stop(options.deadlineMs ?? 30_000);
  }

  async #stop(deadlineMs: number): Promise<ShutdownReport> {
    const clock = this.#system.clock;
    const start = clock.now();
    const remaining = () => Math.max(0, deadlineMs - (clock.now() - start));
    const leftovers: Leftover[] = [];
    this.#abort.abort();
    if ((await withDeadline(this.sourcesDone, remaining(), clock)) === "timeout") {
      for (const name of this.#sources.keys()) {
        leftovers.push({ actor: name, messages: 0, state: "producing" });
      }
    }
    for (const name of this.order) {
      const ref = this.refs.get(name);
      if (ref === undefined) continue;
      const left = await this.#system.drainWithin(ref as ActorRef<never>, remaining());
      if (left !== undefined) leftovers.push(left);
    }
    if (leftovers.length === 0) {
      for (const [name, source] of this.#sources) {
        try {
          if ((await withDeadline(Promise.resolve(source.complete?.()), remaining(), clock)) === "timeout") {
            leftovers.push({ actor: name, messages: 0, state: "completing" });
          }
        } catch (error) {
          this.#system.logger.error("pipeline source complete() failed", { source: name, error });
          leftovers.push({ actor: name, messages: 0, state: "complete failed" });
        }
      }
    }
    return { graceful: leftovers.length === 0, elapsedMs: clock.now() - start, leftovers };
  }
}
