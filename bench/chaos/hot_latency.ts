/**
 * How long given events took to become searchable in the hot tier: the chaos scenarios' on-time check. Each
 * event's latency is the moment a poll first found its document minus its `ingestTs` (stamped by the test
 * producer when it made the event, on this machine's clock), so it spans Kafka, the engine and the bulk
 * request, and errs high by at most one poll interval plus one refresh-and-search round trip — the same for
 * every sample, so a baseline measured this way in the same run is comparable.
 *
 * @module
 */
import type { VigilConfig } from "../../lib/config/vigil_config.ts";

/** One event found: when it was made (`ingestTs`) and how long after that it was first seen. */
export interface HotLatency {
  id: string;
  ingestMs: number;
  latencyMs: number;
}

/** Events found, in the order found, and the ids not found before the timeout. */
export interface HotLatencies {
  found: HotLatency[];
  missing: string[];
}

/**
 * Polls `<prefix>-events-*` (refresh, then a terms query on `id`) until every id is a document or `timeoutMs`
 * has passed.
 *
 * @param config the scenario's configuration (hot tier URL and index prefix)
 * @param ids event ids, usually of events not produced yet
 * @param timeoutMs how long to poll
 * @param pollMs pause between polls
 */
export async function hotLatencies(
  config: VigilConfig,
  ids: readonly string[],
  timeoutMs: number,
  pollMs = 100,
): Promise<HotLatencies> {
  const url = config.hot.url;
  const index = `${config.hot.indexPrefix}-events-*`;
  const pending = new Set(ids);
  const found: HotLatency[] = [];
  const end = Date.now() + timeoutMs;
  while (pending.size > 0 && Date.now() < end) {
    await (await fetch(`${url}/${index}/_refresh`, { method: "POST" })).body?.cancel();
    const res = await fetch(`${url}/${index}/_search`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        size: pending.size,
        _source: ["id", "ingestTs"],
        query: { terms: { id: [...pending] } },
      }),
    });
    const seenAt = Date.now();
    const page = await res.json();
    if (res.ok) {
      for (const h of page.hits?.hits ?? [] as { _source: { id: string; ingestTs: string } }[]) {
        if (!pending.delete(h._source.id)) continue;
        const ingestMs = Date.parse(h._source.ingestTs);
        found.push({ id: h._source.id, ingestMs, latencyMs: seenAt - ingestMs });
      }
    } else if (res.status !== 404) {
      throw new Error(`hot latency poll failed (${res.status}): ${JSON.stringify(page).slice(0, 300)}`);
    }
    if (pending.size > 0) await new Promise((r) => setTimeout(r, pollMs));
  }
  return { found, missing: [...pending] };
}
