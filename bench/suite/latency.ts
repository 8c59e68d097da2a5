/**
 * Latency at fixed offered loads through the full pipeline: events are produced at a steady rate (their
 * `ingestTs` is the produce time), and for each the harness records
 * - produce → indexed: the hot tier's bulk acknowledgement (seen inside the engine process), and
 * - produce → searchable: when a search of the hot tier first returns it (polled every 100 ms, so this
 *   includes up to 100 ms of polling delay and the index refresh interval);
 * - produce → SSE: when the dashboard's live stream (`/api/live`, wired as `deno task start` wires it) delivers
 *   the chart tick that counts it. Ticks carry counts, not ids: the k-th event produced is taken as charted when
 *   the ticks received add up to k (first in, first counted — exact at a steady rate up to the interleaving
 *   of partitions).
 *
 * @module
 */
import { EngineChild } from "./engine_child.ts";
import { EventFeeder, EventMaker } from "./event_feeder.ts";
import { dropScenario, newScenario } from "./scenario.ts";
import { textPieces } from "../../lib/streams/delimited_text_stream.ts";
import { latencySummary } from "./stats.ts";

/** Latency at one offered rate, ms. */
export interface LatencyAtRate {
  offeredRate: number;
  /** What the producer actually offered (events/s). */
  achievedRate: number;
  indexed: ReturnType<typeof latencySummary>;
  searchable: ReturnType<typeof latencySummary>;
  sse: ReturnType<typeof latencySummary>;
  /** Whether every offered event reached the hot tier within the drain timeout. */
  drained: boolean;
}

/** Polls the hot tier for documents newer than the last seen `ingestTs`, recording when each first appears. */
class SearchablePoller {
  samples: number[] = [];
  #seen = new Set<string>();
  #from = 0;
  #stop = false;
  #done: Promise<void>;

  constructor(url: string, index: string) {
    this.#done = (async () => {
      while (!this.#stop) {
        try {
          const res = await fetch(`${url}/${index}/_search`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({
              size: 10000,
              _source: ["ingestTs"],
              query: { range: { ingestTs: { gte: new Date(this.#from).toISOString() } } },
              sort: [{ ingestTs: "asc" }],
            }),
          });
          const now = Date.now();
          const json = await res.json();
          for (const h of (json.hits?.hits ?? []) as { _id: string; _source: { ingestTs: string } }[]) {
            if (this.#seen.has(h._id)) continue;
            this.#seen.add(h._id);
            const t = Date.parse(h._source.ingestTs);
            this.samples.push(now - t);
            this.#from = Math.max(this.#from, t);
          }
        } catch { /* index not there yet */ }
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
  }

  /** Forgets samples so far (after warm-up). */
  reset(): void {
    this.samples = [];
  }

  async stop(): Promise<void> {
    this.#stop = true;
    await this.#done;
  }
}

/** Reads the live stream's chart ticks, keeping when each arrived and how many events they had counted. */
class LiveTickReader {
  /** Receipt time (ms) and the running total of events counted, per tick frame. */
  arrivals: { at: number; counted: number }[] = [];
  #counted = 0;
  #abort = new AbortController();
  #done: Promise<void>;
  #open: Promise<void>;

  constructor(url: string) {
    const opened = Promise.withResolvers<void>();
    this.#open = opened.promise;
    this.#done = (async () => {
      const res = await fetch(url, { signal: this.#abort.signal });
      if (!res.ok || !res.body) throw new Error(`live stream answered ${res.status}`);
      opened.resolve();
      for await (const frame of textPieces(res.body, "\n\n")) {
        const data = frame.split("\n").find((l) => l.startsWith("data: "));
        if (!frame.startsWith("event: tick") || data === undefined) continue;
        this.#counted += (JSON.parse(data.slice(6)) as { total: number }).total;
        this.arrivals.push({ at: Date.now(), counted: this.#counted });
      }
    })().catch((err) => {
      opened.reject(err);
      if (!this.#abort.signal.aborted) throw err;
    });
  }

  /** Resolves once the stream is open. */
  opened(): Promise<void> {
    return this.#open;
  }

  /** Latency of the events with produce times `ingest[from..to)` (indices in produce order), ms. */
  latencies(ingest: readonly number[], from: number, to: number): number[] {
    const out: number[] = [];
    let a = 0;
    for (let k = from; k < to; k++) {
      while (a < this.arrivals.length && this.arrivals[a].counted < k + 1) a++;
      if (a === this.arrivals.length) break;
      out.push(this.arrivals[a].at - ingest[k]);
    }
    return out;
  }

  async stop(): Promise<void> {
    this.#abort.abort();
    await this.#done.catch(() => {});
  }
}

/** Measures latency at each of `rates` for `seconds` each, in one scenario with one engine process. */
export async function measureLatency(
  runId: string,
  rates: number[],
  seconds: number,
): Promise<{ results: LatencyAtRate[]; error?: string }> {
  const scenario = await newScenario(runId, "latency");
  const { config } = scenario;
  const feeder = new EventFeeder(config, config.kafka.topic);
  const maker = new EventMaker("lat-");
  const engine = new EngineChild({ ...scenario.env, BENCH_WEB: "1" }, "full");
  const poller = new SearchablePoller(config.hot.url, `${config.hot.indexPrefix}-events-*`);
  const results: LatencyAtRate[] = [];
  const ingest: number[] = [];
  let live: LiveTickReader | undefined;
  let sent = 0;
  try {
    await engine.ready();
    await engine.until((s) => s.webPort !== undefined, 10_000);
    live = new LiveTickReader(`http://127.0.0.1:${engine.status!.webPort}/api/live?types=tick`);
    await live.opened();
    // Warm-up: the first events create the daily indices and templates; that is not steady-state latency.
    sent += await feeder.sendPaced(maker, sent, 500, 2, undefined, ingest);
    await engine.until((s) => s.hot >= sent, 60_000);
    for (const rate of rates) {
      engine.takeLatencies();
      poller.reset();
      const from = ingest.length;
      const offered = await feeder.sendPaced(maker, sent, rate, seconds, undefined, ingest);
      sent += offered;
      const drained = await engine.until((s) => s.hot >= sent, 60_000);
      await new Promise((r) => setTimeout(r, 1500)); // the last documents become searchable
      results.push({
        offeredRate: rate,
        achievedRate: offered / seconds,
        indexed: latencySummary(engine.takeLatencies()),
        searchable: latencySummary(poller.samples),
        sse: latencySummary(live.latencies(ingest, from, ingest.length)),
        drained,
      });
    }
    return { results };
  } catch (err) {
    return { results, error: `${(err as Error).message}\n${engine.stderr.slice(-1500)}` };
  } finally {
    await live?.stop();
    await poller.stop();
    await engine.kill9();
    await feeder.close();
    await dropScenario(scenario).catch(() => {});
  }
}
