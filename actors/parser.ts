/**
 * The parser actor: an engine pipeline stage that mines templates of the events read from Kafka. A thin adapter:
 * all parsing is `lib/parsing` (the same code as `deno task parse`).
 *
 * - In: `Sourced<LogEvent>`; out: `Sourced<MinedEvent>` (the Kafka coordinates pass through for the sinks' acks).
 * - Events that arrived unparsed (flag `parse_error`) are re-parsed from `raw` with `format` when one is given
 *   (the producer may have lacked the right format); a line that still does not match is mined as it is.
 * - The miner lives outside the actor instance, so a supervisor restart keeps the templates; with a `store`,
 *   templates are saved every `saveIntervalMs` when they changed and at stop, and loaded by
 *   {@link loadTemplateMiner} at start, so a process restart keeps them too.
 * - Metrics: counters `templates_created`, `templates_generalised`, `reparsed`, `store_errors`,
 *   `templates_evicted` (forgotten beyond the miner's `maxClusters`), `tokens_capped` (messages of more than
 *   `maxTokens` tokens, mined with their tail as one variable); gauge `templates`.
 * @module
 */
import type { LogEvent, MinedEvent } from "../lib/event/log_event.ts";
import type { ActorContext, Sender } from "../engine/mod.ts";
import { sendAll } from "../engine/mod.ts";
import type { StageNode } from "../engine/pipeline.ts";
import type { Sourced } from "./delivery_record.ts";
import type { LogFormat } from "../lib/parsing/log_format.ts";
import { lineToEvent } from "../lib/parsing/line_to_event.ts";
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
  /** Format to re-parse `parse_error` events with. Default: none (mined as they are). */
  format?: LogFormat;
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
  const { miner, store, format } = options;
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
            let event = batch[i].event;
            if (format !== undefined && event.parseError !== undefined) {
              const again = reparse(event, format);
              if (again !== undefined) {
                event = again;
                ctx.metrics.count("reparsed");
              }
            }
            const r = mineEvent(miner, event);
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

/** Re-parses an unparsed event's raw line, keeping its identity; `undefined` when it still does not match. */
function reparse(event: LogEvent, format: LogFormat): LogEvent | undefined {
  const ingestMs = Date.parse(event.ingestTs);
  const e = lineToEvent(
    {
      text: event.raw,
      lineNo: event.lineNo,
      flags: event.flags.filter((f) => f !== "parse_error" && f !== "ts_from_ingest"),
    },
    format,
    { source: event.source, host: event.host, system: format.name },
    Number.isFinite(ingestMs) ? ingestMs : Date.now(),
  );
  if (e.parseError !== undefined) return undefined;
  return { ...e, id: event.id };
}
