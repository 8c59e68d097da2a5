/**
 * Frames carried by the live path (engine → hub → SSE → browser).
 *
 * @module
 */
import { z } from "zod";
import { type Classification, CLASSIFICATIONS, type Level, LEVELS } from "../event/log_event.ts";

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

/** Anything sent over the live stream. */
export type LiveFrame = TickFrame | AlertFrame;

/** A frame with the id the hub gave it (used for SSE `id:` and `Last-Event-ID` replay). */
export type IdentifiedFrame = LiveFrame & { id: string };

const count = z.number().int().nonnegative();
const countsBy = <K extends string>(keys: readonly [K, ...K[]]) => z.partialRecord(z.enum(keys), count);

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
]);

/**
 * Parses a frame from JSON text; `undefined` when it is not valid JSON or not a valid frame.
 *
 * @example
 * ```ts
 * import { parseLiveFrame } from "./live_frame.ts";
 * console.log(parseLiveFrame('{"type":"tick","t":1,"total":0,"byClassification":{},"byLevel":{}}')?.type); // "tick"
 * console.log(parseLiveFrame("<script>")); // undefined
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
