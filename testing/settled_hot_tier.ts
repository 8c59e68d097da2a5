/**
 * What the hot tier holds once an engine process has consumed everything a test sent: the one way ingest tests and
 * the ingest chaos scenario count end to end. "Settled" means: at least the expected documents are searchable
 * and the engine has nothing in flight — so a late duplicate would already be there, and the count the caller
 * asserts is final, not a snapshot of a tier still filling.
 *
 * @module
 */
import type { VigilConfig } from "../lib/config/vigil_config.ts";
import type { ClassifiedEvent } from "../lib/event/log_event.ts";
import { type EngineProcess, hotCount, hotEvents } from "./engine_process.ts";
import { until } from "./until.ts";

/** Documents one search returns: above this only the total is read. */
const SEARCH_LIMIT = 10_000;

/** The hot tier of a test namespace once settled. */
export interface SettledHotTier {
  /** Documents in the namespace's events indices. */
  documents: number;
  /** Every document, when there are at most 10,000 (one search); otherwise undefined. */
  events?: ClassifiedEvent[];
  /** Distinct event contents among `events` (undefined with them). */
  distinctContents?: number;
}

/**
 * Waits until the config's hot tier holds at least `expected` documents and `engine` is idle, then counts them.
 *
 * @param config the test namespace and topic the engine consumes
 * @param engine the engine process writing them
 * @param expected documents the caller expects (the caller asserts the exact figure on the result)
 * @param deadlineMs how long to wait for each of the two conditions. Default 180 000.
 * @returns the documents, and the events themselves when at most 10,000
 * @throws {Error} naming the count reached and the engine's stderr when the deadline passes
 *
 * @example
 * ```ts ignore
 * const hot = await settledHotTier(config, engine, 5000);
 * assert.equal(hot.documents, 5000);
 * ```
 */
export async function settledHotTier(
  config: VigilConfig,
  engine: EngineProcess,
  expected: number,
  deadlineMs = 180_000,
): Promise<SettledHotTier> {
  let seen = 0;
  await until(async () => (seen = (await hotCount(config)).total) >= expected, {
    what: () =>
      `${expected} documents in the hot tier (${seen} there; engine stderr:\n${engine.stderr.slice(-2000)})`,
    deadlineMs,
    pollMs: 250,
  });
  await until(() => engine.status?.inFlight === 0 && engine.status.hot >= expected, {
    what: () => `the engine idle with ${expected} stored (status ${JSON.stringify(engine.status)})`,
    deadlineMs,
    pollMs: 250,
  });
  const documents = (await hotCount(config)).total;
  if (documents > SEARCH_LIMIT) return { documents };
  const events = await hotEvents(config);
  return { documents, events, distinctContents: new Set(events.map((e) => e.content)).size };
}
