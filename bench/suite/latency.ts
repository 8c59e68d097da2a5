/**
 * Latency at fixed offered loads through the full pipeline: events are produced at a steady rate (their
 * `ingestTs` is the produce time), and for each the harness records
 * - produce → indexed: the hot tier's bulk acknowledgement (seen inside the engine process), and
 * - produce → searchable: when a search of the hot tier first returns it (polled every 100 ms, so this
 *   includes up to 100 ms of polling delay and the index refresh interval).
 *
 * @module
 */
import { EngineChild } from "./engine_child.ts";
import { EventFeeder, EventMaker } from "./event_feeder.ts";
import { dropScenario, newScenario } from "./scenario.ts";
import { latencySummary } from "./stats.ts";

/** Latency at one offered rate, ms. */
export interface LatencyAtRate {
  offeredRate: number;
  /** What the producer actually offered (events/s). */
  achievedRate: number;
  indexed: ReturnType<typeof latencySummary>;
  searchable: ReturnType<typeof latencySummary>;
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
  const engine = new EngineChild(scenario.env, "full");
  const poller = new SearchablePoller(config.hot.url, `${config.hot.indexPrefix}-events-*`);
  const results: LatencyAtRate[] = [];
  let sent = 0;
  try {
    await engine.ready();
    // Warm-up: the first events create the daily indices and templates; that is not steady-state latency.
    sent += await feeder.sendPaced(maker, sent, 500, 2);
    await engine.until((s) => s.hot >= sent, 60_000);
    for (const rate of rates) {
      engine.takeLatencies();
      poller.reset();
      const offered = await feeder.sendPaced(maker, sent, rate, seconds);
      sent += offered;
      const drained = await engine.until((s) => s.hot >= sent, 60_000);
      await new Promise((r) => setTimeout(r, 1500)); // the last documents become searchable
      results.push({
        offeredRate: rate,
        achievedRate: offered / seconds,
        indexed: latencySummary(engine.takeLatencies()),
        searchable: latencySummary(poller.samples),
        drained,
      });
    }
    return { results };
  } catch (err) {
    return { results, error: `${(err as Error).message}\n${engine.stderr.slice(-1500)}` };
  } finally {
    await poller.stop();
    await engine.kill9();
    await feeder.close();
    await dropScenario(scenario).catch(() => {});
  }
}
