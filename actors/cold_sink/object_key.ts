/**
 * Deterministic object keys of the cold tier (pure).
 *
 * `<prefix>events/dt=YYYY-MM-DD/hour=HH/classification=C/part-<topic>-<partition>-<first>-<last>.parquet`
 * where `first`–`last` are the bounds of the fixed offset window `[k·W, (k+1)·W − 1]` holding the event's
 * offset. The time is the event's routing time — its `ts` clamped into a window around its `ingestTs`, the same
 * function as the hot tier's daily index (`../routing_time.ts`) — so a hostile `ts` cannot spread rows over
 * one partition per hour it names. The key is a pure function of the event's times, classification, partition
 * and offset, so a replay after a crash writes to the same objects as the first run.
 *
 * @module
 */
import { CLASSIFICATIONS, type ClassifiedEvent, type KafkaCoordinates } from "../../lib/event/log_event.ts";
import { DEFAULT_EVENT_TIME_WINDOW, type EventTimeWindow, routingIso } from "../routing_time.ts";

/** The offset window `[first, last]` of width `window` that holds `offset`. */
export function offsetWindowOf(offset: string | bigint, window: number): { first: bigint; last: bigint } {
  const o = BigInt(offset);
  const w = BigInt(window);
  const first = (o / w) * w;
  return { first, last: first + w - 1n };
}

/** Keeps topic names (letters, digits, `.`, `_`, `-` in Kafka) safe in a key whatever they contain. */
function safe(part: string): string {
  return part.replace(/[^A-Za-z0-9._-]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}

/**
 * The object key for an event.
 *
 * @param prefix key prefix (empty or ending in `/`)
 * @param event the event (its time and classification place it)
 * @param kafka its Kafka coordinates
 * @param window the offset window width
 * @param eventTimes the event-time window (`delivery.eventTimeMax*`)
 */
export function objectKey(
  prefix: string,
  event: Pick<ClassifiedEvent, "ts" | "ingestTs" | "classification">,
  kafka: KafkaCoordinates,
  window: number,
  eventTimes: EventTimeWindow = DEFAULT_EVENT_TIME_WINDOW,
): string {
  const iso = routingIso(event, eventTimes);
  const dt = iso.slice(0, 10);
  const hour = iso.slice(11, 13);
  const { first, last } = offsetWindowOf(kafka.offset, window);
  return `${prefix}events/dt=${dt}/hour=${hour}/classification=${safe(event.classification)}/` +
    `part-${safe(kafka.topic)}-${kafka.partition}-${first}-${last}.parquet`;
}

/**
 * The keys of the objects that could hold the same offsets as `key` under another classification: same
 * dt/hour, topic, partition and offset window, the other classifications. A replay that classifies an event
 * differently writes it under one of these, so the writer removes its offsets from them (latest write wins).
 *
 * @param key a key made by {@link objectKey}
 * @returns the other classifications' keys, in {@link CLASSIFICATIONS} order
 * @throws {TypeError} when `key` has no `/classification=<C>/` segment
 */
export function siblingKeys(key: string): string[] {
  return windowKeys(key).filter((k) => k !== key);
}

/**
 * Every key of `key`'s offset window — the same dt/hour, topic, partition and window under each
 * classification, `key` among them: the objects a write of `key` reads, rewrites or cleans.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const keys = windowKeys("events/dt=2026-12-04/hour=10/classification=ANOMALY/part-t-0-0-99.parquet");
 * assert.deepEqual(keys.map((k) => k.split("/")[3]), [
 *   "classification=NORMAL",
 *   "classification=ANOMALY",
 *   "classification=CRITICAL_ANOMALY",
 * ]);
 * ```
 *
 * @param key a key made by {@link objectKey}
 * @returns one key per classification, in {@link CLASSIFICATIONS} order (so the first names the window)
 * @throws {TypeError} when `key` has no `/classification=<C>/` segment
 */
export function windowKeys(key: string): string[] {
  const match = /\/classification=([^/]*)\//.exec(key);
  if (match === null) {
    throw new TypeError(
      `Cannot compute sibling keys as key has no classification segment: current value is ${key}`,
    );
  }
  const before = key.slice(0, match.index);
  const after = key.slice(match.index + match[0].length);
  return CLASSIFICATIONS.map((c) => `${before}/classification=${safe(c)}/${after}`);
}

/** The key prefix of all objects of one UTC hour (for listing a time range). */
export function hourPrefix(prefix: string, date: Date): string {
  const iso = date.toISOString();
  return `${prefix}events/dt=${iso.slice(0, 10)}/hour=${iso.slice(11, 13)}/`;
}

/** The `dt=…/hour=…` key prefixes of every hour that overlaps `[since, until)`, oldest first. */
export function hourPrefixes(prefix: string, since: Date, until: Date): string[] {
  const out: string[] = [];
  const t = new Date(since);
  t.setUTCMinutes(0, 0, 0);
  for (; t < until; t.setUTCHours(t.getUTCHours() + 1)) out.push(hourPrefix(prefix, t));
  return out;
}
