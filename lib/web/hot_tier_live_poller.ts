/**
 * Live frames for a web server running without an engine in-process (`deno task web`): polls the hot tier
 * every interval for events ingested since the last poll and feeds them to a {@link LiveAggregator}.
 * Latency is the hot tier's refresh interval plus the poll period; the in-process path has neither.
 *
 * @module
 */
import { toEventHit } from "./event_hit.ts";
import type { LiveAggregator } from "./live_aggregator.ts";
import type { SearchTransport } from "./opensearch_query_service.ts";

/** Options of {@link HotTierLivePoller}. */
export interface HotTierLivePollerOptions {
  search: SearchTransport;
  /** Pattern of the event indices, e.g. `vigil-events-*`. */
  index: string;
  aggregator: LiveAggregator;
  /** Poll period in milliseconds. Default 1000. */
  intervalMs?: number;
  /** Most events read per poll. Default 5000. */
  maxPerPoll?: number;
  /** Clock. Default `() => new Date()`. */
  now?: () => Date;
}

/** Polls the hot tier for newly ingested events. */
export class HotTierLivePoller {
  readonly #o: Required<HotTierLivePollerOptions>;
  /** Position after the last event fed: (ingestTs in epoch ms, event id) — ids break timestamp ties. */
  #cursor: [number, string];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #running = false;
  /** Errors seen since start (the hot tier being down is not fatal: polling continues). */
  errors = 0;

  /** @throws {RangeError} for non-positive interval or batch size */
  constructor(options: HotTierLivePollerOptions) {
    const o = { intervalMs: 1000, maxPerPoll: 5000, now: () => new Date(), ...options };
    if (!(o.intervalMs > 0)) {
      throw new RangeError(
        `Cannot create a live poller as intervalMs must be positive: current value is ${o.intervalMs}`,
      );
    }
    if (!Number.isInteger(o.maxPerPoll) || o.maxPerPoll < 1) {
      throw new RangeError(
        `Cannot create a live poller as maxPerPoll must be a positive integer: current value is ${o.maxPerPoll}`,
      );
    }
    this.#o = o;
    this.#cursor = [o.now().getTime(), ""];
  }

  /** Reads events ingested after the cursor; returns how many were fed. */
  async poll(): Promise<number> {
    // search_after on (ingestTs, id): events sharing a millisecond across a page boundary are neither
    // skipped nor repeated.
    const body = await this.#o.search(this.#o.index, {
      query: { range: { ingestTs: { gte: new Date(this.#cursor[0]).toISOString() } } },
      sort: [{ ingestTs: { order: "asc" } }, { id: { order: "asc" } }],
      search_after: this.#cursor,
      size: this.#o.maxPerPoll,
    });
    // deno-lint-ignore no-explicit-any
    const hits = ((body.hits as any)?.hits ?? []) as { sort?: unknown[] }[];
    for (const raw of hits) {
      const hit = toEventHit(raw as Parameters<typeof toEventHit>[0]);
      this.#o.aggregator.record(hit, hit.docId);
      const [ts, id] = raw.sort ?? [];
      if (typeof ts === "number" && typeof id === "string") this.#cursor = [ts, id];
    }
    return hits.length;
  }

  /** Starts polling (and the aggregator's per-second flush). */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#o.aggregator.start();
    const loop = async () => {
      try {
        await this.poll();
      } catch {
        this.errors++;
      }
      if (this.#running) this.#timer = setTimeout(loop, this.#o.intervalMs);
    };
    this.#timer = setTimeout(loop, 0);
  }

  stop(): void {
    this.#running = false;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#o.aggregator.stop();
  }
}
