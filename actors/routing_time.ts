/**
 * The time that places an event in storage — the hot tier's daily index and the cold tier's `dt=/hour=`
 * partition — as one pure function both sinks call (pure but for the wall clock read when `ingestTs` itself is
 * implausible).
 *
 * An event's `ts` comes from its log line: garbled or hostile lines carry any date from year 0 to 9999, and
 * routing by it as is would create one daily index per date named, until the cluster's shard limit. So the
 * routing time is `ts` clamped into a window around the event's **ingest time**:
 * `[ingestTs − maxAge, ingestTs + maxAhead]`.
 *
 * Why around `ingestTs` and not around "now": delivery is at-least-once with idempotent writes, which needs the
 * place of an event to be a pure function of the event. A window around "now" would move every day, so an
 * event redelivered after midnight would go to another index (a second document with the same `_id`) or
 * another Parquet object (a second row). `ingestTs` is stamped once by the producer and travels in the
 * message, so a redelivery, a restart or a replay from the cold tier routes the same event the same way.
 * Only an `ingestTs` that is itself outside `[now − maxAge, now + maxAhead]` (or does not parse) is clamped to
 * that window around now: such messages are broken or hostile, vigil's producer never writes them.
 *
 * How far back: as far as the hot tier keeps data (`hot.retentionDays`, default 7), unless
 * `delivery.eventTimeMaxAgeDays` says otherwise. An index for a day older than the retention would be
 * deleted by the retention policy anyway, so a wider window only adds indices; with this one, one ingest day
 * touches at most `retentionDays + 2` daily indices. A replayed archive (Loghub's 2005–2016 dates) then lands
 * in the index of `ingestTs − retentionDays`, flagged `tsClamped`, its own `ts` kept — queries and the
 * dashboard filter on `ts` over `<prefix>-events-*`, so they still find it by its own date. With
 * `hot.retentionDays` 0 (kept for ever) the window goes back {@link KEEP_FOREVER_MAX_AGE_DAYS} days.
 *
 * The document keeps its original `ts` (queries and the dashboard filter on it, over `<prefix>-events-*`);
 * the hot tier adds `tsClamped: true` when the routing time differs from it, so clamped events can be found.
 *
 * @module
 */
import type { ClassifiedEvent } from "../lib/event/log_event.ts";
import type { VigilConfig } from "../lib/config/vigil_config.ts";

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** How far before and after its ingest time an event may be routed. */
export interface EventTimeWindow {
  /** Longest time before `ingestTs`, ms. */
  maxAgeMs: number;
  /** Longest time after `ingestTs`, ms. */
  maxAheadMs: number;
}

/** How far back events route when the hot tier keeps everything (`hot.retentionDays` 0): 20 years. */
export const KEEP_FOREVER_MAX_AGE_DAYS = 7305;

/**
 * The configuration's defaults: the default hot retention (7 days) back, 24 hours ahead — what a sink gets
 * when built without a configuration.
 */
export const DEFAULT_EVENT_TIME_WINDOW: EventTimeWindow = {
  maxAgeMs: 7 * DAY_MS,
  maxAheadMs: 24 * HOUR_MS,
};

/**
 * The window of a configuration: `delivery.eventTimeMaxAgeDays` back when set, else `hot.retentionDays`
 * ({@link KEEP_FOREVER_MAX_AGE_DAYS} when that is 0), and `delivery.eventTimeMaxAheadHours` ahead.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseConfig } from "../lib/config/vigil_config.ts";
 * import { eventTimeWindowFromConfig } from "./routing_time.ts";
 * const window = eventTimeWindowFromConfig(parseConfig({ hot: { retentionDays: 30 } }, {}));
 * assert.deepEqual(window, { maxAgeMs: 30 * 86_400_000, maxAheadMs: 86_400_000 });
 * ```
 */
export function eventTimeWindowFromConfig(config: VigilConfig): EventTimeWindow {
  const retention = config.hot.retentionDays > 0 ? config.hot.retentionDays : KEEP_FOREVER_MAX_AGE_DAYS;
  const days = config.delivery.eventTimeMaxAgeDays ?? retention;
  return {
    // Fractional retentions (tests use seconds) are rounded up to whole ms: the sinks want integers.
    maxAgeMs: Math.max(1, Math.ceil(days * DAY_MS)),
    maxAheadMs: config.delivery.eventTimeMaxAheadHours * HOUR_MS,
  };
}

/** Where an event is routed, and whether that differs from its own `ts`. */
export interface RoutingTime {
  /** The routing time (a valid date). */
  date: Date;
  /** True when `date` is not the event's `ts` (out of the window, or `ts` does not parse). */
  clamped: boolean;
}

function clamp(t: number, low: number, high: number): number {
  return Math.min(Math.max(t, low), high);
}

/**
 * The routing time of an event; see the module doc.
 *
 * @param event its `ts` and `ingestTs`
 * @param window how far around `ingestTs` the routing time may be
 * @param now the wall clock, only read when `ingestTs` is implausible (tests pass a fixed one)
 */
export function routingTime(
  event: Pick<ClassifiedEvent, "ts" | "ingestTs">,
  window: EventTimeWindow = DEFAULT_EVENT_TIME_WINDOW,
  now: () => number = Date.now,
): RoutingTime {
  if (now !== Date.now) return computeRoutingTime(event, window, now);
  const known = routed.get(event);
  if (
    known !== undefined && known.window.maxAgeMs === window.maxAgeMs &&
    known.window.maxAheadMs === window.maxAheadMs
  ) return known.time;
  const time = computeRoutingTime(event, window, now);
  routed.set(event, { window, time });
  return time;
}

/**
 * The routing time as ISO 8601 (what the cold tier's keys and the template registry's seen range hold),
 * computed once per event like {@link routingTime}.
 */
export function routingIso(
  event: Pick<ClassifiedEvent, "ts" | "ingestTs">,
  window: EventTimeWindow = DEFAULT_EVENT_TIME_WINDOW,
): string {
  const time = routingTime(event, window);
  let iso = isoOf.get(time);
  if (iso === undefined) {
    iso = time.date.toISOString();
    isoOf.set(time, iso);
  }
  return iso;
}

/**
 * Each event's routing time, computed once: the hot sink's index and template registry and the cold sink's
 * object key (twice: when buffered and when written) all need it, and parsing two dates per call was
 * measurable in the engine's profile. Keyed by the event object (weakly: gone with the event; an event's
 * `ts` and `ingestTs` never change after the source decoded it), for one window; it also makes the one
 * wall-clock read (an implausible `ingestTs`) the same for every sink.
 */
const routed = new WeakMap<object, { window: EventTimeWindow; time: RoutingTime }>();
const isoOf = new WeakMap<RoutingTime, string>();

function computeRoutingTime(
  event: Pick<ClassifiedEvent, "ts" | "ingestTs">,
  window: EventTimeWindow,
  now: () => number,
): RoutingTime {
  let anchor = Date.parse(event.ingestTs);
  if (Number.isNaN(anchor)) {
    anchor = now();
  } else {
    const wall = now();
    anchor = clamp(anchor, wall - window.maxAgeMs, wall + window.maxAheadMs);
  }
  const ts = Date.parse(event.ts);
  if (Number.isNaN(ts)) return { date: new Date(anchor), clamped: true };
  const routed = clamp(ts, anchor - window.maxAgeMs, anchor + window.maxAheadMs);
  return { date: new Date(routed), clamped: routed !== ts };
}
