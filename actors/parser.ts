/**
 * The parser actor: an engine pipeline stage that mines templates of the events read from Kafka. A thin adapter:
 * all parsing is `lib/parsing` (the same code as `deno task parse`).
 *
 * - In: `Sourced<LogEvent>`; out: `Sourced<MinedEvent>` (the Kafka coordinates pass through for the sinks' acks).
 * - Events that arrived unparsed (flag `parse_error`: the producer's format did not match) are mined as they
 *   are, from their raw line; the flag stays, so they can be found and re-sent with the right format.
 * - The miner lives outside the actor instance, so a supervisor restart keeps the templates; with a `store`,
 *   templates are saved every `saveIntervalMs` when they changed and at stop, and loaded by
 *   {@link loadTemplateMiner} at start, so a process restart keeps them too.
 * - Metrics: counters `templates_created`, `templates_generalised`, `store_errors`,
 *   `templates_evicted` (forgotten beyond the miner's `maxClusters`), `tokens_capped` (messages of more than
 *   `maxTokens` tokens, mined with their tail as one variable); gauge `templates`.
 * @module
 */
import type { LogEvent, MinedEvent } from "../lib/event/log_event.ts";
import type { ActorContext, Sender } from "../engine/mod.ts";
import { sendAll } from "../engine/mod.ts";
import type { StageNode } from "../engine/pipeline.ts";
import type { Sourced } from "./delivery_record.ts";
import { mineEvent } from "../lib/parsing/mine_event.ts";
import type { TemplateMiner } from "../lib/parsing/template_miner.ts";
import type { TemplateStore } from "../lib/parsing/template_store.ts";

export { fileTemplateStore, loadTemplateMiner, type TemplateStore } from "../lib/parsing/template_store.ts";

/** Options of {@link parserStage}. */
export interface ParserStageOptions {
  /** The miner (shared across restarts); load it with {@link loadTemplateMiner}. */
  miner: TemplateMiner;
  /** Where templates are saved. Default: not saved. */
  store?: TemplateStore;
  /** Least time between two saves, in ms. Default 10000. */
  saveIntervalMs?: number;
  /** Most events per batch. Default 512. */
  batchSize?: number;
}

/**
 * The parser as a pipeline stage node.
 * @throws {RangeError} when `saveIntervalMs` is negative or not a number.
 */
export function parserStage(options: ParserStageOptions): StageNode<Sourced<LogEvent>, Sourced<MinedEvent>> {
  const saveIntervalMs = options.saveIntervalMs ?? 10_000;
  if (!(saveIntervalMs >= 0)) {
    throw new RangeError(
      `Cannot create parser stage as saveIntervalMs must be ≥ 0: current value is ${saveIntervalMs}`,
    );
  }
  const { miner, store } = options;
  let dirty = false;
  let lastSave = Date.now();
  let evicted = miner.evicted;
  const save = async (ctx: ActorContext<Sourced<LogEvent>>) => {
    if (store === undefined || !dirty) return;
    dirty = false;
    lastSave = Date.now();
    try {
      await store.save(miner.toJSON());
    } catch (e) {
      dirty = true;
      ctx.metrics.count("store_errors");
      ctx.log.warn("template store save failed", { error: String(e) });
    }
  };
  return {
    kind: "stage",
    batchSize: options.batchSize ?? 512,
    create(out: Sender<Sourced<MinedEvent>>, ctx: ActorContext<Sourced<LogEvent>>) {
      return {
        receiveBatch(batch: Sourced<LogEvent>[]) {
          const mined: Sourced<MinedEvent>[] = new Array(batch.length);
          for (let i = 0; i < batch.length; i++) {
            const r = mineEvent(miner, batch[i].event);
            if (r.change !== "matched") {
              dirty = true;
              ctx.metrics.count(r.change === "created" ? "templates_created" : "templates_generalised");
            }
            if (r.tokensCapped) ctx.metrics.count("tokens_capped");
            mined[i] = { event: r.event, kafka: batch[i].kafka };
          }
          if (miner.evicted !== evicted) {
            ctx.metrics.count("templates_evicted", miner.evicted - evicted);
            evicted = miner.evicted;
          }
          ctx.metrics.gauge("templates", miner.registry.size);
          const sent = sendAll(out, mined);
          if (dirty && store !== undefined && Date.now() - lastSave >= saveIntervalMs) {
            return Promise.all([sent, save(ctx)]).then(() => undefined);
          }
          return sent;
        },
        postStop: () => save(ctx),
      };
    },
  };
}
