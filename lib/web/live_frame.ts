/**
 * Frames carried by the live path (engine → hub → SSE → browser).
 *
 * @module
 */
import { z } from "zod";
import { type Classification, CLASSIFICATIONS, type Level, LEVELS } from "../event/log_event.ts";
import {
  DETECTORS,
  type Incident,
  INCIDENT_SEVERITIES,
  INCIDENT_STATUSES,
  MAX_INCIDENT_HOSTS,
  MAX_SPARK_BUCKETS,
} from "../incidents/incident.ts";

/** Per-second aggregate of classified events. */
export interface TickFrame {
  type: "tick";
  /** The second these counts belong to, epoch seconds. */
  t: number;
  total: number;
  byClassification: Partial<Record<Classification, number>>;
  byLevel: Partial<Record<Level, number>>;
}

/** A flagged event, as much as the feed needs of it. */
export interface AlertFrame {
  type: "alert";
  eventId: string;
  /** Hot-tier document id when known (links to the event page). */
  docId?: string;
  ts: string;
  host: string;
  component: string;
  level: Level;
  classification: Exclude<Classification, "NORMAL">;
  score: number;
  reasons: string[];
  content: string;
  templateId: string;
  template: string;
  modelVersion: string;
}

/** An incident that opened or changed: the whole document, so the feed upserts its card. */
export interface IncidentFrame {
  type: "incident";
  incident: Incident;
}

/** Anything sent over the live stream. */
export type LiveFrame = TickFrame | AlertFrame | IncidentFrame;

/** A frame with the id the hub gave it (used for SSE `id:` and `Last-Event-ID` replay). */
export type IdentifiedFrame = LiveFrame & { id: string };

const count = z.number().int().nonnegative();
const countsBy = <K extends string>(keys: readonly [K, ...K[]]) => z.partialRecord(z.enum(keys), count);

/** Most sample lines accepted on an incident frame. */
export const MAX_FRAME_SAMPLES = 20;
/** Longest sample line accepted on an incident frame (the aggregator clips to 2000). */
export const MAX_FRAME_SAMPLE_CHARS = 10_000;

const shortText = z.string().max(256);
const isoTs = z.string().max(64);

/**
 * The incident document as a frame from outside the process may carry it: the fields of `IncidentSchema`,
 * strict and with every string and array bounded (a hostile or broken publisher cannot make browsers hold
 * megabytes). `live_frame_test.ts` checks the keys stay those of `IncidentSchema`.
 */
export const BoundedIncidentSchema = z.strictObject({
  id: z.string().min(1).max(256),
  key: z.string().max(2048),
  detector: z.enum(DETECTORS),
  severity: z.enum(INCIDENT_SEVERITIES),
  status: z.enum(INCIDENT_STATUSES),
  title: z.string().max(1000),
  system: shortText,
  component: z.string().max(1024),
  templateId: shortText,
  template: z.string().max(10_000),
  host: z.string().max(512),
  hosts: z.array(z.string().max(512)).max(MAX_INCIDENT_HOSTS),
  firstTs: isoTs,
  lastTs: isoTs,
  resolvedTs: isoTs,
  count: count,
  peakRate: z.number().nonnegative(),
  baselineRate: z.number().nonnegative(),
  score: z.number().min(0).max(1),
  reasons: z.array(z.string().max(1000)).max(32),
  samples: z.array(z.strictObject({
    eventId: z.string().max(256),
    ts: isoTs,
    host: z.string().max(512),
    lineNo: z.number().int().nonnegative(),
    content: z.string().max(MAX_FRAME_SAMPLE_CHARS),
  })).max(MAX_FRAME_SAMPLES),
  spark: z.array(count).max(MAX_SPARK_BUCKETS),
  version: z.number().int().positive(),
  statusBy: shortText,
  statusTs: isoTs,
});

/** Schema of a frame arriving from outside the process (the `vigil.live` topic): hostile until validated. */
export const LiveFrameSchema = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("tick"),
    t: z.number().int().nonnegative(),
    total: count,
    byClassification: countsBy(CLASSIFICATIONS),
    byLevel: countsBy(LEVELS),
  }),
  z.strictObject({
    type: z.literal("alert"),
    eventId: z.string().min(1).max(256),
    docId: z.string().max(512).optional(),
    ts: z.string().max(64),
    host: z.string().max(512),
    component: z.string().max(1024),
    level: z.enum(LEVELS),
    classification: z.enum(["ANOMALY", "CRITICAL_ANOMALY"]),
    score: z.number().min(0).max(1),
    reasons: z.array(z.string().max(1000)).max(32),
    content: z.string().max(10_000),
    templateId: z.string().max(256),
    template: z.string().max(10_000),
    modelVersion: z.string().max(128),
  }),
  z.strictObject({ type: z.literal("incident"), incident: BoundedIncidentSchema }),
]);

/**
 * Parses a frame from JSON text; `undefined` when it is not valid JSON or not a valid frame.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseLiveFrame } from "./live_frame.ts";
 * const tick = '{"type":"tick","t":1,"total":0,"byClassification":{},"byLevel":{}}';
 * assert.equal(parseLiveFrame(tick)?.type, "tick");
 * assert.equal(parseLiveFrame("<script>"), undefined);
 * ```
 */
export function parseLiveFrame(text: string): LiveFrame | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  const result = LiveFrameSchema.safeParse(raw);
  return result.success ? (result.data as LiveFrame) : undefined;
}
