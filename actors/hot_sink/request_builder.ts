/**
 * Encodes delivery records as Elasticsearch/OpenSearch bulk operations (pure: no I/O).
 *
 * Each record becomes one `index` operation into the daily events index of its routing time (its `ts` clamped
 * into a window around its ingest time, see `../routing_time.ts`), with `_id` =
 * `<topic>-<partition>-<offset>` so a re-delivery overwrites the same document instead of adding a copy. A
 * flagged event is stored once, like any other (operators look at its incident, not a copy of the line). Each
 * batch also writes the incidents its records opened or changed into `<prefix>-incidents` with external
 * versioning (an older version arriving late never overwrites a newer one). The template registry
 * (`<prefix>-templates`) gets one upsert per template per flush interval, from gathered statistics.
 *
 * @module
 */
import type { ClassifiedEvent } from "../../lib/event/log_event.ts";
import type { Incident } from "../../lib/incidents/incident.ts";
import { deliveryId, type DeliveryRecord } from "../delivery_record.ts";
import type { TemplateStat } from "./template_stats.ts";
import { DEFAULT_EVENT_TIME_WINDOW, type EventTimeWindow, routingTime } from "../routing_time.ts";

/** What a bulk operation writes. */
export type BulkOpKind = "event" | "template" | "incident";

/** One bulk operation: its NDJSON lines and the records whose delivery depends on it. */
export interface BulkOp {
  kind: BulkOpKind;
  /** Indices (into the batch's record array) of the records this operation carries. */
  records: number[];
  /** The action line and the source line, each ending in `\n`. */
  ndjson: string;
}

const encoder = new TextEncoder();

/** Formats a date as the `YYYY.MM.DD` suffix of a daily index (UTC). */
export function dailySuffix(date: Date): string {
  const y = date.getUTCFullYear().toString().padStart(4, "0");
  const m = (date.getUTCMonth() + 1).toString().padStart(2, "0");
  const d = date.getUTCDate().toString().padStart(2, "0");
  return `${y}.${m}.${d}`;
}

/**
 * Name of the daily events index holding `event`: the day of its routing time (UTC).
 *
 * @param prefix the index prefix
 * @param event its `ts` and `ingestTs`
 * @param window the event-time window (`delivery.eventTimeMax*`)
 */
export function eventsIndex(
  prefix: string,
  event: Pick<ClassifiedEvent, "ts" | "ingestTs">,
  window: EventTimeWindow = DEFAULT_EVENT_TIME_WINDOW,
): string {
  return dailyEventsIndex(prefix, routingTime(event, window).date);
}

function dailyEventsIndex(prefix: string, day: Date): string {
  return `${prefix}-events-${dailySuffix(day)}`;
}

/**
 * Name of the incidents index: one index, not daily, because an incident is updated in place (external
 * versions) for as long as its episode lasts, which may cross midnight.
 */
export function incidentsIndex(prefix: string): string {
  return `${prefix}-incidents`;
}

/** Name of the template registry index. */
export function templatesIndex(prefix: string): string {
  return `${prefix}-templates`;
}

/** The document stored for a record: the event's fields plus its Kafka coordinates. */
export function encodeDocument(record: DeliveryRecord): Record<string, unknown> {
  const { topic, partition, offset } = record.kafka;
  return { ...record.event, kafka: { topic, partition, offset } };
}

function action(
  op: "index" | "update",
  index: string,
  id: string,
  extra: Record<string, unknown> = {},
): string {
  return JSON.stringify({ [op]: { _index: index, _id: id, ...extra } });
}

/**
 * The operations of one record: its event document, in the index of its routing time. The document keeps its
 * own `ts`; `tsClamped: true` marks one whose `ts` was out of the window (or unparseable) and so is routed
 * elsewhere.
 *
 * @param record the record
 * @param recordIndex its index in the batch
 * @param prefix the index prefix
 * @param window the event-time window (`delivery.eventTimeMax*`)
 */
