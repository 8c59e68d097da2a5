/**
 * Frames carried by the live path (engine → hub → SSE → browser).
 *
 * @module
 */
import type { Classification, Level } from "../event/log_event.ts";

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
