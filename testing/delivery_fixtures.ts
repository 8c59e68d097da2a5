/**
 * Test fixtures for delivery tests: classified events and delivery records with realistic fields.
 *
 * @module
 */
import type { ClassifiedEvent, LogEvent } from "../lib/event/log_event.ts";
import type { DeliveryRecord } from "../actors/delivery_record.ts";
import type { DeadLetterRecord, DeadLetterWriter } from "../actors/dead_letter_record.ts";
import { type EventTimeWindow, KEEP_FOREVER_MAX_AGE_DAYS } from "../actors/routing_time.ts";

/**
 * An event-time window wide enough that the fixtures' 2016 events (ingested 2026-11-29) route by their own
 * date, as an archive does under `delivery.eventTimeMaxAgeDays` 7305 — the default window (the hot
 * retention, 7 days) would clamp them, and, once the fixed ingest time is older than the window, clamp
 * around the wall clock: tests of index names and keys pass this one.
 */
export const ARCHIVE_EVENT_TIME_WINDOW: EventTimeWindow = {
  maxAgeMs: KEEP_FOREVER_MAX_AGE_DAYS * 86_400_000,
  maxAheadMs: 86_400_000,
};

/** A classified event; `overrides` replace fields. */
export function classifiedEvent(n: number, overrides: Partial<ClassifiedEvent> = {}): ClassifiedEvent {
  return {
    v: 1,
    id: `test:${n}`,
    ts: new Date(Date.UTC(2016, 8, 28, 4, 30, n % 60)).toISOString(),
    ingestTs: new Date(Date.UTC(2026, 10, 29, 4, 0, 0)).toISOString(),
    host: "win-host",
    source: "test",
    system: "windows",
    level: "info",
    component: "CBS",
    content: `Loaded Servicing Stack v6.1.7601.${n} with Core`,
    fields: { Date: "2016-09-28", Time: "04:30:31" },
    lineNo: n + 1,
    raw: `2016-09-28 04:30:31, Info CBS Loaded Servicing Stack v6.1.7601.${n} with Core`,
    flags: [],
    templateId: "t-loaded",
    template: "Loaded Servicing Stack <*> with Core",
    params: [`v6.1.7601.${n}`],
    classification: "NORMAL",
    score: 0.01,
    reasons: [],
    modelVersion: "test-1",
    ...overrides,
  };
}

/** A delivery record at `offset` of partition `partition` of `topic`. */
export function deliveryRecord(
  offset: number,
  { topic = "vigil.test", partition = 0, event = {} }: {
    topic?: string;
    partition?: number;
    event?: Partial<ClassifiedEvent>;
  } = {},
): DeliveryRecord {
  return { event: classifiedEvent(offset, event), kafka: { topic, partition, offset: String(offset) } };
}

/** A dead-letter writer that keeps what it gets (for tests of one sink without Kafka). */
export class CollectingDeadLetters implements DeadLetterWriter {
  readonly records: DeadLetterRecord[] = [];
  write(records: DeadLetterRecord[]): Promise<void> {
    this.records.push(...records);
    return Promise.resolve();
  }
}

/** A LogEvent as the producer publishes it (the classified fixture without the later stages' fields). */
export function logEvent(n: number, overrides: Partial<LogEvent> = {}): LogEvent {
  const {
    templateId: _t,
    template: _tp,
    params: _p,
    classification: _c,
    score: _s,
    reasons: _r,
    modelVersion: _m,
    ...event
  } = classifiedEvent(n);
  return { ...event, ...overrides };
}
