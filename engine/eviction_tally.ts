/**
 * The one count of what bounded in-memory maps forgot. Every map that grows with its input (templates,
 * components, systems, hosts, client addresses, incident ids…) has a cap; when it drops an entry to stay under
 * it, it calls {@link countEvictions} with its own name, and `/metrics` serves the tally as
 * `vigil_evictions_total{map="<name>"}` (registered by `registerEngineMetrics`).
 *
 * Why one process-wide tally rather than a counter per actor: several of these maps live outside any actor
 * (the producer's event-id cache, the dashboard's rate-limit table), and an operator asks one question of all
 * of them — "is a cap being hit, and which one?". Counting is a map lookup and an add, cheap enough for the
 * rare path it sits on (an eviction, never a hit).
 *
 * An eviction is an entry the map would still hold without its cap. Entries removed because they were done
 * with (an incident resolved, a batch taken) are not evictions. Names are stable snake_case identifiers.
 *
 * @module
 */

const tally = new Map<string, number>();

/**
 * Counts `n` entries the bounded map `map` forgot to stay within its cap.
 *
 * @param map the map's stable name (the `map` label on `/metrics`)
 * @param n entries forgotten (default 1; 0 is ignored)
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { countEvictions, evictionCount } from "./eviction_tally.ts";
 * const before = evictionCount("example_cache");
 * countEvictions("example_cache", 3);
 * assert.equal(evictionCount("example_cache") - before, 3);
 * ```
 */
export function countEvictions(map: string, n = 1): void {
  if (n > 0) tally.set(map, (tally.get(map) ?? 0) + n);
}

/**
 * Evictions counted for `map` since the process started.
 *
 * @returns the count, 0 for a map that never evicted
 */
export function evictionCount(map: string): number {
  return tally.get(map) ?? 0;
}

/**
 * Every map's eviction count (maps that never evicted are absent).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { countEvictions, evictionCounts } from "./eviction_tally.ts";
 * countEvictions("example_table");
 * assert.ok((evictionCounts().get("example_table") ?? 0) >= 1);
 * ```
 */
export function evictionCounts(): ReadonlyMap<string, number> {
  return tally;
}