export function recordOps(
  record: DeliveryRecord,
  recordIndex: number,
  prefix: string,
  window: EventTimeWindow = DEFAULT_EVENT_TIME_WINDOW,
): BulkOp[] {
  const id = deliveryId(record.kafka);
  const route = routingTime(record.event, window);
  const doc = encodeDocument(record);
  if (route.clamped) doc.tsClamped = true;
  const index = dailyEventsIndex(prefix, route.date);
  return [{
    kind: "event",
    records: [recordIndex],
    ndjson: `${action("index", index, id)}\n${JSON.stringify(doc)}\n`,
  }];
}

// Painless: merge counts and the seen-range into an existing template document.
const TEMPLATE_SCRIPT = "ctx._source.count += params.count;" +
  "if (params.firstSeen.compareTo(ctx._source.firstSeen) < 0) { ctx._source.firstSeen = params.firstSeen; }" +
  "if (params.lastSeen.compareTo(ctx._source.lastSeen) > 0) { ctx._source.lastSeen = params.lastSeen; }" +
  "ctx._source.template = params.template;";

/**
 * One upsert per template into the template registry, from the statistics gathered since the last flush
 * (`template_stats.ts`). They carry no record: no event's delivery waits on the registry.
 *
 * Counts are incremented, so a re-delivered event counts twice: the registry's `count` is at-least-once
 * (approximate), unlike the events themselves.
 */
export function templateOps(stats: readonly TemplateStat[], prefix: string): BulkOp[] {
  const index = templatesIndex(prefix);
  return stats.map((doc) => ({
    kind: "template" as const,
    records: [],
    ndjson: `${action("update", index, doc.templateId, { retry_on_conflict: 5 })}\n${
      JSON.stringify({
        script: {
          source: TEMPLATE_SCRIPT,
          lang: "painless",
          params: {
            count: doc.count,
            firstSeen: doc.firstSeen,
            lastSeen: doc.lastSeen,
            template: doc.template,
          },
        },
        upsert: doc,
      })
    }\n`,
  }));
}

/**
 * One externally versioned `index` op per incident the batch's records carry. An incident carried by several
 * records (each event of a burst bumps it) is written once, at its highest version, and that op carries every
 * one of those records: each event's incident change is durable once the newest version is.
 */
export function incidentOps(records: readonly DeliveryRecord[], prefix: string): BulkOp[] {
  const byId = new Map<string, { indices: number[]; incident: Incident }>();
  records.forEach((r, i) => {
    for (const incident of r.incidents ?? []) {
      const seen = byId.get(incident.id);
      if (seen === undefined) {
        byId.set(incident.id, { indices: [i], incident });
        continue;
      }
      if (seen.indices[seen.indices.length - 1] !== i) seen.indices.push(i);
      if (incident.version > seen.incident.version) seen.incident = incident;
    }
  });
  const index = incidentsIndex(prefix);
  return [...byId.values()].map(({ indices, incident }) => ({
    kind: "incident" as const,
    records: indices,
    ndjson: `${
      action("index", index, incident.id, { version: incident.version, version_type: "external" })
    }\n${JSON.stringify(incident)}\n`,
  }));
}

/**
 * All operations of a batch: events, then incidents (the template registry is written apart, see
 * {@link templateOps}).
 *
 * @param records the batch
 * @param prefix the index prefix
 * @param window the event-time window that routes events to daily indices (`delivery.eventTimeMax*`)
 */
export function buildBulkOps(
  records: readonly DeliveryRecord[],
  prefix: string,
  window: EventTimeWindow = DEFAULT_EVENT_TIME_WINDOW,
): BulkOp[] {
  const ops: BulkOp[] = [];
  for (let i = 0; i < records.length; i++) ops.push(...recordOps(records[i], i, prefix, window));
  for (const op of incidentOps(records, prefix)) ops.push(op);
  return ops;
}

/** The NDJSON body of a bulk request made of `ops`. */
export function bulkBody(ops: readonly BulkOp[]): string {
  return ops.map((op) => op.ndjson).join("");
}

/** UTF-8 size of a string in bytes (what `maxBytes` measures). */
export function byteLength(text: string): number {
  return encoder.encode(text).length;
}
